"""Jobs, schedules and the landing-folder sensor."""

from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    RunRequest,
    ScheduleDefinition,
    SensorEvaluationContext,
    SkipReason,
    define_asset_job,
    sensor,
)

from ...lib.ingest import SOURCES, landing_files
from ...settings import Settings

RUN_TAGS = {"cartera/warehouse": "write"}  # the run queue lets one run at a time carry this tag

everything = AssetSelection.all()
report_only = AssetSelection.assets("retention_report")

cartera_job = define_asset_job(
    "cartera_all",
    selection=everything,
    tags=RUN_TAGS,
    description="Everything: ingest, dbt models and tests, GX checks, CLV, publish, report.",
)
nightly_job = define_asset_job(
    "nightly_refresh",
    selection=everything - report_only,
    tags=RUN_TAGS,
    description="Ingest new exports, rebuild and check the models, publish.",
)
weekly_report_job = define_asset_job(
    "weekly_report", selection=report_only, description="Render the retention report from the published warehouse."
)

nightly_schedule = ScheduleDefinition(
    name="nightly_refresh_0200",
    job=nightly_job,
    cron_schedule="0 2 * * *",
    default_status=DefaultScheduleStatus.STOPPED,
    description="Every night at 02:00: ingest, models, checks, publish.",
)
weekly_schedule = ScheduleDefinition(
    name="weekly_report_monday_0700",
    job=weekly_report_job,
    cron_schedule="0 7 * * 1",
    default_status=DefaultScheduleStatus.STOPPED,
    description="Mondays at 07:00: the weekly retention report.",
)


def landing_fingerprint(settings: Settings) -> str:
    """Names, sizes and modification times of every landing file: changes when an export arrives."""
    parts = []
    for source in SOURCES.values():
        for p in landing_files(settings.landing, source):
            try:
                st = p.stat()
            except OSError:  # a broken link: ingestion refuses it, the sensor only needs to notice it
                parts.append(f"{p.name}:unreadable")
                continue
            parts.append(f"{p.name}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def build_landing_sensor(settings: Settings):
    @sensor(
        job=nightly_job,
        minimum_interval_seconds=60,
        description="Starts the nightly refresh when an export arrives or changes in the landing folder.",
    )
    def landing_folder_sensor(context: SensorEvaluationContext):
        fingerprint = landing_fingerprint(settings)
        if not fingerprint:
            return SkipReason(f"no exports in {settings.landing}")
        if fingerprint == context.cursor:
            return SkipReason("no new or changed exports")
        context.update_cursor(fingerprint)
        return RunRequest(run_key=fingerprint[-200:] if len(fingerprint) > 200 else fingerprint)

    return landing_folder_sensor
