"""Shared fixtures: small landing folders written by the tests, and real pipeline runs on them.

Starting Dagster + dbt costs seconds, so each dataset is run once per session and many small tests
assert against the result.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

from dagster_project.settings import Settings

# tests/spark needs Java and the Spark extra: `make test-spark` installs them and sets CARTERA_SPARK_TESTS.
collect_ignore = [] if os.environ.get("CARTERA_SPARK_TESTS") else ["spark"]


def pytest_collection_modifyitems(config, items):
    """Everything under tests/integration runs the real pipeline end to end: marked e2e (make test-fast skips it)."""
    for item in items:
        if "integration" in item.path.parts:
            item.add_marker(pytest.mark.e2e)


def pytest_configure(config):
    """dbt's manifest must exist (and match dbt/) before the Dagster definitions are imported. Parallel workers
    (pytest-xdist, `make test`) each get their own dbt target folder, seeded from dbt/target, so their dbt runs
    never write one another's artifacts."""
    import os
    import shutil

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        from dagster_project.settings import DBT_DIR

        os.environ["DBT_TARGET_PATH"] = f"target/{worker}"
        os.environ["DBT_LOG_PATH"] = str(DBT_DIR / "logs" / worker)
        own = DBT_DIR / "target" / worker
        own.mkdir(parents=True, exist_ok=True)
        for name in ("manifest.json", "partial_parse.msgpack"):
            if (DBT_DIR / "target" / name).exists():
                shutil.copy2(DBT_DIR / "target" / name, own / name)  # keeps the time: staleness is judged the same
    from dagster_project.project import prepare_manifest

    prepare_manifest()


# Dates in fixtures are before this, so nothing is "in the future" whatever day the tests run.
FIXTURE_MAX_DATE = date(2026, 11, 24)


@dataclass
class PipelineRun:
    settings: Settings
    result: object

    @property
    def success(self) -> bool:
        return self.result.success

    def query(self, sql: str, params=None) -> list[tuple]:
        con = duckdb.connect(str(self.settings.warehouse), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def scalar(self, sql: str, params=None):
        return self.query(sql, params)[0][0]


def run_cartera(landing: Path, root: Path, **overrides) -> PipelineRun:
    """Run the real job (Dagster in process, dbt, DuckDB, GX) on `landing`, warehouse under `root`."""
    from dagster import DagsterInstance

    from dagster_project.cli import run_pipeline

    overrides.setdefault("settle_seconds", 0.0)  # fixtures are written just before: no copy is in progress
    settings = Settings.from_env(
        env={},
        landing=landing,
        warehouse=root / "warehouse" / "cartera.duckdb",
        reports=root / "reports",
        max_date=FIXTURE_MAX_DATE,
        **overrides,
    )
    instance = DagsterInstance.ephemeral()
    try:
        result = run_pipeline(settings, instance=instance)
    finally:
        instance.dispose()  # in the thread that made it: its in-memory SQLite can't be closed from another
    return PipelineRun(settings, result)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path
