"""The published warehouse: the last state whose every blocking check passed."""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from ...lib.publish import publish
from ..resources import WarehouseResource

# Everything analysts read; publishing waits for all of them and their blocking checks.
PUBLISHED_MARTS = [
    "customer_profile",
    "customer_status",
    "customer_volume",
    "customer_frequency",
    "pareto_customers",
    "pareto_summary",
    "cohort_retention",
    "customer_clv",
    "segment_snapshots",
    "clv_model_params",
    "clv_model_comparison",
    "clv_holdout",
    "clv_holdout_by_frequency",
    "clv_holdout_curve",
    "churn_by_period",
    "growth_scenarios",
    "retention_value",
    "lifecycle_stages",
    "lifecycle_summary",
    "segment_migration",
    "segment_leakage",
    "pareto_insights",
    # early alerts, actions and results (issue 12)
    "early_alerts",
    "alert_history",
    "alert_effectiveness",
    "retention_actions",
    "action_results",
    "nps_monthly",
    "product_affinity",
    "next_best_offer",
    "retention_playbook",
]


@asset(
    group_name="publish",
    deps=[AssetKey(m) for m in PUBLISHED_MARTS],
    description="The warehouse analysts and the report read (--warehouse, default data/warehouse/cartera.duckdb): "
    "schema marts plus audit.rejected_rows / audit.ingested_files, stamped in marts.warehouse_state. "
    "Replaced in one atomic rename, only after every blocking check upstream passed.",
    kinds={"duckdb"},
)
def published_warehouse(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    with warehouse.connect(read_only=True) as con:
        as_of = con.execute("SELECT max(as_of) FROM marts.customer_status").fetchone()[0]
    counts = publish(
        warehouse.work_db_path,
        warehouse.published_path,
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
