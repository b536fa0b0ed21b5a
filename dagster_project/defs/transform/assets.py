"""The dbt models as Dagster assets, in two builds around the Python CLV model.

Models downstream of the tables the Python customer-value model writes (source `clv`: customer_clv,
clv_model_params, ..., customer_profile) build in a second `dbt build` after it; everything else in the first.
dbt tests run inside the same `dbt build` and appear as asset checks; a failing one fails the step, so
nothing downstream (publishing, the report) runs on bad data. A model's column tests (not_null, unique, ...) run
as one test per model, column_rules (column_rules.py). Staging models nothing reads yet are not built.
"""

import json
from pathlib import Path

from dagster import AssetExecutionContext
from dagster_dbt import DbtCliResource, dbt_assets

from ...lib.environ import environment
from ...project import dbt_project
from ..resources import WarehouseResource
from . import column_rules
from .in_process import dbt_build_events
from .translator import CarteraDbtTranslator

AFTER_PYTHON_MODELS = "source:clv+"


def unused_staging_models(manifest_path: Path, manifest: dict | None = None) -> list[str]:
    """Staging models nothing reads (no model or exposure downstream): left out of the build, so the tests of a
    source no one uses yet cannot block publishing. A model that starts reading one brings it back."""
    manifest = manifest or json.loads(manifest_path.read_text())
    children = manifest["child_map"]
    return sorted(
        node["name"]
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model"
        and node["fqn"][1:2] == ["staging"]
        and not any(c.split(".")[0] in ("model", "exposure", "snapshot") for c in children.get(uid, []))
    )


_MANIFEST = json.loads(Path(dbt_project.manifest_path).read_text())
UNUSED_STAGING = unused_staging_models(Path(dbt_project.manifest_path), _MANIFEST)
column_rules.check_every_model_has_column_rules(_MANIFEST)  # else those models' column tests would not run
del _MANIFEST


def _build(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    # dbt unit tests check the SQL, not the data: they run in `make test` (tests/integration/test_slice.py),
    # not in every production build. The column tests run inside each model's column_rules test.
    args = ["build", "--exclude-resource-type", "unit_test", "--exclude", column_rules.COVERED_SELECTION]
    args += ["--vars", json.dumps(warehouse.dbt_vars())]
    if warehouse.engine == "spark":
        yield from _build_on_spark(context, dbt, warehouse, args)
        return

    def query(sql: str) -> list[tuple]:
        with warehouse.connect(read_only=True) as con:
            return con.execute(sql).fetchall()

    yield from dbt_build_events(
        context, args, dbt_project=dbt_project, translator=CarteraDbtTranslator(), env=warehouse.dbt_env(), query=query
    )


def _build_on_spark(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource, args):
    """The same build on Spark (lib/engine.py): the sources as Parquet in, the tables Spark built back into the
    working copy, so the steps after this one read what they always read."""
    from ...lib import engine
    from ..models import clv_io

    manifest = json.loads(Path(dbt_project.manifest_path).read_text())
    layout = warehouse.spark_layout
    with warehouse.connect() as con:
        clv_io.ensure_tables(con)  # the clv sources exist (empty) before the model first runs, as on DuckDB
        sources = engine.export_sources(con, layout, engine.source_relations(manifest))
    env = {**warehouse.dbt_env(), "CARTERA_SPARK_SOURCES": ",".join(sources)}
    with environment(env):
        invocation = dbt.cli([*args, "--target", "spark"], context=context, target_path=SPARK_TARGET_PATH)
        yield from invocation.stream()
    built = engine.built_relations(manifest, invocation.get_artifact("run_results.json"))
    with warehouse.connect() as con:
        rows = engine.import_built(con, layout, built)
    context.log.info(f"read {len(rows)} tables Spark built into the working copy: {rows}")


# dbt's own files for Spark builds (its manifest holds the Spark target's SQL): apart from DuckDB's.
SPARK_TARGET_PATH = Path(dbt_project.target_path).parent / "target_spark"


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    exclude=" ".join([AFTER_PYTHON_MODELS, *UNUSED_STAGING]),
    dagster_dbt_translator=CarteraDbtTranslator(),
    name="dbt_models",
)
def dbt_models(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """Staging, intermediate and marts models that only need raw data."""
    yield from _build(context, dbt, warehouse)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    select=AFTER_PYTHON_MODELS,
    dagster_dbt_translator=CarteraDbtTranslator(),
    name="dbt_models_after_clv",
)
def dbt_models_after_clv(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """The customer-value marts and the models that combine them with the other marts (customer_profile)."""
    yield from _build(context, dbt, warehouse)
