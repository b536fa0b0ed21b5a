"""The real pipeline reproduces the published CDNOW results for BG/NBD, MBG/NBD, Pareto/NBD and Gamma-Gamma.

The CDNOW sample (2,357 customers who first bought in Q1 1997, their purchases through June 1998;
tests/fixtures/cdnow, see tests/cdnow.py) is written as an orders-only export (customer_id, order_date, amount)
and run through ingestion, dbt and the customer-value model with as_of 1997-09-30: the 39-week calibration
period of the papers. Anchors: Fader, Hardie & Lee (2005) for BG/NBD and Gamma-Gamma, Fader & Hardie's
Pareto/NBD note, Batislam et al. (2007) as fitted by lifetimes for MBG/NBD.
"""

import pytest

from tests.cdnow import read_cdnow_rows, write_cdnow_landing
from tests.conftest import run_cartera

PUBLISHED = {  # weeks
    ("bgnbd", "r"): 0.243,
    ("bgnbd", "alpha"): 4.414,
    ("bgnbd", "a"): 0.793,
    ("bgnbd", "b"): 2.426,
    ("mbgnbd", "r"): 0.525,
    ("mbgnbd", "alpha"): 6.183,
    ("mbgnbd", "a"): 0.891,
    ("mbgnbd", "b"): 1.614,
    ("paretonbd", "r"): 0.553,
    ("paretonbd", "alpha"): 10.578,
    ("paretonbd", "s"): 0.606,
    ("paretonbd", "beta"): 11.669,
    ("gamma_gamma", "p"): 6.25,
    ("gamma_gamma", "q"): 3.74,
    ("gamma_gamma", "gamma"): 15.44,
}


@pytest.fixture(scope="module")
def cdnow_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("cdnow")
    landing = root / "landing"
    write_cdnow_landing(landing)
    run = run_cartera(landing, root, dbt_vars={"as_of": "1997-09-30"})
    assert run.success
    return run


def test_orders_only_export_runs_through(cdnow_run):
    assert cdnow_run.scalar("SELECT count(*) FROM audit.rejected_rows") == 0
    assert cdnow_run.scalar("SELECT count(*) FROM marts.customer_status") == 2357


@pytest.mark.parametrize("model,parameter", sorted(PUBLISHED))
def test_parameters_within_one_percent_of_published(cdnow_run, model, parameter):
    value = cdnow_run.scalar(
        "SELECT value FROM marts.clv_model_params WHERE model = ? AND parameter = ?", [model, parameter]
    )
    assert value == pytest.approx(PUBLISHED[(model, parameter)], rel=0.01)


def test_log_likelihoods_and_customers_fitted(cdnow_run):
    rows = cdnow_run.query(
        "SELECT model, max(log_likelihood), max(customers_fitted), max(time_unit), max(calibration_end) "
        "FROM marts.clv_model_params GROUP BY model ORDER BY model"
    )
    got = {m: (round(ll, 1), n, u, str(d)) for m, ll, n, u, d in rows}
    # BG/NBD -9582.4 (the paper), Pareto/NBD -9595.0 (the note); Gamma-Gamma on the 946 repeat customers.
    assert got["bgnbd"] == (-9582.4, 2357, "week", "1997-09-30")
    assert got["paretonbd"][:2] == (-9595.0, 2357)
    assert got["mbgnbd"][1] == 2357 and got["gamma_gamma"][1] == 946


def test_one_model_in_use_chosen_by_likelihood_without_a_holdout(cdnow_run):
    # 39 weeks of history is shorter than twice the 182-day holdout: the highest log-likelihood wins,
    # MBG/NBD (-9582.1) over BG/NBD (-9582.4) and Pareto/NBD (-9595.0).
    in_use = cdnow_run.query("SELECT DISTINCT model, selection FROM marts.clv_model_params WHERE in_use ORDER BY model")
    assert in_use == [("gamma_gamma", "likelihood"), ("mbgnbd", "likelihood")]
    assert cdnow_run.scalar("SELECT count(DISTINCT model) FROM marts.customer_clv") == 1
    assert cdnow_run.scalar("SELECT min(model) FROM marts.customer_clv") == "mbgnbd"
    assert cdnow_run.scalar("SELECT count(*) FROM marts.clv_model_comparison") == 0


def test_every_buyer_has_the_new_columns(cdnow_run):
    n, nulls = cdnow_run.query(
        "SELECT count(*), count(*) FILTER (WHERE p_no_purchase_90d IS NULL OR clv_12m_low IS NULL "
        "OR clv_12m_high IS NULL OR p_alive IS NULL) FROM marts.customer_clv"
    )[0]
    assert (n, nulls) == (2357, 0)
    # MBG/NBD lets one-time buyers drop out: p_alive < 1 for them (BG/NBD said 1 for all 1,411).
    assert cdnow_run.scalar("SELECT max(p_alive) FROM marts.customer_clv WHERE frequency = 0") < 1


def test_profile_carries_p_alive_and_clv(cdnow_run):
    assert cdnow_run.scalar("SELECT count(*) FROM marts.customer_profile WHERE p_alive IS NULL") == 0
    assert cdnow_run.scalar("SELECT count(*) FROM marts.customer_profile WHERE clv_12m > 0") == 2357


@pytest.fixture(scope="module")
def cdnow_later(tmp_path_factory):
    """The same sample with all 78 weeks (as_of 1998-06-30): history covers twice the 182-day holdout, so the
    models are compared on it. Then the same night again: the stored fit is reused, not refitted."""
    root = tmp_path_factory.mktemp("cdnow_later")
    write_cdnow_landing(root / "landing")
    first = run_cartera(root / "landing", root, dbt_vars={"as_of": "1998-06-30"})
    second = run_cartera(root / "landing", root, dbt_vars={"as_of": "1998-06-30"})
    assert first.success and second.success
    return first, second


def _clv_metadata(run) -> dict:
    for e in run.result.all_events:
        if e.event_type_value == "ASSET_MATERIALIZATION":
            m = e.event_specific_data.materialization
            if m.asset_key.path == ["clv", "customer_scores"]:
                return {k: v.value for k, v in m.metadata.items()}
    raise AssertionError("no clv/customer_scores materialization")


def test_models_compared_on_the_holdout_and_the_chosen_one_scores(cdnow_later):
    run, _ = cdnow_later
    rows = run.query(
        "SELECT model, status, model_rank, chosen, holdout_actual, calibration_end FROM marts.clv_model_comparison "
        "ORDER BY model_rank"
    )
    # Repeat purchase days of the 2,357 customers between 1997-12-30 and 1998-06-30.
    holdout_days = {(c, d) for c, d, _ in read_cdnow_rows() if "1997-12-31" <= d <= "1998-06-30"}
    assert [r[2] for r in rows] == [1, 2, 3] and [r[3] for r in rows] == [True, False, False]
    assert {r[0] for r in rows} == {"bgnbd", "mbgnbd", "paretonbd"} and {r[1] for r in rows} == {"ok"}
    assert rows[0][4] == len(holdout_days) and str(rows[0][5]) == "1997-12-30"
    chosen = rows[0][0]
    assert run.scalar("SELECT DISTINCT model FROM marts.customer_clv") == chosen
    assert run.query(
        "SELECT DISTINCT model, selection FROM marts.clv_model_params WHERE in_use AND model = ?", [chosen]
    )
    assert run.scalar("SELECT count(DISTINCT model) FROM marts.clv_holdout_curve") == 3
    assert run.scalar("SELECT count(*) FROM marts.clv_holdout") == 2357
    html = (run.settings.reports / "latest.html").read_text()
    assert 'id="model-accuracy"' in html and "(in use)</b>" in html and "When will they buy next?" in html


def test_next_night_scores_with_the_stored_fit(cdnow_later):
    first, second = cdnow_later
    assert _clv_metadata(first)["refit"] == "yes: no stored fit"
    assert _clv_metadata(second)["refit"] == "no: scored with the stored fit"
    # Both runs share one warehouse: the scores now in it come from the first run's fit, and total the same.
    fit_id = _clv_metadata(first)["fit_id"]
    assert _clv_metadata(second)["fit_id"] == fit_id
    assert second.query("SELECT DISTINCT fit_id FROM marts.customer_clv") == [(fit_id,)]
    assert _clv_metadata(second)["total_clv_12m"] == _clv_metadata(first)["total_clv_12m"]


def test_check_metadata_says_whether_gamma_gammas_assumption_held(cdnow_run):
    (check,) = [
        e.event_specific_data
        for e in cdnow_run.result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and e.event_specific_data.check_name == "clv_model_fitted"
    ]
    meta = {k: v.value for k, v in check.metadata.items()}
    assert check.passed and meta["value_method"] == "gamma_gamma" and meta["model_in_use"] == "mbgnbd"
    assert meta["frequency_value_correlation"] == pytest.approx(0.11, abs=0.01)  # below the 0.3 threshold
    assert _clv_metadata(cdnow_run)["repeat_customers_nonpositive_spend"] == 0


def test_orders_only_export_has_only_the_alerts_orders_can_raise(cdnow_run):
    """No interactions or surveys: those alert types are absent and alert_effectiveness says why."""
    types = {r[0] for r in cdnow_run.query("SELECT DISTINCT alert_type FROM marts.early_alerts")}
    assert types and types <= {"spend_drop", "overdue"}
    status = dict(cdnow_run.query("SELECT alert_type, evaluation_status FROM marts.alert_effectiveness"))
    assert {t: status[t] for t in ["support_contact", "complaint", "billing_error", "detractor"]} == {
        "support_contact": "no_source",
        "complaint": "no_source",
        "billing_error": "no_source",
        "detractor": "no_source",
    }
    assert status["overdue"] == "measured" and status["spend_drop"] == "measured"
    assert cdnow_run.scalar("SELECT count(*) FROM marts.retention_actions") > 0
    for empty in ["nps_monthly", "product_affinity", "next_best_offer", "action_results"]:
        assert cdnow_run.scalar(f"SELECT count(*) FROM marts.{empty}") == 0
