"""Which engine runs the dbt project, and the one boundary between it and everything else.

Cartera's Python steps (ingestion, the customer-value model, the quality checks, publishing, the report, the
action lists) read and write the DuckDB working copy, whatever engine builds the models. With DuckDB, dbt builds
in that file itself. With Spark (`--engine spark`, dbt target `spark`), dbt builds in a Spark warehouse of Parquet
files, and this module moves data across the boundary in both directions, as Parquet:

- before a Spark build, `export_sources` writes the tables dbt reads as sources (schemas `raw` and `clv`, the
  same rows the DuckDB path reads, types kept: dates as dates, decimals as decimals) to
  `<work dir>/spark/sources/<schema>/<table>/`; the dbt macro `cartera_register_sources` (on-run-start) makes
  them Spark tables;
- after it, `import_built` reads each table Spark built (intermediate models, marts, seeds) from
  `<work dir>/spark/warehouse/<schema>.db/<table>/` into the same schema.table of the working copy.

So the marts downstream steps read are the Spark marts, and nothing downstream knows which engine ran.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from duckdb import DuckDBPyConnection

from .sql import quote_identifier, quote_literal

ENGINES = ("duckdb", "spark")
DEFAULT_SPARK_MASTER = "local[2]"
# Where the Spark work lives, beside the working copy (a real cluster mounts the same path on every node or
# uses shared storage: see README "Running on Spark").
SPARK_DIR_NAME = "spark"
_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")
# A Spark master URL: local, local[N], local[*], local[N,M], spark://host:port[,host:port], yarn, k8s://https://...
_MASTER = re.compile(
    r"^(local(\[(\d+|\*)(,\d+)?\])?|spark://[A-Za-z0-9.\-]+:\d+(,[A-Za-z0-9.\-]+:\d+)*|yarn|k8s://https?://[A-Za-z0-9.\-]+(:\d+)?)$"
)
# Paths Spark SQL receives as text (a table's LOCATION): plain characters only.
_SAFE_PATH = re.compile(r"^/[A-Za-z0-9_./\-]+$")


class EngineError(ValueError):
    """A bad engine setting; the message names it."""


def check_engine(value: str, what: str = "engine") -> str:
    engine = str(value).strip().lower()
    if engine not in ENGINES:
        raise EngineError(f"{what} must be one of {', '.join(ENGINES)}, not {value!r}")
    return engine


def check_spark_master(value: str) -> str:
    """A Spark master URL (local[2], spark://host:7077, yarn, k8s://https://host:443), refused otherwise."""
    if not _MASTER.match(value):
        raise EngineError(
            f"CARTERA_SPARK_MASTER must be a Spark master URL such as local[2], spark://host:7077 or yarn, not {value!r}"
        )
    return value


def check_spark_path(path: Path, what: str = "Spark work folder") -> str:
    """An absolute path made of letters, digits and _ . / - only: it is written into Spark SQL (LOCATION)."""
    text = str(path)
    if not _SAFE_PATH.match(text) or "/../" in text + "/":
        raise EngineError(
            f"{what} {text!r} must be an absolute path of letters, digits and _ . / - only (it is given to Spark "
            "as text); choose a warehouse path without spaces or quotes for --engine spark"
        )
    return text


@dataclass(frozen=True)
class SparkLayout:
    """The folders of the Spark work for one working copy."""

    root: Path

    @classmethod
    def for_work_db(cls, work_db: Path | str) -> SparkLayout:
        return cls(Path(work_db).absolute().parent / SPARK_DIR_NAME)

    @property
    def sources(self) -> Path:
        return self.root / "sources"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse"

    @property
    def metastore(self) -> Path:
        return self.root / "metastore_db"

    def dbt_env(self, master: str) -> dict[str, str]:
        """What the dbt profile's `spark` target reads (dbt/profiles.yml)."""
        return {
            "CARTERA_SPARK_MASTER": check_spark_master(master),
            "CARTERA_SPARK_DIR": check_spark_path(self.root),
        }

    def built_table(self, schema: str, table: str) -> Path:
        """Where Spark keeps a managed table: <warehouse>/<schema>.db/<table> (spark.sql.warehouse.dir)."""
        return self.warehouse / f"{_ident(schema)}.db" / _ident(table)

    def source_table(self, schema: str, table: str) -> Path:
        return self.sources / _ident(schema) / _ident(table)


def _ident(name: str) -> str:
    if not _IDENT.match(name):
        raise EngineError(f"not a plain lower-case table or schema name: {name!r}")
    return name


def source_relations(manifest: dict[str, Any], source_names: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(schema, table) of every dbt source (or of the named ones), from the manifest: what a Spark build reads."""
    wanted = set(source_names) if source_names is not None else None
    return sorted(
        {
            (n["schema"], n.get("identifier") or n["name"])
            for n in manifest["sources"].values()
            if wanted is None or n["source_name"] in wanted
        }
    )


def built_relations(manifest: dict[str, Any], run_results: dict[str, Any]) -> list[tuple[str, str]]:
    """(schema, table) of every model and seed a dbt build made as a table (not a view) and that succeeded."""
    done = {r["unique_id"] for r in run_results.get("results", []) if r.get("status") == "success"}
    out = set()
    for uid in done:
        node = manifest["nodes"].get(uid)
        if not node or node["resource_type"] not in ("model", "seed"):
            continue
        materialized = node["config"].get("materialized")
        if node["resource_type"] == "seed" or materialized in ("table", "incremental"):
            out.add((node["schema"], node.get("alias") or node["name"]))
    return sorted(out)


def export_sources(con: DuckDBPyConnection, layout: SparkLayout, relations: Iterable[tuple[str, str]]) -> dict:
    """Write each source table of the working copy as Parquet for Spark; returns {schema.table: rows} of those
    written. A source the working copy does not have (yet) is left out, so Spark does not have it either: a model
    reading it fails on both engines alike."""
    existing = set(con.execute("SELECT table_schema, table_name FROM information_schema.tables").fetchall())
    written = {}
    for schema, table in relations:
        if (schema, table) not in existing:
            continue
        target = layout.source_table(schema, table)
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        rel = f"{quote_identifier(schema)}.{quote_identifier(table)}"
        con.execute(f"COPY (SELECT * FROM {rel}) TO {quote_literal(str(target / 'part-0.parquet'))} (FORMAT parquet)")
        written[f"{schema}.{table}"] = con.execute(f"SELECT count(*) FROM {rel}").fetchone()[0]  # type: ignore[index]
    return written


def import_built(con: DuckDBPyConnection, layout: SparkLayout, relations: Iterable[tuple[str, str]]) -> dict:
    """Read each table Spark built into the same schema.table of the working copy, in one transaction;
    returns {schema.table: rows}."""
    read = {}
    con.execute("BEGIN TRANSACTION")
    try:
        for schema, table in relations:
            folder = layout.built_table(schema, table)
            # Data files only: Spark writes part-*.parquet, Hive-format tables part-*-c000 (no extension);
            # _SUCCESS and .crc files are bookkeeping.
            files = (
                sorted(str(f) for f in folder.iterdir() if f.is_file() and not f.name.startswith(("_", ".")))
                if folder.is_dir()
                else []
            )
            if not files:
                raise EngineError(f"Spark built {schema}.{table} but {folder} holds no data file")
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {quote_identifier(schema)}")
            rel = f"{quote_identifier(schema)}.{quote_identifier(table)}"
            kind = con.execute(
                "SELECT table_type FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
                [schema, table],
            ).fetchone()
            if kind and kind[0] == "VIEW":  # the DuckDB path may have left a view of that name
                con.execute(f"DROP VIEW {rel}")
            paths = "[" + ", ".join(quote_literal(f) for f in files) + "]"
            con.execute(f"CREATE OR REPLACE TABLE {rel} AS SELECT * FROM read_parquet({paths})")
            read[f"{schema}.{table}"] = con.execute(f"SELECT count(*) FROM {rel}").fetchone()[0]  # type: ignore[index]
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return read
