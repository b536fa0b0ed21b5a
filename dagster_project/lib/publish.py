"""Publish the checked marts to the warehouse analysts read, in one atomic step.

What is published is derived from dbt's manifest (`published_nodes`), not listed.

A run builds and checks everything in a working copy. Publishing writes the marts (and the audit tables
that explain what was rejected) into a new DuckDB file beside the published one, then renames it over the
published file. A rename is atomic: a reader sees the old file or the new one, never a mix; a reader that
already has the old file open keeps reading it undisturbed; a crash before the rename leaves the published
file untouched (the half-written temporary file is removed by the next run).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from .sql import quote_identifier, quote_literal, scalar

MARTS_SCHEMA = "marts"
AUDIT_TABLES = ("raw.rejected_rows", "raw.ingested_files")
# What the run did besides the marts, published under audit when the run wrote it: the customer-value model's
# fitted / why-not row (the report says the model could not run, and why).
OPTIONAL_AUDIT_TABLES = {"clv.model_run": "clv_model_run"}
_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")
TEMP_SUFFIX = ".publishing"
# The published file is written in DuckDB's 1.0 storage format, whichever DuckDB writes it: analysts' tools that
# bundle DuckDB 1.x (DBeaver's driver, older CLIs, R/Python packages) cannot open a file in DuckDB 2.0's own format
# ("version number 69"). Under the locked 1.5.x this is also its default; it matters when the lock moves to 2.x.
PUBLISHED_STORAGE_VERSION = "v1.0.0"


def remove_leftovers(published: Path) -> list[Path]:
    """Delete temporary files a crashed publish left behind."""
    leftovers = list(published.parent.glob(published.name + TEMP_SUFFIX + "*"))
    for p in leftovers:
        p.unlink(missing_ok=True)
    return leftovers


def published_nodes(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """What is published, read from dbt's manifest (never a list kept by hand): every model in the marts schema,
    every node an exposure depends on (the report's inputs), and every table written by Python (a source whose
    meta.dagster.asset_key names the asset that writes it). Each as its manifest node, sorted by schema.table."""
    nodes = {**manifest["nodes"], **manifest["sources"]}
    chosen = {
        uid for uid, n in manifest["nodes"].items() if n["resource_type"] == "model" and n["schema"] == MARTS_SCHEMA
    }
    for exposure in manifest.get("exposures", {}).values():
        chosen |= {uid for uid in exposure["depends_on"]["nodes"] if uid in nodes}
    chosen |= {
        uid for uid, n in manifest["sources"].items() if ((n.get("meta") or {}).get("dagster") or {}).get("asset_key")
    }
    return sorted((nodes[uid] for uid in chosen), key=lambda n: (n["schema"], relation_name(n)))


def relation_name(node: dict[str, Any]) -> str:
    """The table a model or source is in the warehouse."""
    return node.get("identifier") or node.get("alias") or node["name"]


def publish(
    work_db: Path,
    published: Path,
    *,
    tables: Sequence[tuple[str, str]],
    run_id: str,
    as_of: date | None,
    memory_limit: str = "3GB",
    threads: int = 2,
) -> dict[str, int]:
    """Copy `tables` ((schema, table) of the working copy) and the audit tables into a new file, stamp it, and
    atomically replace `published`. Returns row counts per published table."""
    published.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(published)
    tmp = published.with_name(published.name + TEMP_SUFFIX)
    con = duckdb.connect(":memory:", config={"memory_limit": memory_limit, "threads": threads})
    counts: dict[str, int] = {}
    try:
        # ATTACH takes no parameters: paths go in as escaped literals.
        con.execute(
            f"ATTACH {quote_literal(str(tmp), 'path')} AS pub (STORAGE_VERSION {quote_literal(PUBLISHED_STORAGE_VERSION, 'version')})"
        )
        con.execute(f"ATTACH {quote_literal(str(work_db), 'path')} AS work (READ_ONLY)")
        con.execute("USE work")
        targets = [(s, t, s, t) for s, t in tables] + [(*a.split("."), "audit", a.split(".")[1]) for a in AUDIT_TABLES]
        present = {
            f"{s}.{t}"
            for s, t in con.execute(
                "SELECT table_schema, table_name FROM information_schema.tables WHERE table_catalog = 'work'"
            ).fetchall()
        }
        targets += [(*src.split("."), "audit", dst) for src, dst in OPTIONAL_AUDIT_TABLES.items() if src in present]
        for schema in sorted({t[2] for t in targets} | {MARTS_SCHEMA}):
            con.execute(f"CREATE SCHEMA IF NOT EXISTS pub.{quote_identifier(schema)}")
        for src_schema, src_table, dst_schema, dst_table in targets:
            if not all(_IDENT.match(x) for x in (src_schema, src_table, dst_schema, dst_table)):
                raise ValueError(f"refusing to publish a table with an unexpected name: {src_schema}.{src_table}")
            con.execute(f"CREATE TABLE pub.{dst_schema}.{dst_table} AS SELECT * FROM {src_schema}.{src_table}")
            counts[f"{dst_schema}.{dst_table}"] = scalar(con, f"SELECT count(*) FROM pub.{dst_schema}.{dst_table}")
        published_at = datetime.now(UTC).replace(tzinfo=None)
        con.execute("""CREATE TABLE pub.marts.warehouse_state (as_of DATE, run_id VARCHAR, published_at TIMESTAMP,
                       table_name VARCHAR, row_count BIGINT)""")
        con.executemany(
            "INSERT INTO pub.marts.warehouse_state VALUES (?, ?, ?, ?, ?)",
            [[as_of, run_id, published_at, name, n] for name, n in counts.items()],
        )
        con.execute("USE memory")
        con.execute("DETACH work")
        con.execute("DETACH pub")
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    con.close()
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, published)
    dir_fd = os.open(published.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return counts
