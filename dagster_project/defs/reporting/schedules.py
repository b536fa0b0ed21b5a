"""Jobs, schedules and the landing-folder sensor."""

import hashlib

from dagster import (
    AssetSelection,
    DagsterRunStatus,
    DefaultScheduleStatus,
    RunRequest,
    RunsFilter,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    SensorEvaluationContext,
    SkipReason,
    define_asset_job,
    schedule,
    sensor,
)

from ...lib.ingest.landing import landing_files, unstable_files
from ...lib.ingest.sources import SOURCES
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

LANDING_TAG = "cartera/landing"  # which exports (and warehouse) a writing run was started on


def landing_tag(settings: Settings) -> str:
    """A short digest of the landing folder's exports (names, sizes, times) and of the warehouse they feed."""
    text = f"{settings.landing}|{settings.warehouse}|{landing_fingerprint(settings)}"
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def last_writing_run_landing(instance) -> str | None:
    """The landing tag of the last successful run that wrote the warehouse (None: no such run, or untagged)."""
    runs = instance.get_runs(
        filters=RunsFilter(tags={"cartera/warehouse": "write"}, statuses=[DagsterRunStatus.SUCCESS]), limit=1
    )
    return runs[0].tags.get(LANDING_TAG) if runs else None


def build_nightly_schedule(settings: Settings):
    @schedule(
        name="nightly_refresh_0200",
        job=nightly_job,
        cron_schedule="0 2 * * *",
        default_status=DefaultScheduleStatus.STOPPED,
        description="Every night at 02:00: ingest, models, checks, publish. Skipped when no export is new or "
        "changed since the last successful run on this warehouse.",
    )
    def nightly_refresh_0200(context: ScheduleEvaluationContext):
        tag = landing_tag(settings)
        if last_writing_run_landing(context.instance) == tag:
            return SkipReason(f"no new or changed exports in {settings.landing} since the last successful run")
        return RunRequest(tags={LANDING_TAG: tag})

    return nightly_refresh_0200


weekly_schedule = ScheduleDefinition(
    name="weekly_report_monday_0700",
    job=weekly_report_job,
    cron_schedule="0 7 * * 1",
    default_status=DefaultScheduleStatus.STOPPED,
    description="Mondays at 07:00: the weekly retention report.",
)


def in_time_zone(schedule: ScheduleDefinition, timezone: str) -> ScheduleDefinition:
    """A copy of `schedule` whose cron runs on `timezone`'s clock (Settings.timezone; Dagster's own
    with_attributes copies a schedule the same way but cannot change its time zone)."""
    return ScheduleDefinition.dagster_internal_init(
        name=schedule.name,
        cron_schedule=schedule.cron_schedule,
        job_name=None,
        execution_timezone=timezone,
        execution_fn=schedule._execution_fn,  # noqa: SLF001 - the schedule's own body, unchanged
        description=schedule.description,
        job=schedule.job,
        default_status=schedule.default_status,
        environment_vars=None,  # deprecated in Dagster, no effect
        required_resource_keys=schedule._raw_required_resource_keys,  # noqa: SLF001
        run_config=None,
        run_config_fn=None,
        tags=schedule.tags,
        tags_fn=None,
        metadata=schedule.metadata,
        should_execute=None,
        target=None,
        owners=schedule.owners,
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
        if not settings.landing.is_dir():
            return SkipReason(f"landing folder {settings.landing} does not exist")
        fingerprint = landing_fingerprint(settings)
        if not fingerprint:
            return SkipReason(f"no exports in {settings.landing}")
        # an export still being copied (size or time changing) waits: the run would skip it anyway
        paths = [p for source in SOURCES.values() for p in landing_files(settings.landing, source)]
        if copying := unstable_files(paths, settings.settle_seconds):
            return SkipReason(f"waiting for {', '.join(sorted(p.name for p in copying))} to finish copying")
        if fingerprint == context.cursor:
            return SkipReason("no new or changed exports")
        context.update_cursor(fingerprint)
        return RunRequest(
            run_key=fingerprint[-200:] if len(fingerprint) > 200 else fingerprint,
            tags={LANDING_TAG: landing_tag(settings)},
        )

    return landing_folder_sensor
