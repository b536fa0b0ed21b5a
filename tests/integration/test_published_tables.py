"""What is published is derived from the dbt project, and the published warehouse holds exactly that."""

from dagster import AssetKey

from dagster_project.defs.publish.assets import PUBLISHED, published_warehouse
from dagster_project.lib.publish import OPTIONAL_AUDIT_TABLES

AUDIT = {("audit", "rejected_rows"), ("audit", "ingested_files"), ("marts", "warehouse_state")}
OPTIONAL = {("audit", table) for table in OPTIONAL_AUDIT_TABLES.values()}  # when the run wrote them


def published_in(run) -> set[tuple[str, str]]:
    return set(run.query("SELECT table_schema, table_name FROM information_schema.tables"))


def test_the_published_warehouse_holds_exactly_the_derived_tables(slice_run):
    published = published_in(slice_run)
    assert set(PUBLISHED.values()) | AUDIT <= published
    assert published - set(PUBLISHED.values()) - AUDIT <= OPTIONAL


def test_every_published_table_is_stamped_with_its_row_count(slice_run):
    stamped = {name for (name,) in slice_run.query("SELECT table_name FROM marts.warehouse_state")}
    expected = (set(PUBLISHED.values()) | AUDIT | OPTIONAL) & published_in(slice_run) - {("marts", "warehouse_state")}
    assert stamped == {f"{s}.{t}" for s, t in expected}


def test_the_published_file_is_in_a_storage_format_duckdb_1_tools_can_open(slice_run):
    """DuckDB 2.0 writes its own format by default, which DuckDB 1.x (analysts' tools) refuses to open (checked
    with duckdb 2.0.1: without STORAGE_VERSION in lib/publish.py the file says v2.0.0+)."""
    ((version,),) = slice_run.query(
        "SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()"
    )
    assert version == "v1.0.0+"


def test_the_report_inputs_and_every_mart_are_published():
    """customer_value_alerts (which the report reads) was missed by the hand-kept list this replaced."""
    tables = set(PUBLISHED.values())
    assert ("marts", "customer_value_alerts") in tables
    assert {("marts", "customer_status"), ("marts", "cohort_retention"), ("marts", "customer_clv")} <= tables


def test_the_python_model_outputs_are_published_under_their_own_schema():
    """Tables a Python asset writes are declared to dbt as sources with meta.dagster.asset_key."""
    assert PUBLISHED[AssetKey(["clv", "customer_scores"])] == ("clv", "customer_scores")


def test_publishing_waits_for_every_published_asset():
    (key,) = published_warehouse.keys
    assert set(published_warehouse.asset_deps[key]) == set(PUBLISHED)
