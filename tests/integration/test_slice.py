"""The vertical slice on a hand-made portfolio (see portfolio.py for every expected value)."""

import re
from datetime import date
from decimal import Decimal

import pytest

from dagster_project.lib.report.formatting import format_date

from .portfolio import AS_OF


def status_of(run, customer_id):
    return run.scalar("SELECT status FROM marts.customer_status WHERE customer_id = ?", [customer_id])


def test_as_of_defaults_to_the_latest_order_date(slice_run):
    assert slice_run.scalar("SELECT DISTINCT as_of FROM marts.customer_status") == date.fromisoformat(AS_OF)


def test_customer_with_two_occasions_and_one_in_last_90_days_is_current(slice_run):
    assert status_of(slice_run, "C001") == "current"
    assert status_of(slice_run, "00042") == "current"


def test_customer_last_bought_89_days_ago_is_active(slice_run):
    assert status_of(slice_run, "C002") == "active"


def test_customer_last_bought_91_days_ago_is_inactive(slice_run):
    assert status_of(slice_run, "C003") == "inactive"


def test_customer_last_bought_exactly_90_days_ago_is_inactive(slice_run):
    assert status_of(slice_run, "C004") == "inactive"


def test_never_bought_statuses(slice_run):
    assert status_of(slice_run, "P1") == "potential"
    assert status_of(slice_run, "P2") == "probable"
    assert status_of(slice_run, "C009") == "probable"


def test_every_customer_has_exactly_one_status(slice_run):
    rows = slice_run.query("SELECT customer_id, count(*) FROM marts.customer_status GROUP BY 1 ORDER BY 1")
    assert rows == [(c, 1) for c in ["00042", "C001", "C002", "C003", "C004", "C009", "P1", "P2"]]


def test_leading_zeros_in_customer_id_are_kept(slice_run):
    assert slice_run.scalar("SELECT occasions FROM marts.customer_profile WHERE customer_id = '00042'") == 3


def test_volume_tiers_against_mean_of_144(slice_run):
    rows = dict(slice_run.query("SELECT customer_id, tier FROM marts.customer_volume WHERE tier IS NOT NULL"))
    assert rows == {"C003": "very_high", "C002": "high", "C001": "medium", "C004": "low", "00042": "low"}


def test_frequency_tiers(slice_run):
    rows = {
        r[0]: (r[1], r[2], r[3])
        for r in slice_run.query("SELECT customer_id, occasions, mean_days_between, tier FROM marts.customer_frequency")
    }
    assert rows["C001"] == (2, 60.0, "habitual")
    assert rows["00042"] == (3, 62.5, "habitual")
    assert rows["C002"] == (1, None, "occasional")


def test_pareto_cut_includes_the_customer_who_crosses_80_percent(slice_run):
    rows = slice_run.query("SELECT customer_id, revenue_rank, is_top_80 FROM marts.pareto_customers ORDER BY 2")
    assert rows == [("C003", 1, True), ("C002", 2, True), ("C001", 3, True), ("C004", 4, False), ("00042", 5, False)]
    summary = slice_run.query(
        "SELECT customers, top_80_customers, top_80_share_of_customers, net_revenue FROM marts.pareto_summary"
    )
    assert summary == [(5, 3, pytest.approx(0.6), Decimal("720.00"))]


def test_cohort_rows(slice_run):
    april = slice_run.query(
        "SELECT period_number, cohort_size, active_customers, retention_rate, revenue "
        "FROM marts.cohort_retention WHERE cohort_month = DATE '2026-04-01' ORDER BY 1"
    )
    assert [(p, s, a, float(r), float(v)) for p, s, a, r, v in april] == [
        (0, 2, 2, 1.0, 240.0),
        (1, 2, 0, 0.0, 0.0),
        (2, 2, 0, 0.0, 0.0),
    ]
    feb_june = slice_run.query(
        "SELECT active_customers, revenue FROM marts.cohort_retention "
        "WHERE cohort_month = DATE '2026-02-01' AND period_number = 4"
    )
    assert [(a, float(v)) for a, v in feb_june] == [(1, 20.0)]


def test_profile_combines_attributes_from_a_latin1_semicolon_export(slice_run):
    row = slice_run.query(
        "SELECT customer_name, segment, region, net_revenue, status, volume_tier, frequency_tier "
        "FROM marts.customer_profile WHERE customer_id = 'C001'"
    )
    assert row == [("José Núñez Peña", "hostelería", "Andalucía", Decimal("150.00"), "current", "medium", "habitual")]


def test_decimal_comma_amount_from_latin1_file_is_loaded(slice_run):
    assert slice_run.scalar("SELECT net_revenue FROM marts.customer_profile WHERE customer_id = 'C004'") == Decimal(
        "40.00"
    )


def test_broken_rows_are_quarantined_with_line_and_reason(slice_run):
    rows = slice_run.query("SELECT file, line, reason FROM audit.rejected_rows ORDER BY line")
    assert rows == [("orders.csv", 9, "unparseable amount 'abc'"), ("orders.csv", 10, "missing customer_id")]
    files = slice_run.query(
        "SELECT file, rows_read, rows_loaded, rows_rejected FROM audit.ingested_files "
        "WHERE source = 'orders' ORDER BY file"
    )
    assert files == [("orders.csv", 9, 7, 2), ("orders_2026-06-latin1.csv", 1, 1, 0)]


def test_published_warehouse_is_stamped(slice_run):
    as_of, tables = slice_run.query("SELECT max(as_of), count(*) FROM marts.warehouse_state")[0]
    assert as_of == date(2026, 6, 30) and tables >= 8
    assert (
        slice_run.scalar("SELECT row_count FROM marts.warehouse_state WHERE table_name = 'marts.customer_status'") == 8
    )


def test_report_is_written_self_contained(slice_run):
    reports = slice_run.settings.reports
    dated = reports / f"retention_report_{AS_OF}.html"
    assert dated.exists() and (reports / "latest.html").read_text() == dated.read_text()
    html = dated.read_text()
    lang = re.search(r'<html lang="(\w+)">', html).group(1)
    assert format_date(date.fromisoformat(AS_OF), lang) in html  # "30 Jun 2026" / "30/06/2026": the as_of shown
    assert "http://" not in html and "https://" not in html
    assert html.count("data:image/png;base64,") >= 4


def test_too_few_customers_for_the_clv_model_fails_its_check_but_not_the_run(slice_run):
    evaluations = [
        e.event_specific_data
        for e in slice_run.result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and e.event_specific_data.check_name == "clv_model_fitted"
    ]
    assert len(evaluations) == 1 and not evaluations[0].passed
    assert "customers" in evaluations[0].description  # e.g. "only 5 customers ... at least 50"
    assert slice_run.success
    assert slice_run.scalar("SELECT count(*) FROM marts.customer_profile WHERE p_alive IS NOT NULL") == 0
    assert slice_run.scalar("SELECT count(*) FROM marts.customer_clv") == 0
    # a failed fit publishes the models' status, nothing in use, and no accuracy rows
    statuses = slice_run.query("SELECT DISTINCT model, status, in_use FROM marts.clv_model_params ORDER BY model")
    assert statuses == [(m, "not_converged", False) for m in ("bgnbd", "mbgnbd", "paretonbd")]
    for table in ("clv_model_comparison", "clv_holdout", "clv_holdout_by_frequency", "clv_holdout_curve"):
        assert slice_run.scalar(f"SELECT count(*) FROM marts.{table}") == 0, table
    # and why, for the report (audit.clv_model_run)
    fitted, reason = slice_run.query("SELECT fitted, reason FROM audit.clv_model_run")[0]
    assert fitted is False and reason == evaluations[0].description.removeprefix("CLV model not fitted: ")


def test_dbt_unit_tests_pass(slice_run, tmp_path):
    """The dbt unit tests (window edges, Pareto ties, cohort of the 31st, tier boundaries) run here, against the
    warehouse the slice built, instead of in every production build."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from dagster_project.settings import DBT_DIR

    env = {**os.environ, "CARTERA_WORK_DB": str(slice_run.settings.work_db)}
    dbt = Path(sys.executable).with_name("dbt")
    proc = subprocess.run(
        [
            str(dbt),
            "test",
            "--select",
            "test_type:unit",
            "--profiles-dir",
            str(DBT_DIR),
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
        ],
        cwd=DBT_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]
    done = [line for line in proc.stdout.splitlines() if "Done. PASS=" in line][-1]
    assert "ERROR=0" in done and int(done.split("PASS=")[1].split()[0]) >= 9


def test_raw_orders_metadata_shows_rows_read_loaded_and_rejected(slice_run):
    materialization = slice_run.result.asset_materializations_for_node("raw_orders")[0]
    meta = {k: v.value for k, v in materialization.metadata.items()}
    # orders.csv: 9 rows = 7 loaded + 2 rejected; the Latin-1 file: 1 loaded
    assert (meta["rows_read"], meta["rows_loaded"], meta["rows_rejected"]) == (10, 8, 2)
    assert meta["table_rows"] == 8 and meta["files_new_or_changed"] == 2
    # an ASCII-only file is valid UTF-8, whatever it was saved as
    assert "orders_2026-06-latin1.csv | loaded | 1 | 1 | 0 | csv, utf-8, separator ';', decimal ','" in meta["files"]


def test_month_end_snapshots_classify_each_buyer_at_each_month_end(slice_run):
    """Month ends 2026-02-28 .. 2026-05-31, then as_of 2026-06-30. 00042 bought 2026-02-10: active at the
    February, March and April points (18, 49 and 79 days), inactive on 2026-05-31 (110 days), current at
    as_of (2026-06-01 and 06-15: three occasions in 365 days). C003 (2026-03-31) is active until 2026-05-31
    (61 days) and inactive at as_of (91 days)."""
    history = slice_run.query(
        "SELECT customer_id, month_end, status FROM marts.segment_snapshots "
        "WHERE customer_id IN ('00042', 'C003') ORDER BY customer_id, month_end"
    )
    assert [(c, str(d), s) for c, d, s in history] == [
        ("00042", "2026-02-28", "active"),
        ("00042", "2026-03-31", "active"),
        ("00042", "2026-04-30", "active"),
        ("00042", "2026-05-31", "inactive"),
        ("00042", "2026-06-30", "current"),
        ("C003", "2026-03-31", "active"),
        ("C003", "2026-04-30", "active"),
        ("C003", "2026-05-31", "active"),
        ("C003", "2026-06-30", "inactive"),
    ]
    # one row per buyer from the month of their first occasion: 5 + 4 + 3 (C004) + 3 (C002) + 2 (C001)
    assert slice_run.scalar("SELECT count(*) FROM marts.segment_snapshots") == 17


def test_snapshot_at_as_of_equals_the_as_of_marts(slice_run):
    rows = slice_run.query(
        "SELECT s.customer_id, s.status, s.volume_tier, s.frequency_tier, s.lifecycle_stage "
        "FROM marts.segment_snapshots s WHERE s.month_end = DATE '2026-06-30' ORDER BY 1"
    )
    # statuses, tiers as in portfolio.py; lifecycle: tenure under 180 days for all (onboarding) unless lapsed
    assert rows == [
        ("00042", "current", "low", "habitual", "onboarding"),
        ("C001", "current", "medium", "habitual", "onboarding"),
        ("C002", "active", "high", "occasional", "onboarding"),
        ("C003", "inactive", "very_high", "occasional", "lapsed"),
        ("C004", "inactive", "low", "occasional", "lapsed"),
    ]
