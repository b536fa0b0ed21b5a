"""Write-audit-publish: a failing check stops the run before publishing; analysts keep reading the last
good state; a second run waits for the first; a fixed export recovers without clean-up."""

import fcntl
import os
import threading
import time

import duckdb
import pytest

from tests.conftest import run_cartera, write

from .portfolio import write_portfolio

HUGE_ORDER = "order_id,customer_id,order_date,amount\nX1,C001,2026-06-20,2000000.00\n"
FIXED_ORDER = "order_id,customer_id,order_date,amount\nX1,C001,2026-06-20,200.00\n"


def published_run_id(warehouse) -> str:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("SELECT DISTINCT run_id FROM marts.warehouse_state").fetchone()[0]
    finally:
        con.close()


def wait_until_blocked_on(path, timeout: float) -> bool:
    """Poll (no fixed sleep) until a process waits for the lock on `path` (Linux /proc/locks marks waiters "->")."""
    inode = os.stat(path).st_ino
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open("/proc/locks") as f:
            if any("->" in line and line.split()[-3].endswith(f":{inode}") for line in f):
                return True
        time.sleep(0.05)
    return False


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    """good run -> export with a 2,000,000 order (GX fails) -> the export fixed, run while the lock is held."""
    root = tmp_path_factory.mktemp("wap")
    landing = write_portfolio(root / "landing")
    good = run_cartera(landing, root)
    assert good.success
    report = good.settings.reports / "latest.html"
    state = {
        "good": good,
        "report_before": report.read_bytes(),
        "run_id_before": published_run_id(good.settings.warehouse),
        "inode_before": good.settings.warehouse.stat().st_ino,
    }

    write(landing / "orders_2026-06-21.csv", HUGE_ORDER)
    state["bad"] = run_cartera(landing, root)
    state["report_after_bad"] = report.read_bytes()
    state["run_id_after_bad"] = published_run_id(good.settings.warehouse)

    # An analyst is connected to the published warehouse while the next run writes.
    analyst = duckdb.connect(str(good.settings.warehouse), read_only=True)
    write(landing / "orders_2026-06-21.csv", FIXED_ORDER)
    lock = open(good.settings.work_dir / "run.lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)  # another run holds the warehouse
    box = {}
    runner = threading.Thread(target=lambda: box.setdefault("run", run_cartera(landing, root)))
    runner.start()
    state["waited_on_the_lock"] = wait_until_blocked_on(lock.name, timeout=120)
    state["published_while_locked"] = published_run_id(good.settings.warehouse)
    state["finished_while_locked"] = not runner.is_alive()
    lock.close()  # the other run ends: ours goes on
    runner.join(timeout=300)
    state["fixed"] = box["run"]
    state["analyst_sees"] = analyst.execute("SELECT DISTINCT run_id FROM marts.warehouse_state").fetchone()[0]
    state["analyst_revenue_c001"] = analyst.execute(
        "SELECT net_revenue FROM marts.customer_profile WHERE customer_id = 'C001'"
    ).fetchone()[0]
    analyst.close()
    return state


def test_failing_expectation_fails_the_run_naming_it(scenario):
    from dagster_project.cli import failures

    assert not scenario["bad"].success
    reasons = "\n".join(failures(scenario["bad"].result))
    assert "raw_orders:gx_raw_orders failed" in reasons
    assert "expect_column_values_to_be_between(amount)" in reasons


def test_failing_check_leaves_published_warehouse_and_report_as_they_were(scenario):
    assert scenario["run_id_after_bad"] == scenario["run_id_before"]
    assert scenario["report_after_bad"] == scenario["report_before"]


def test_failing_check_stops_models_downstream(scenario):
    steps = {e.step_key for e in scenario["bad"].result.all_events if e.event_type_value == "STEP_SUCCESS"}
    assert "raw_orders" in steps
    assert not {"dbt_models", "published_warehouse", "retention_report"} & steps


def test_second_run_waits_for_the_first_instead_of_failing(scenario):
    assert scenario["waited_on_the_lock"] is True
    assert scenario["finished_while_locked"] is False
    assert scenario["published_while_locked"] == scenario["run_id_before"]
    assert scenario["fixed"].success


def test_fixed_export_under_same_name_replaces_the_bad_rows(scenario):
    fixed = scenario["fixed"]
    # C001: 50 + 100 from the portfolio + the corrected 200.
    assert fixed.scalar("SELECT net_revenue FROM marts.customer_profile WHERE customer_id = 'C001'") == 350
    assert fixed.scalar("SELECT count(*) FROM audit.ingested_files WHERE file = 'orders_2026-06-21.csv'") == 1


def test_analyst_connection_keeps_its_snapshot_and_new_connections_see_the_new_state(scenario):
    assert scenario["analyst_sees"] == scenario["run_id_before"]
    assert scenario["analyst_revenue_c001"] == 150
    assert published_run_id(scenario["fixed"].settings.warehouse) == scenario["fixed"].result.run_id


def test_a_bad_action_group_blocks_publishing_only_when_something_reads_actions(tmp_path, monkeypatch):
    """A dbt test with error severity (an action group that is neither treatment nor control would corrupt the
    experiment) fails the dbt step when a model reads actions: nothing downstream is built, nothing is published.
    While nothing reads them, stg_crm__actions is not built and its tests cannot block the night. Ingestion turns
    an unknown group into NULL (counted), so the bad value is let through it here as a fault would."""
    from dagster_project.cli import failures
    from dagster_project.defs.transform.assets import UNUSED_STAGING
    from dagster_project.lib.ingest import rules

    monkeypatch.setattr(rules, "code_expr", lambda col, ref: ref)

    landing = write_portfolio(tmp_path / "landing")
    write(
        landing / "actions.csv",
        "customer_id,action_date,action_type,touch_point,group\n"
        "C001,2026-06-01,call,phone,treatment\nC002,2026-06-02,call,phone,maybe\n",
    )
    run = run_cartera(landing, tmp_path)
    if "stg_crm__actions" in UNUSED_STAGING:
        assert run.success and run.settings.warehouse.exists()
        assert (run.settings.reports / "latest.html").exists()
        return
    assert not run.success
    # One line naming the model's column_rules check, the column, the rule and how many values broke it.
    [line] = [line for line in failures(run.result) if "stg_crm__actions" in line]
    assert line.startswith("check stg_crm__actions:column_rules_stg_crm__actions_ failed (blocking): ")
    assert "stg_crm__actions.action_group: accepted_values failed on 1 value (action_group is one of: " in line
    steps = {e.step_key for e in run.result.all_events if e.event_type_value == "STEP_SUCCESS"}
    assert not {"customer_clv", "published_warehouse", "retention_report"} & steps
    assert not run.settings.warehouse.exists()
    assert not (run.settings.reports / "latest.html").exists()
