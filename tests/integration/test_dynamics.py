"""Portfolio dynamics on a hand-made orders-only portfolio (every expected value in dynamics_portfolio.py)."""

from datetime import date

import pytest

from tests.conftest import run_cartera

from .dynamics_portfolio import AS_OF, write_dynamics_portfolio


@pytest.fixture(scope="session")
def dynamics_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("dynamics")
    run = run_cartera(write_dynamics_portfolio(root / "landing"), root, dbt_vars={"as_of": AS_OF})
    assert run.success, "the pipeline failed on the orders-only dynamics portfolio"
    return run


def churn_row(run, grain, start):
    cols = [
        "customers_at_start",
        "retained",
        "churned",
        "new_customers",
        "reactivated",
        "customers_at_end",
        "new_customers_lapsed",
    ]
    row = run.query(
        f"SELECT {', '.join(cols)} FROM marts.churn_by_period WHERE period_grain = ? AND period_start = ?",
        [grain, date.fromisoformat(start)],
    )[0]
    return dict(zip(cols, row, strict=True))


def test_june_2026_keeps_two_wins_one_and_wins_back_two(dynamics_run):
    assert churn_row(dynamics_run, "month", "2026-06-01") == {
        "customers_at_start": 2,
        "retained": 2,
        "churned": 0,
        "new_customers": 1,
        "reactivated": 2,
        "customers_at_end": 5,
        "new_customers_lapsed": 0,
    }
    growth, price = dynamics_run.query(
        "SELECT revenue_growth, price_change FROM marts.churn_by_period "
        "WHERE period_grain = 'month' AND period_start = DATE '2026-06-01'"
    )[0]
    assert growth == pytest.approx(3.0) and price == pytest.approx(0.0)  # 408 vs 102, 102 per occasion both


def test_august_2025_loses_half(dynamics_run):
    row = churn_row(dynamics_run, "month", "2025-08-01")
    assert (row["customers_at_start"], row["retained"], row["churned"]) == (4, 2, 2)
    rate = dynamics_run.scalar(
        "SELECT churn_rate FROM marts.churn_by_period WHERE period_grain = 'month' AND period_start = DATE '2025-08-01'"
    )
    assert rate == pytest.approx(0.5)


def test_year_2026_is_incomplete_and_counts_a_new_customer_who_already_left_apart(dynamics_run):
    assert churn_row(dynamics_run, "year", "2026-01-01") == {
        "customers_at_start": 0,
        "retained": 0,
        "churned": 0,
        "new_customers": 1,
        "reactivated": 4,
        "customers_at_end": 5,
        "new_customers_lapsed": 1,
    }
    end, complete, rate = dynamics_run.query(
        "SELECT period_end, is_complete, churn_rate FROM marts.churn_by_period "
        "WHERE period_grain = 'year' AND period_start = DATE '2026-01-01'"
    )[0]
    assert (end, complete, rate) == (date(2026, 6, 30), False, None)


def test_customers_at_end_are_retained_plus_new_plus_reactivated_in_every_period(dynamics_run):
    broken = dynamics_run.scalar(
        "SELECT count(*) FROM marts.churn_by_period "
        "WHERE customers_at_end <> retained + new_customers + reactivated OR customers_at_start <> retained + churned"
    )
    periods = dynamics_run.query("SELECT period_grain, count(*) FROM marts.churn_by_period GROUP BY 1 ORDER BY 1")
    assert broken == 0
    assert periods == [("month", 24), ("quarter", 8), ("year", 3)]  # 2024-07 .. 2026-06: 2024-Q3 .. 2026-Q2


def test_growth_scenario_needs_27_9_percent_new_customers_for_5_percent_growth(dynamics_run):
    row = dynamics_run.query(
        "SELECT churn_rate, price_change, required_new_customer_rate, required_new_customers, "
        "observed_new_customer_rate, new_customer_rate_gap, customers_now "
        "FROM marts.growth_scenarios WHERE target_growth = 0.05"
    )[0]
    churn, price, n, count, observed, gap, now = row
    assert churn == pytest.approx(0.25) and price == pytest.approx(0.02)
    assert n == pytest.approx(1.05 / 1.02 - 0.75) and round(n, 3) == 0.279
    assert (count, now) == (1, 5)
    assert observed == pytest.approx(0.5) and gap == pytest.approx(n - 0.5)
    targets = [r[0] for r in dynamics_run.query("SELECT target_growth FROM marts.growth_scenarios ORDER BY scenario")]
    assert targets == pytest.approx([0, 0.05, 0.10, 0.20])


def test_five_points_of_retention_are_worth_what_the_formula_says(dynamics_run):
    row = dynamics_run.query(
        "SELECT customers_kept_per_year, revenue_per_customer_year, revenue_next_12m, revenue_lifetime, "
        "new_customers_equivalent, acquisition_effort_in_retention_units, acquisition_cost_equivalent "
        "FROM marts.retention_value WHERE retention_gain_points = 5"
    )[0]
    assert row[:6] == pytest.approx((0.25, 122.4, 30.6, 112.2, 0.291667, 1.458333), rel=1e-5)
    assert row[6] is None  # no acquisition cost given
    assert dynamics_run.scalar("SELECT count(*) FROM marts.retention_value") == 5


def test_lifecycle_phases_and_the_maturity_warning(dynamics_run):
    stages = dict(dynamics_run.query("SELECT customer_id, lifecycle_stage FROM marts.lifecycle_stages"))
    assert stages == {
        "A": "decline",
        "B": "lapsed",
        "C": "maturity",
        "D": "maturity",
        "E": "lapsed",
        "F": "onboarding",
        "G": "maturity",
    }
    summary = dynamics_run.query(
        "SELECT lifecycle_stage, customers, mature_share, maturity_warning FROM marts.lifecycle_summary "
        "ORDER BY stage_order"
    )
    assert [(s, c) for s, c, _, _ in summary] == [
        ("onboarding", 1),
        ("growth", 0),
        ("maturity", 3),
        ("decline", 1),
        ("lapsed", 2),
    ]
    assert summary[0][2] == pytest.approx(0.8) and summary[0][3] is True


def test_status_moves_into_as_of(dynamics_run):
    moves = dynamics_run.query(
        "SELECT from_segment, to_segment, customers FROM marts.segment_migration "
        "WHERE dimension = 'status' AND to_month_end = DATE '2026-06-30' ORDER BY 1, 2"
    )
    assert moves == [
        ("current", "active", 1),
        ("current", "current", 1),
        ("inactive", "active", 2),
        ("inactive", "inactive", 2),
        ("new", "active", 1),
    ]
    assert dynamics_run.scalar(
        "SELECT DISTINCT from_month_end FROM marts.segment_migration WHERE to_month_end = DATE '2026-06-30'"
    ) == date(2026, 5, 31)


def test_pareto_insights_top_group_and_missing_sources(dynamics_run):
    q = dynamics_run.query
    who = dict(q("SELECT measure, top_group FROM marts.pareto_insights WHERE question = 2"))
    assert who["customers"] == 5 and who["revenue"] == pytest.approx(612)
    churned = q("SELECT top_group, rest FROM marts.pareto_insights WHERE question = 7 AND measure = 'customers'")
    assert churned == [(1, 0)]
    notes = dict(
        q("SELECT question, note FROM marts.pareto_insights WHERE note IS NOT NULL AND dimension <> 'segment'")
    )
    assert notes == {
        4: "not available: needs order_lines.csv",
        8: "not available: needs customers.csv",
        9: "not available: needs customers.csv",
    }
    assert q("SELECT DISTINCT pareto_share FROM marts.pareto_insights") == [(0.8,)]
    assert {r[0] for r in q("SELECT DISTINCT question FROM marts.pareto_insights")} == set(range(1, 10))


def test_report_shows_the_dynamics_sections_with_numbers_from_the_marts(dynamics_run):
    html = (dynamics_run.settings.reports / "latest.html").read_text(encoding="utf-8")
    for section in ["dyn-churn", "dyn-growth", "dyn-retention", "dyn-lifecycle", "dyn-migration", "dyn-top-group"]:
        assert f'id="{section}"' in html
    assert "With churn at 25%, growing revenue 5% needs 27.9% new customers" in html
    assert "you are winning 50%" in html
    assert "Warning: 80% of your buying customers are in maturity or decline (above 50%)" in html
    assert "The customers who make 80% of your revenue" in html and "top group (80%)" in html


def test_scenario_command_prints_27_9_percent_from_flags_and_from_the_warehouse(dynamics_run, capsys):
    from dagster_project.cli import main

    assert main(["scenario", "--churn", "0.25", "--price-change", "0.02", "--target-growth", "0.05"]) == 0
    out = capsys.readouterr().out
    assert "Required new customers: 27.9%" in out and "(1 + 5%) / (1 + 2%) − (1 − 25%) = 27.9%" in out
    warehouse = str(dynamics_run.settings.warehouse)
    assert main(["scenario", "--warehouse", warehouse, "--retention-gain", "0.05", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "27.9%" in out and "you won 50% new customers" in out
    assert "(75% → 80%) keep 0.3 customers a year" in out  # 5 x 0.05 = 0.25, shown to one decimal
    assert "revenue over the next 12 months: €30.60" in out  # 0.25 x 122.4
    assert "remaining lifetime (discounted at 10% a year): €112.20" in out


def test_the_mart_and_the_cli_compute_retention_value_alike(dynamics_run):
    from dagster_project.lib.dynamics import retention_value

    rows = dynamics_run.query(
        "SELECT retention_gain, churn_rate, base_customers, revenue_per_customer_year, discount_rate_yearly, "
        "revenue_lifetime, new_customers_equivalent FROM marts.retention_value ORDER BY 1"
    )
    for gain, churn, base, revenue, discount, lifetime, new in rows:
        v = retention_value(
            base_customers=float(base),
            churn_rate=float(churn),
            revenue_per_customer_year=float(revenue),
            retention_gain=float(gain),
            discount_rate=float(discount),
        )
        assert (lifetime, new) == pytest.approx((v.revenue_lifetime, v.new_customers_equivalent))
