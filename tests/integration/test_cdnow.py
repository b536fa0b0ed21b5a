"""The real pipeline reproduces Fader, Hardie & Lee (2005) on the CDNOW sample.

The CDNOW sample (2,357 customers who first bought in Q1 1997, their purchases through June 1998) is
fetched from the lifetimes 0.11.3 wheel on PyPI into tests/.cache (see tests/cdnow.py), written as an
orders-only export (customer_id, order_date, amount), and run through ingestion, dbt and the CLV asset
with as_of 1997-09-30: the 39-week calibration period of the paper.
"""

import pytest

from tests.cdnow import write_cdnow_landing
from tests.conftest import run_cartera

PUBLISHED = {  # BG/NBD (weeks) and Gamma-Gamma parameters from the paper / Fader & Hardie's note
    ("bgnbd", "r"): 0.243,
    ("bgnbd", "alpha"): 4.414,
    ("bgnbd", "a"): 0.793,
    ("bgnbd", "b"): 2.426,
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


def test_log_likelihood_and_customers_fitted(cdnow_run):
    ll, n, unit, cal_end = cdnow_run.query(
        "SELECT DISTINCT log_likelihood, customers_fitted, time_unit, calibration_end FROM marts.clv_model_params "
        "WHERE model = 'bgnbd'"
    )[0]
    assert ll == pytest.approx(-9582.4, abs=0.1)
    assert (n, unit, str(cal_end)) == (2357, "week", "1997-09-30")
    assert (
        cdnow_run.scalar("SELECT DISTINCT customers_fitted FROM marts.clv_model_params WHERE model = 'gamma_gamma'")
        == 946
    )


def test_profile_carries_p_alive_and_clv(cdnow_run):
    # A customer with no repeat purchase is alive with probability 1 under BG/NBD.
    row = cdnow_run.query(
        "SELECT p.p_alive, p.clv_12m FROM marts.customer_profile p JOIN marts.customer_clv c "
        "USING (customer_id) WHERE c.frequency = 0 LIMIT 1"
    )[0]
    assert row[0] == pytest.approx(1.0) and row[1] > 0
    assert cdnow_run.scalar("SELECT count(*) FROM marts.customer_profile WHERE p_alive IS NULL") == 0
