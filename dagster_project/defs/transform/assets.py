"""The dbt models as Dagster assets, in two builds around the Python CLV model.

Models downstream of the tables the Python customer-value model writes (source `clv`: customer_clv,
clv_model_params, ..., customer_profile) build in a second `dbt build` after it; everything else in the first.
dbt tests run inside the same `dbt build` and appear as asset checks; a failing one fails the step, so
nothing downstream (publishing, the report) runs on bad data.
"""

import json

from dagster import AssetExecutionContext
from dagster_dbt import DbtCliResource, dbt_assets

from ...project import dbt_project
from ..resources import WarehouseResource, environment
from .translator import CarteraDbtTranslator

AFTER_PYTHON_MODELS = "source:clv+"


def _build(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    # dbt unit tests check the SQL, not the data: they run in `make test` (tests/integration/test_slice.py),
    # not in every production build.
    args = ["build", "--exclude-resource-type", "unit_test", "--vars", json.dumps(warehouse.dbt_vars())]
    with environment(warehouse.dbt_env()):
        yield from dbt.cli(args, context=context, target_path=dbt_project.target_path).stream()


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    exclude=AFTER_PYTHON_MODELS,
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
