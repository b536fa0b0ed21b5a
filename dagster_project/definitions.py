"""The Cartera code location: composes assets, checks, jobs, schedules and resources. No logic here."""

from dagster import Definitions, in_process_executor

from .defs.ingestion.assets import raw_assets
from .defs.models.clv import clv_model
from .defs.publish.assets import published_warehouse
from .defs.quality.gx_checks import build_gx_checks
from .defs.reporting.report import retention_report
from .defs.reporting.schedules import (
    build_landing_sensor,
    build_nightly_schedule,
    cartera_job,
    in_time_zone,
    nightly_job,
    weekly_report_job,
    weekly_schedule,
)
from .defs.resources import build_resources
from .defs.transform.assets import dbt_models, dbt_models_after_clv
from .settings import Settings


def build_definitions(settings: Settings) -> Definitions:
    return Definitions(
        assets=[*raw_assets, dbt_models, clv_model, dbt_models_after_clv, published_warehouse, retention_report],
        asset_checks=build_gx_checks(),
        jobs=[cartera_job, nightly_job, weekly_report_job],
        schedules=[in_time_zone(s, settings.timezone) for s in (build_nightly_schedule(settings), weekly_schedule)],
        sensors=[build_landing_sensor(settings)],
        resources=build_resources(settings),
        executor=in_process_executor,  # one process: DuckDB has one writer, and steps are SQL-bound anyway
    )


def __getattr__(name: str):
    # `dagster dev` / workspace.yaml load `defs`; settings are read then (at load), not at import.
    if name == "defs":
        return build_definitions(Settings.from_env())
    raise AttributeError(name)
