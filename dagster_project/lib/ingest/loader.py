"""Load landing files into the raw schema: typed rows in, broken rows quarantined, each file once.

Rules:
- a file is identified by its name and checksum: the same file again changes nothing; a changed file under
  the same name replaces what it loaded before;
- a row with the same key as an older one (order_id, customer_id ...) replaces it: the most recently
  ingested file wins (on a first run files are taken in name order, so `orders_2026-11-21.csv` after
  `orders.csv`); inside one file a repeated key keeps the last row and quarantines the earlier ones;
- a row that breaks a hard rule goes to raw.rejected_rows with file, line and reason;
- a file that can't be read as a whole (empty, missing a required column, a link leading outside the landing
  folder ...) is refused: recorded in raw.ingested_files with status 'refused' and the reason, and what an
  earlier version of it loaded stays;
- a file deleted from the landing folder keeps what it loaded (exports are often moved away once read);
- rows read = rows loaded + rows rejected, always; one file is loaded in one transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
from duckdb import DuckDBPyConnection

from ..sql import fetch_row, scalar
from .lines import count_lines
from .mapping import load_mapping, sources_of_file
from .parse import RECORD_PREVIEW, nulled_counts, parse_scan
from .rules import MACROS
from .scan import attach_lines, collect_rejects, scan_file
from .sniff import BadFileError
from .sources import LINEAGE_COLUMNS, SOURCES, SQL_TYPES, Source
from .xlsx import OLD_EXCEL, XLSX_EXTENSIONS, count_data_rows, header_test

EXTENSIONS = (".csv", ".txt", ".tsv", ".parquet", *XLSX_EXTENSIONS, *OLD_EXCEL)


@dataclass
class FileResult:
    file: str
    status: str  # loaded | replaced | unchanged | refused
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    nulled_values: dict[str, int] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    format: str = ""
    reason: str = ""  # why a refused file was refused


@dataclass
class SourceResult:
    source: str
    files: list[FileResult]
    table_rows: int
    rejected_total: int

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files)


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    for s in SOURCES.values():
        cols = [f"{c.name} {SQL_TYPES[c.kind]}" for c in s.columns] + [f"{n} {t}" for n, t in LINEAGE_COLUMNS]
        con.execute(f"CREATE TABLE IF NOT EXISTS raw.{s.table} ({', '.join(cols)})")
    con.execute("""CREATE TABLE IF NOT EXISTS raw.rejected_rows (source VARCHAR, file VARCHAR, line BIGINT,
                   reason VARCHAR, record VARCHAR, rejected_at TIMESTAMP)""")
    con.execute("""CREATE TABLE IF NOT EXISTS raw.ingested_files (source VARCHAR, file VARCHAR, checksum VARCHAR,
                   file_seq INTEGER, rows_read BIGINT, rows_loaded BIGINT, rows_rejected BIGINT,
                   ingested_at TIMESTAMP, status VARCHAR, reason VARCHAR)""")


def landing_files(landing: Path, source: Source) -> list[Path]:
    """Files of one source: `orders.csv`, `orders_2026-11-21.csv`, `ORDERS-nov.parquet` ... in name order.

    `order_lines.csv` is not an orders file: the name must be the source's, alone or followed by one of
    '_', '-', '.', ' '. Links are listed too; `ingest_source` refuses those leading outside the folder."""
    mapping = load_mapping(landing)  # cartera.yml may name a source's files by pattern
    return [
        p
        for p in (sorted(landing.iterdir()) if landing.is_dir() else [])
        if p.suffix.lower() in EXTENSIONS and source.name in sources_of_file(p.name, mapping)
    ]


def unreadable_reason(landing: Path, path: Path) -> str | None:
    """Why a landing entry must not be opened at all (a link leading outside the folder, not a file)."""
    target = path.resolve()
    if not target.is_relative_to(landing.resolve()):
        return f"{path.name}: is a link pointing outside the landing folder {landing}; refused"
    if not target.is_file():
        return f"{path.name}: is not a regular file; refused"
    return None


def checksum(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(8 << 20):
            h.update(chunk)
    return h.hexdigest()


def ingest_source(
    con: DuckDBPyConnection, landing: Path, source: Source, *, max_date: date, csv_options: dict | None = None
) -> SourceResult:
    """Load every new or changed file of `source` from `landing` into raw.<source>.

    Only files present now are looked at: a file loaded once and later deleted from the landing folder keeps
    its rows in raw (and its line in raw.ingested_files); to withdraw them, replace the file with a corrected
    version under the same name.
    """
    con.execute(MACROS)
    ensure_raw_schema(con)
    results = []
    for path in landing_files(landing, source):
        if why := unreadable_reason(landing, path):
            results.append(_refused_again(con, path, source, None) or _refuse(con, path, source, None, why, 0))
            continue
        digest = checksum(path)
        if seen := _refused_again(con, path, source, digest) or _unchanged(con, path, source, digest):
            results.append(seen)
            continue
        results.append(_try_load(con, path, source, digest, max_date, csv_options or {}))
    table_rows = scalar(con, f"SELECT count(*) FROM raw.{source.table}")
    rejected = scalar(con, "SELECT count(*) FROM raw.rejected_rows WHERE source = ?", [source.name])
    return SourceResult(source.name, results, table_rows, rejected)


def _manifest(con: DuckDBPyConnection, path: Path, source: Source, refused: bool) -> tuple[Any, ...] | None:
    return con.execute(
        "SELECT checksum, rows_read, rows_loaded, rows_rejected, reason FROM raw.ingested_files "
        "WHERE source = ? AND file = ? AND (status = 'refused') = ?",
        [source.name, path.name, refused],
    ).fetchone()


def _refused_again(con: DuckDBPyConnection, path: Path, source: Source, digest: str | None) -> FileResult | None:
    """The same refused file again: refused again for the same reason, nothing written."""
    known = _manifest(con, path, source, refused=True)
    if known and known[0] == digest:
        read, loaded, rejected, reason = known[1:5]
        return FileResult(path.name, "refused", read, loaded, rejected, reason=reason)
    return None


def _unchanged(con: DuckDBPyConnection, path: Path, source: Source, digest: str) -> FileResult | None:
    """The file as last loaded: nothing to do (a later refused version of it is forgotten)."""
    known = _manifest(con, path, source, refused=False)
    if not (known and known[0] == digest):
        return None
    con.execute(
        "DELETE FROM raw.ingested_files WHERE source = ? AND file = ? AND status = 'refused'", [source.name, path.name]
    )
    return FileResult(path.name, "unchanged")


def _try_load(
    con: DuckDBPyConnection, path: Path, source: Source, digest: str, max_date: date, csv_options: dict
) -> FileResult:
    replacing = _manifest(con, path, source, refused=False) is not None
    try:
        return _load_file(con, path, source, digest, replacing=replacing, max_date=max_date, csv_options=csv_options)
    except BadFileError as e:
        return _refuse(con, path, source, digest, str(e), _data_rows(con, path, source))
    except (duckdb.InvalidInputException, duckdb.ConversionException) as e:
        reason = f"{path.name}: could not be read ({str(e).splitlines()[0]})"
        return _refuse(con, path, source, digest, reason, _data_rows(con, path, source))


def _data_rows(con: DuckDBPyConnection, path: Path, source: Source) -> int:
    """Rows a refused file holds, all counted as rejected: its lines after the header, or Parquet rows."""
    if path.suffix.lower() in XLSX_EXTENSIONS + OLD_EXCEL:
        mapping = load_mapping(path.parent).source(source.name)
        return count_data_rows(path, mapping.sheet, header_test(source, mapping))
    if path.suffix.lower() != ".parquet":
        return max(count_lines(path) - 1, 0)
    try:
        return scalar(con, "SELECT count(*) FROM read_parquet(?)", [str(path)])
    except duckdb.Error:
        return 0


def _load_file(
    con: DuckDBPyConnection,
    path: Path,
    source: Source,
    digest: str,
    *,
    replacing: bool,
    max_date: date,
    csv_options: dict,
) -> FileResult:
    with scan_file(con, path, source, csv_options) as scan:
        parse_scan(con, source, scan.decimal, max_date)
        collect_rejects(con, scan)
        nulled = nulled_counts(con, source)
        attach_lines(con, scan)
    return _commit(con, path, source, digest, replacing, scan.ignored_columns, scan.description, nulled)


def _commit(
    con: DuckDBPyConnection,
    path: Path,
    source: Source,
    digest: str,
    replacing: bool,
    ignored: list[str],
    desc: str,
    nulled: dict[str, int],
) -> FileResult:
    cols = ", ".join(c.name for c in source.columns)
    con.execute("BEGIN TRANSACTION")
    try:
        if replacing:
            con.execute(f"DELETE FROM raw.{source.table} WHERE _file = ?", [path.name])
            con.execute("DELETE FROM raw.rejected_rows WHERE source = ? AND file = ?", [source.name, path.name])
        # The file's manifest line, including a refusal of an earlier version, is replaced by this one.
        con.execute("DELETE FROM raw.ingested_files WHERE source = ? AND file = ?", [source.name, path.name])
        seq = scalar(con, "SELECT coalesce(max(file_seq), 0) + 1 FROM raw.ingested_files")
        if source.replace_key:
            key = source.replace_key
            con.execute(f"""DELETE FROM raw.{source.table} WHERE {key} IN
                            (SELECT {key} FROM parsed WHERE _reason IS NULL AND {key} IS NOT NULL)""")
        con.execute(
            f"""INSERT INTO raw.{source.table} ({cols}, _file, _line, _file_seq)
                        SELECT {cols}, ?, _line, ? FROM parsed WHERE _reason IS NULL""",
            [path.name, seq],
        )
        con.execute(
            """INSERT INTO raw.rejected_rows
                       SELECT ?, ?, _line, _reason, _record, now() FROM parsed WHERE _reason IS NOT NULL
                       UNION ALL SELECT ?, ?, line, reason, left(record, ?), now() FROM scan_rejects""",
            [source.name, path.name, source.name, path.name, RECORD_PREVIEW],
        )
        loaded, rejected = fetch_row(
            con, "SELECT count(*) FILTER (_reason IS NULL), count(*) FILTER (_reason IS NOT NULL) FROM parsed"
        )
        rejected += scalar(con, "SELECT count(*) FROM scan_rejects")
        read = scalar(con, "SELECT count(*) FROM parsed") + scalar(con, "SELECT count(*) FROM scan_rejects")
        if read != loaded + rejected:  # never lose a row silently
            raise RuntimeError(f"{path.name}: {read} rows read but {loaded} loaded + {rejected} rejected")
        con.execute(
            "INSERT INTO raw.ingested_files VALUES (?, ?, ?, ?, ?, ?, ?, now(), ?, NULL)",
            [source.name, path.name, digest, seq, read, loaded, rejected, "replaced" if replacing else "loaded"],
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return FileResult(path.name, "replaced" if replacing else "loaded", read, loaded, rejected, nulled, ignored, desc)


def _refuse(
    con: DuckDBPyConnection, path: Path, source: Source, digest: str | None, reason: str, data_rows: int
) -> FileResult:
    """Record a file refused whole: what it loaded before stays, every data row counts as rejected."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "DELETE FROM raw.ingested_files WHERE source = ? AND file = ? AND status = 'refused'",
            [source.name, path.name],
        )
        con.execute(
            "INSERT INTO raw.ingested_files VALUES (?, ?, ?, NULL, ?, 0, ?, now(), 'refused', ?)",
            [source.name, path.name, digest, data_rows, data_rows, reason],
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return FileResult(path.name, "refused", data_rows, 0, data_rows, reason=reason)
