"""One asset per landing source: new or changed files into raw.<source>, broken rows quarantined."""

from dagster import AssetExecutionContext, AssetsDefinition, Failure, MaterializeResult, MetadataValue, asset

from ...lib.ingest import SOURCES, Source, SourceResult, ingest_source
from ...lib.ingest.mapping import MappingError
from ..resources import WarehouseResource

INGESTION_GROUP = "ingestion"


def _metadata(result: SourceResult) -> dict:
    files = [f for f in result.files if f.status != "unchanged"]
    meta = {
        "rows_read": result.rows_read,
        "rows_loaded": result.rows_loaded,
        "rows_rejected": result.rows_rejected,
        "table_rows": result.table_rows,
        "rejected_rows_total": result.rejected_total,
        "files_new_or_changed": len(files),
        "files_unchanged": sum(f.status == "unchanged" for f in result.files),
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
    nulled = {f"{f.file}.{col}": n for f in files for col, n in f.nulled_values.items()}
    if nulled:
        meta["values_set_to_null"] = MetadataValue.json(nulled)
    return meta


def build_raw_asset(source: Source) -> AssetsDefinition:
    @asset(
        name=f"raw_{source.name}",
        group_name=INGESTION_GROUP,
        description=f"raw.{source.table}: {source.description} Loaded from {source.name}*.csv|parquet|xlsx in the "
        "landing folder (or the files cartera.yml names); each file once (by name and checksum); broken rows go to raw.rejected_rows.",
        kinds={"duckdb", "python"},
        metadata={"table": f"raw.{source.table}", "required_source": source.required},
    )
    def _raw(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
        try:
            with warehouse.connect() as con:
                result = ingest_source(con, warehouse.landing_path, source, max_date=warehouse.max_date_value)
        except MappingError as e:  # the landing folder's cartera.yml is wrong: one line naming file and key
            raise Failure(str(e)) from None
        for f in result.files:
            if f.status == "refused":
                context.log.warning(f"refused {f.file}: {f.reason}")
            elif f.status != "unchanged":
                context.log.info(f"{f.file}: {f.rows_read} read = {f.rows_loaded} loaded + {f.rows_rejected} rejected")
        if source.required and result.table_rows == 0:
            refused = "; ".join(f.reason for f in result.files if f.status == "refused")
            raise Failure(
                f"no usable {source.name} export in {warehouse.landing_path}: expected {source.name}.csv "
                f"(or {source.name}_<anything>.csv / .parquet) with columns "
                f"{', '.join(c.file_header for c in source.required_columns)}" + (f". {refused}" if refused else ""),
                metadata=_metadata(result),
            )
        return MaterializeResult(metadata=_metadata(result))

    return _raw


raw_assets = [build_raw_asset(s) for s in SOURCES.values()]
