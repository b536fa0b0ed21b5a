"""Great Expectations suites (expectations/<asset>.json) as blocking Dagster asset checks."""

from dagster import AssetCheckResult, AssetCheckSeverity, AssetKey, MetadataValue, asset_check

from ...lib.quality.gx_runner import Suite, load_suites, validate
from ...settings import EXPECTATIONS_DIR
from ..resources import WarehouseResource

# Above this many rows a suite validates a repeatable random sample and says so in its metadata. Every row
# is still covered: the hard row rules (ids, dates, amounts) at ingestion, and the dbt tests (unique, not_null,
# accepted_values, ranges) on whole tables; GX adds the distribution-level expectations.
FULL_VALIDATION_MAX_ROWS = 250_000
SAMPLE_ROWS = 250_000


def build_gx_check(suite: Suite):
    @asset_check(
        asset=AssetKey(suite.name),
        name=f"gx_{suite.name}",
        blocking=suite.blocking,
        description=f"Great Expectations suite expectations/{suite.name}.json on {suite.table} "
        f"({len(suite.expectations)} expectations).",
    )
    def _check(warehouse: WarehouseResource) -> AssetCheckResult:
        cols = ", ".join(suite.columns)
        with warehouse.connect(read_only=True) as con:
            total = con.execute(f"SELECT count(*) FROM {suite.table}").fetchone()[0]
            scope = "all rows"
            query = f"SELECT {cols} FROM {suite.table}"
            if total > FULL_VALIDATION_MAX_ROWS:
                query += f" USING SAMPLE reservoir({SAMPLE_ROWS} ROWS) REPEATABLE (42)"
                scope = f"repeatable random sample of {SAMPLE_ROWS:,} of {total:,} rows"
            frame = con.execute(query).df()
        outcome = validate(frame, suite)
        meta = {
            "suite": f"expectations/{suite.name}.json",
            "validated": scope,
            "rows_validated": len(frame),
            "expectations_evaluated": outcome.evaluated,
            "expectations_failed": len(outcome.failures),
        }
        if outcome.failures:
            meta["failures"] = MetadataValue.json(outcome.failures)
        return AssetCheckResult(
            passed=outcome.success,
            severity=AssetCheckSeverity.ERROR,
            metadata=meta,
            description=None if outcome.success else f"{suite.name}: {outcome.describe_failures()}",
        )

    return _check


def build_gx_checks():
    return [build_gx_check(s) for s in load_suites(EXPECTATIONS_DIR)]
