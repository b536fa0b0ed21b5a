"""Parity runs for `make test-spark`: the same landing folders through the whole pipeline on DuckDB and on Spark
(dbt-spark, session method), once per session each. Collected only when CARTERA_SPARK_TESTS is set (the
make target sets it, after installing Java and the Spark extra), so `make test` never needs Spark."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import PipelineRun, run_cartera

# The sample portfolio at a size a 2-core machine builds twice in minutes: every source, every mart.
SAMPLE_CUSTOMERS = 400
SAMPLE_SEED = 16
CDNOW_AS_OF = "1997-09-30"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "spark" in item.path.parts:
            item.add_marker(pytest.mark.spark)
            item.add_marker(pytest.mark.e2e)


@dataclass
class Parity:
    name: str
    duckdb: PipelineRun
    spark: PipelineRun
    cluster: object | None = None


def _runs(name: str, landing: Path, root: Path, spark_master: str, **overrides) -> Parity:
    from dagster_project.cli import failures

    duck = run_cartera(landing, root / "duckdb", **overrides)
    assert duck.success, f"{name}: the DuckDB run failed: {failures(duck.result)}"
    spark = run_cartera(landing, root / "spark", engine="spark", spark_master=spark_master, **overrides)
    assert spark.success, f"{name}: the Spark run failed: {failures(spark.result)}"
    return Parity(name, duck, spark)


@pytest.fixture(scope="session")
def cdnow_parity(tmp_path_factory) -> Parity:
    """CDNOW (orders only) on DuckDB and on a Spark standalone cluster the test starts on 127.0.0.1."""
    from datetime import date

    from tests.cdnow import write_cdnow_landing
    from tests.spark.cluster import standalone_cluster

    root = tmp_path_factory.mktemp("cdnow_parity")
    landing = root / "landing"
    write_cdnow_landing(landing)
    with standalone_cluster(root / "cluster") as cluster:
        parity = _runs("cdnow", landing, root, cluster.master_url, as_of=date.fromisoformat(CDNOW_AS_OF))
    parity.cluster = cluster
    return parity


@pytest.fixture(scope="session")
def sample_parity(tmp_path_factory) -> Parity:
    """The bundled sample portfolio (`cartera generate`: every source) on DuckDB and on Spark in process."""
    from dagster_project.cli import main

    root = tmp_path_factory.mktemp("sample_parity")
    landing = root / "landing"
    args = ["generate", "--landing", str(landing), "--customers", str(SAMPLE_CUSTOMERS), "--seed", str(SAMPLE_SEED)]
    assert main(args) == 0
    return _runs("sample", landing, root, "local[2]")
