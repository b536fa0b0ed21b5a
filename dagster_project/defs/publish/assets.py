"""The published warehouse: the last state whose every blocking check passed.

What it holds is derived from the dbt project (lib/publish.py `published_nodes`: every marts model, every
exposure's inputs, every table a Python asset writes as declared to dbt as a source); it depends on exactly those
assets, so it waits for each of them and their blocking checks.
"""

import json
from pathlib import Path

from dagster import AssetExecutionContext, AssetKey, AssetSpec, MaterializeResult, MetadataValue, multi_asset

from ...lib.publish import MARTS_SCHEMA, publish, published_nodes, relation_name
from ...lib.sql import scalar
from ...project import dbt_project
from ..resources import WarehouseResource
from ..transform.translator import asset_key_for


def published_tables() -> dict[AssetKey, tuple[str, str]]:
    """Each published asset and the (schema, table) it is in the warehouse, from dbt's manifest."""
    manifest = json.loads(Path(dbt_project.manifest_path).read_text())
    return {asset_key_for(node): (node["schema"], relation_name(node)) for node in published_nodes(manifest)}


PUBLISHED = published_tables()


# An AssetSpec, not @asset(deps=...): @asset silently drops one of two deps whose keys read alike as Python
# names (clv/model_params and clv_model_params), and publishing must wait for both.
@multi_asset(
    specs=[
        AssetSpec(
            "published_warehouse",
            group_name="publish",
            deps=sorted(PUBLISHED, key=lambda k: k.to_user_string()),
            description="The warehouse analysts and the report read (--warehouse, default "
            "data/warehouse/cartera.duckdb): every marts model, every exposure's input and every table written by "
            "Python (all derived from the dbt manifest), plus audit.rejected_rows / audit.ingested_files, stamped "
            "in marts.warehouse_state. Replaced in one atomic rename, only after every blocking check upstream "
            "passed.",
            kinds={"duckdb"},
        )
    ]
)
def published_warehouse(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    with warehouse.connect(read_only=True) as con:
        as_of = scalar(con, f"SELECT max(as_of) FROM {MARTS_SCHEMA}.customer_status")
    counts = publish(
        warehouse.work_db_path,
        warehouse.published_path,
        tables=sorted(PUBLISHED.values()),
        run_id=context.run.run_id,
        as_of=as_of,
        memory_limit=warehouse.memory_limit,
        threads=warehouse.threads,
    )
    context.log.info(f"published {len(counts)} tables to {warehouse.published_db} (as_of {as_of})")
    return MaterializeResult(
        metadata={
            "path": MetadataValue.path(warehouse.published_db),
            "as_of": str(as_of),
            "row_counts": MetadataValue.json(counts),
        }
    )
