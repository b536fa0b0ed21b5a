"""A run killed at any point (kill -9 of the whole run) leaves the published warehouse readable and unchanged,
and the next run completes normally without manual clean-up."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib.generate import generate_portfolio
from tests.conftest import FIXTURE_MAX_DATE, run_cartera

NEW_DAY = "order_id,customer_id,order_date,amount\nNEW1,00001,2026-10-31,99.00\nNEW2,00002,2026-10-31,1.00\n"


def published_state(warehouse: Path):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("SELECT DISTINCT run_id FROM marts.warehouse_state").fetchone()[0], con.execute(
            "SELECT count(*) FROM marts.customer_status"
        ).fetchone()[0]
    finally:
        con.close()


def start_run(root: Path, landing: Path) -> subprocess.Popen:
    env = {**os.environ, "DAGSTER_HOME": str(root / "dagster_home"), "CARTERA_MAX_DATE": FIXTURE_MAX_DATE.isoformat()}
    (root / "dagster_home").mkdir(exist_ok=True)
    cli = Path(sys.executable).with_name("cartera")
    return subprocess.Popen(
        [
            str(cli),
            "run",
            "--landing",
            str(landing),
            "--warehouse",
            str(root / "warehouse" / "cartera.duckdb"),
            "--reports",
            str(root / "reports"),
        ],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill_when(proc: subprocess.Popen, condition, timeout=120) -> bool:
    """kill -9 the run's whole process group as soon as `condition()` holds; True if it was killed mid-run."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if condition():
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.005)
    proc.kill()
    proc.wait()
    return False


def dbt_is_building(log: Path) -> bool:
    """dbt builds inside the run's process: it is building once its first node started (its log line)."""
    try:
        return " START sql " in log.read_text(errors="replace")
    except FileNotFoundError:
        return False


@pytest.fixture(scope="module")
def crashed(tmp_path_factory):
    root = tmp_path_factory.mktemp("crash")
    landing = root / "landing"
    generate_portfolio(landing, customers=3000, years=2, seed=7)
    first = run_cartera(landing, root)
    assert first.success
    warehouse = first.settings.warehouse
    before = published_state(warehouse)
    (landing / "orders_2026-10-31.csv").write_text(NEW_DAY)
    wal = first.settings.work_db.with_name(first.settings.work_db.name + ".wal")
    outcomes = {}
    # 1. during ingestion: the working copy's write-ahead log appears when ingestion starts writing.
    wal.unlink(missing_ok=True)
    outcomes["ingestion"] = kill_when(start_run(root, landing), wal.exists)
    outcomes["after_ingestion_kill"] = published_state(warehouse)
    # 2. during dbt: dbt (in the run's process) is building models.
    log = first.settings.work_dir / "last_run.log"
    log.unlink(missing_ok=True)
    proc = start_run(root, landing)
    outcomes["dbt"] = kill_when(proc, lambda: dbt_is_building(log) and time.sleep(1.0) is None)
    outcomes["after_dbt_kill"] = published_state(warehouse)
    # 3. during publish: what a crash mid-publish leaves is a half-written temporary file beside the warehouse.
    leftover = warehouse.with_name(warehouse.name + ".publishing")
    leftover.write_bytes(b"half-written")
    outcomes["after_publish_crash"] = published_state(warehouse)
    final = run_cartera(landing, root, dbt_vars={"mask_personal_data": True})
    return {"before": before, "outcomes": outcomes, "final": final, "leftover": leftover}


def test_kill_during_ingestion_leaves_published_warehouse_unchanged(crashed):
    assert crashed["outcomes"]["ingestion"], "the run finished before it could be killed"
    assert crashed["outcomes"]["after_ingestion_kill"] == crashed["before"]


def test_kill_during_dbt_leaves_published_warehouse_unchanged(crashed):
    assert crashed["outcomes"]["dbt"], "the run finished before it could be killed"
    assert crashed["outcomes"]["after_dbt_kill"] == crashed["before"]


def test_crash_during_publish_leaves_published_warehouse_readable(crashed):
    assert crashed["outcomes"]["after_publish_crash"] == crashed["before"]


def test_next_run_completes_without_clean_up_and_loads_the_new_file_once(crashed):
    final = crashed["final"]
    assert final.success
    assert not crashed["leftover"].exists()
    assert published_state(final.settings.warehouse)[0] == final.result.run_id
    assert final.scalar("SELECT count(*) FROM audit.ingested_files WHERE file = 'orders_2026-10-31.csv'") == 1
    con = duckdb.connect(str(final.settings.work_db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM raw.orders WHERE order_id IN ('NEW1', 'NEW2')").fetchone()[0] == 2
    finally:
        con.close()


def test_personal_data_is_masked_in_the_published_marts_when_asked(crashed):
    final = crashed["final"]
    emails = [r[0] for r in final.query("SELECT email FROM marts.customer_profile WHERE email IS NOT NULL LIMIT 50")]
    assert emails and all(e.startswith("***@") for e in emails)
    names = {
        r[0] for r in final.query("SELECT customer_name FROM marts.customer_profile WHERE customer_name IS NOT NULL")
    }
    assert names == {"***"}
