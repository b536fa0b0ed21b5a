"""Publish the checked marts to the warehouse analysts read, in one atomic step.

A run builds and checks everything in a working copy. Publishing writes the marts (and the audit tables
that explain what was rejected) into a new DuckDB file beside the published one, then renames it over the
published file. A rename is atomic: a reader sees the old file or the new one, never a mix; a reader that
already has the old file open keeps reading it undisturbed; a crash before the rename leaves the published
file untouched (the half-written temporary file is removed by the next run).
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from .sql import quote_literal, scalar

PUBLISHED_SCHEMAS = ("marts",)
AUDIT_TABLES = ("raw.rejected_rows", "raw.ingested_files")
# What the run did besides the marts, published under audit when the run wrote it: the customer-value model's
# fitted / why-not row (the report says the model could not run, and why).
OPTIONAL_AUDIT_TABLES = {"clv.model_run": "clv_model_run"}
_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")
TEMP_SUFFIX = ".publishing"


def remove_leftovers(published: Path) -> list[Path]:
    """Delete temporary files a crashed publish left behind."""
    leftovers = list(published.parent.glob(published.name + TEMP_SUFFIX + "*"))
    for p in leftovers:
        p.unlink(missing_ok=True)
    return leftovers


def publish(
    work_db: Path, published: Path, *, run_id: str, as_of: date | None, memory_limit: str = "3GB", threads: int = 2
) -> dict[str, int]:
    """Copy every table of the published schemas and the audit tables into a new file, stamp it, and
    atomically replace `published`. Returns row counts per published table."""
    published.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(published)
    tmp = published.with_name(published.name + TEMP_SUFFIX)
    con = duckdb.connect(":memory:", config={"memory_limit": memory_limit, "threads": threads})
    counts: dict[str, int] = {}
    try:
        # ATTACH takes no parameters: paths go in as escaped literals.
        con.execute(f"ATTACH {quote_literal(str(tmp), 'path')} AS pub")
        con.execute(f"ATTACH {quote_literal(str(work_db), 'path')} AS work (READ_ONLY)")
        con.execute("USE work")
        tables = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_catalog = 'work' "
            f"AND table_schema IN ({', '.join('?' for _ in PUBLISHED_SCHEMAS)}) ORDER BY 1, 2",
            list(PUBLISHED_SCHEMAS),
        ).fetchall()
        targets = [(s, t, s, t) for s, t in tables] + [(*a.split("."), "audit", a.split(".")[1]) for a in AUDIT_TABLES]
        present = {
            f"{s}.{t}"
            for s, t in con.execute(
                "SELECT table_schema, table_name FROM information_schema.tables WHERE table_catalog = 'work'"
            ).fetchall()
        }
        targets += [(*src.split("."), "audit", dst) for src, dst in OPTIONAL_AUDIT_TABLES.items() if src in present]
        for schema in {t[2] for t in targets}:
            con.execute(f"CREATE SCHEMA IF NOT EXISTS pub.{schema}")
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
