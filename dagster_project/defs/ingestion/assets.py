"""One asset per landing source: new or changed files into raw.<source>, broken rows quarantined, and a
blocking check that fails the run when a file of this run lost too many rows (lib/ingest/guard.py)."""

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetsDefinition,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)

from ...lib.ingest.guard import REJECTED_ROWS_MAX, REJECTED_SHARE_MAX, rejection_breaches
from ...lib.ingest.landing import LandingError
from ...lib.ingest.loader import SourceResult, ingest_source
from ...lib.ingest.mapping import MappingError
from ...lib.ingest.sources import SOURCES, Source
from ..resources import WarehouseResource

INGESTION_GROUP = "ingestion"
REJECTED_CHECK = "rejected_rows_within_limits"


def _metadata(result: SourceResult) -> dict:
    files = [f for f in result.files if f.status != "unchanged"]
    meta = {
        "rows_read": result.rows_read,
        "rows_loaded": result.rows_loaded,
        "rows_rejected": result.rows_rejected,
        "blank_lines": sum(f.blank_lines for f in result.files),
        "table_rows": result.table_rows,
        "rejected_rows_total": result.rejected_total,
        # 0 = nothing new arrived for this source (a run may say so, a nightly job may skip the rebuild)
        "files_new_or_changed": len(result.new_files),
        "files_unchanged": sum(f.status == "unchanged" for f in result.files),
        "files_skipped": len(result.skipped),
    }
    if files:
        rows = [
            f"| {f.file} | {f.status} | {f.rows_read} | {f.rows_loaded} | {f.rows_rejected} | {f.format or f.reason} |"
            for f in files
        ]
        meta["files"] = MetadataValue.md(
            "\n".join(
                ["| file | status | read | loaded | rejected | format / reason |", "|---|---|---|---|---|---|", *rows]
            )
        )
    refused = [f"{f.file}: {f.reason}" for f in result.files if f.status == "refused"]
    if refused:
        meta["refused_files"] = MetadataValue.md("\n".join(f"- {r}" for r in refused))
    if result.skipped:
        meta["skipped_files"] = MetadataValue.md("\n".join(f"- {f.reason}" for f in result.skipped))
    nulled = {f"{f.file}.{col}": n for f in files for col, n in f.nulled_values.items()}
    if nulled:
        meta["values_set_to_null"] = MetadataValue.json(nulled)
    return meta


def _guard(con, result: SourceResult, warehouse: WarehouseResource) -> AssetCheckResult:
    vars_ = warehouse.dbt_vars()
    share = vars_.get("rejected_share_max", REJECTED_SHARE_MAX)
    rows = vars_.get("rejected_rows_max", REJECTED_ROWS_MAX)
    breaches = rejection_breaches(con, result, share, rows)
    return AssetCheckResult(
        check_name=REJECTED_CHECK,
        passed=not breaches,
        severity=AssetCheckSeverity.ERROR,
        description="; ".join(breaches) or None,
        metadata={"rejected_share_max": share, "rejected_rows_max": rows, "files_checked": len(result.new_files)},
    )


def build_raw_asset(source: Source) -> AssetsDefinition:
    @asset(
        name=f"raw_{source.name}",
        group_name=INGESTION_GROUP,
        description=f"raw.{source.table}: {source.description} Loaded from {source.name}*.csv|parquet|xlsx in the "
        "landing folder (or the files cartera.yml names); each file once (by name and checksum); broken rows go "
        "to raw.rejected_rows.",
        kinds={"duckdb", "python"},
        metadata={"table": f"raw.{source.table}", "required_source": source.required},
        check_specs=[
            AssetCheckSpec(
                REJECTED_CHECK,
                asset=f"raw_{source.name}",
                blocking=True,
                description="Fails the run before publishing when a file of this run had its rejected rows pass "
                "both limits (vars rejected_share_max, default 5%, and rejected_rows_max, default 100 rows).",
            )
        ],
    )
    def _raw(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
        try:
            with warehouse.connect() as con:
                result = ingest_source(
                    con,
                    warehouse.landing_path,
                    source,
                    max_date=warehouse.max_date_value,
                    settle_seconds=warehouse.settle_seconds,
                    rebuild=warehouse.rebuild,
                    run_id=context.run.run_id,
                )
                check = _guard(con, result, warehouse)
        except (MappingError, LandingError) as e:  # cartera.yml or the landing folder: one line naming it
            raise Failure(str(e)) from None
        for f in result.files:
            if f.status == "refused":
                context.log.warning(f"refused {f.file}: {f.reason}")
            elif f.status != "unchanged":
                context.log.info(f"{f.file}: {f.rows_read} read = {f.rows_loaded} loaded + {f.rows_rejected} rejected")
        for f in result.skipped:
            context.log.info(f"skipped {f.reason}")
        if source.required and result.table_rows == 0:
            refused = "; ".join(f.reason for f in result.files if f.status == "refused")
            raise Failure(
                f"no usable {source.name} export in {warehouse.landing_path}: expected {source.name}.csv "
                f"(or {source.name}_<anything>.csv / .parquet) with columns "
                f"{', '.join(c.file_header for c in source.required_columns)}" + (f". {refused}" if refused else ""),
                metadata=_metadata(result),
            )
        return MaterializeResult(metadata=_metadata(result), check_results=[check])

    return _raw


raw_assets = [build_raw_asset(s) for s in SOURCES.values()]
