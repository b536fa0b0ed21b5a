"""Ingesting a landing folder into a real DuckDB file, for the unit tests of ingestion: the folder and connection
fixtures live in tests/unit/conftest.py, the helpers here check rows read = loaded + rejected on every file."""

from __future__ import annotations

from dagster_project.lib.ingest.loader import ingest_source
from dagster_project.lib.ingest.sources import SOURCES
from tests.conftest import FIXTURE_MAX_DATE

MAX_DATE = FIXTURE_MAX_DATE


def ingest_result(con, landing, source: str = "orders", **kw):
    """Ingest `source` from `landing`; every file's rows read must equal rows loaded + rejected."""
    result = ingest_source(con, landing, SOURCES[source], max_date=MAX_DATE, **kw)
    for f in result.files:
        assert f.rows_read == f.rows_loaded + f.rows_rejected, f
    return result


def ingest(con, landing, source: str = "orders", **kw) -> dict:
    """Like ingest_result, by file name."""
    return {f.file: f for f in ingest_result(con, landing, source, **kw).files}
