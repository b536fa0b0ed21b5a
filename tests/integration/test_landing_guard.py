"""Wrong outcomes that used to be reported as success: a landing folder that doesn't exist, or another
portfolio's folder pointed at the same warehouse. Both stop the run at ingestion, naming the folder, and
leave the published warehouse and the report exactly as they were. Uses a copy of the session's slice run."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import run_cartera, write


@pytest.fixture
def copied_run(slice_run, tmp_path):
    """A private copy of the slice run's warehouse (working copy included) and reports."""
    root = tmp_path / "copy"
    shutil.copytree(slice_run.settings.warehouse.parent, root / "warehouse")  # with .work/, the working copy
    shutil.copytree(slice_run.settings.reports, root / "reports")
    return slice_run, root


def snapshot(root):
    return {p.relative_to(root): p.read_bytes() for p in sorted((root / "reports").rglob("*")) if p.is_file()} | {
        "published": (root / "warehouse" / "cartera.duckdb").read_bytes()
    }


def step_failures(run) -> list[str]:
    from dagster_project.cli import failures

    return failures(run.result)


def test_a_missing_landing_folder_fails_naming_it_and_republishes_nothing(copied_run):
    slice_run, root = copied_run
    before = snapshot(root)
    missing = root / "landnig"

    run = run_cartera(missing, root)

    assert not run.success
    assert any(f"landing folder {missing} does not exist" in line for line in step_failures(run))
    assert snapshot(root) == before


def test_another_landing_folder_is_refused_and_rebuild_starts_from_it(copied_run):
    slice_run, root = copied_run
    before = snapshot(root)
    other = write(
        root / "shop_b" / "orders.csv",
        "customer_id,order_date,amount,order_id\nB1,2026-06-01,10.00,B-1\nB1,2026-06-20,5.00,B-2\n",
    ).parent

    run = run_cartera(other, root)

    assert not run.success
    assert any(
        f"was built from landing folder {slice_run.settings.landing}, not {other}" in line
        for line in step_failures(run)
    )
    assert snapshot(root) == before

    rebuilt = run_cartera(other, root, rebuild=True)
    assert rebuilt.success, step_failures(rebuilt)
    assert rebuilt.query("SELECT customer_id FROM marts.customer_status") == [("B1",)]
