"""Load landing files into the raw schema: typed rows in, broken rows quarantined, each file once.

Rules:
- a file is identified by its name and content: the same file again changes nothing; a changed file under
  the same name replaces what it loaded before. Whether a file changed is decided as rsync and make do: when
  its name, size and modification time (to the nanosecond) equal those recorded when it was last read, it is
  unchanged and is not opened at all; otherwise its sha256 decides (a file touched or copied again with the
  same bytes is unchanged, and its new size and time are recorded for the next run). A file edited so that
  its size and its modification time both stay the same is therefore not seen: tools that rewrite a file
  always move its modification time, and `touch` on it makes the next run read it again;
- every version of a file that is loaded gets a new file_seq (raw.ingested_files.file_seq, carried by each
  of its rows as _file_seq), higher than every file_seq before it: incremental models read rows past the
  highest file_seq they have seen (dbt/models/intermediate/customers/int_purchase_occasions.sql);
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

import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
from duckdb import DuckDBPyConnection

from ..sql import UnsafeSqlText, fetch_row, scalar
from .landing import (
    EXTENSIONS,
    STILL_COPYING,
    check_landing,
    check_origin,
    landing_files,
    skipped_entries,
    unstable_files,
)
from .mapping import load_mapping
from .parse import nulled_counts, parse_scan
from .rules import MACROS
from .scan import Scan, scan_csv, scan_parquet
from .sniff import BadFileError, FileFacts, inspect_file
from .sources import LINEAGE_COLUMNS, SOURCES, SQL_TYPES, Source
from .xlsx import OLD_EXCEL, XLSX_EXTENSIONS, count_data_rows, header_test, scan_xlsx


def _scan_excel(
    con: DuckDBPyConnection, path: Path, read_path: Path, source: Source, facts: FileFacts, options: dict, tmp: Path
) -> Scan:
    return scan_xlsx(con, path, source, load_mapping(path.parent).source(source.name), tmp)


# The reader of each extension: fills the temp view `scan` (see scan.py). Another reader registers here.
SCANNERS = {
    ".csv": scan_csv,
    ".txt": scan_csv,
    ".tsv": scan_csv,
    ".parquet": scan_parquet,
    **{ext: _scan_excel for ext in XLSX_EXTENSIONS + OLD_EXCEL},
}
assert set(SCANNERS) == set(EXTENSIONS), "landing.EXTENSIONS and SCANNERS must name the same extensions"
DONE = ("loaded", "replaced")


@dataclass
class FileResult:
    file: str
    status: str  # loaded | replaced | unchanged | refused | skipped
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    nulled_values: dict[str, int] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    format: str = ""
    reason: str = ""  # why a refused file was refused, or a skipped one skipped
    blank_lines: int = 0  # blank or whitespace-only lines: neither read nor rejected
    again: bool = False  # refused before for the same content: nothing new this run

    @property
    def is_new(self) -> bool:
        """New or changed in this run (loaded, replaced, or refused for the first time)."""
        return self.status in DONE or (self.status == "refused" and not self.again)


@dataclass
class SourceResult:
    source: str
    files: list[FileResult]
    table_rows: int
    rejected_total: int
    skipped: list[FileResult] = field(default_factory=list)  # landing entries not read, with the reason

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files)

    @property
    def new_files(self) -> list[FileResult]:
        """Files new or changed in this run; none means nothing new arrived for this source."""
        return [f for f in self.files if f.is_new]


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
    # Added later (a warehouse made before gets them empty: its files are checked by checksum once more)
    for column in FILE_STAT_COLUMNS:
        con.execute(f"ALTER TABLE raw.ingested_files ADD COLUMN IF NOT EXISTS {column} BIGINT")


# What raw.ingested_files remembers of a file as it was read, to know it again without reading it.
FILE_STAT_COLUMNS = ("file_size", "file_mtime_ns")
MANIFEST_COLUMNS = (
    "source, file, checksum, file_seq, rows_read, rows_loaded, rows_rejected, ingested_at, status, reason, "
    + ", ".join(FILE_STAT_COLUMNS)
)


def file_stat(path: Path) -> tuple[int, int]:
    """(size in bytes, modification time in nanoseconds) of the file a landing entry leads to."""
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def unreadable_reason(landing: Path, path: Path) -> str | None:
    """Why a landing entry must not be opened at all (a link leading outside the folder, not a file)."""
    target = path.resolve()
    if not target.is_relative_to(landing.resolve()):
        return f"{path.name}: is a link pointing outside the landing folder {landing}; refused"
    if not target.is_file():
        return f"{path.name}: is not a regular file; refused"
    return None


def ingest_source(
    con: DuckDBPyConnection,
    landing: Path,
    source: Source,
    *,
    max_date: date,
    csv_options: dict | None = None,
    settle_seconds: float = 0.0,
    rebuild: bool = False,
    run_id: str | None = None,
) -> SourceResult:
    """Load every new or changed file of `source` from `landing` into raw.<source>.

    The landing folder must exist and be the one the working copy was built from (`rebuild` empties the
    working copy first; see landing.check_origin). Files still being written (changing within
    `settle_seconds`) are skipped this time. Only files present now are looked at: a file loaded once and
    later deleted from the landing folder keeps its rows in raw (and its line in raw.ingested_files); to
    withdraw them, replace the file with a corrected version under the same name.
    """
    check_landing(landing)
    con.execute(MACROS)
    check_origin(con, landing, rebuild=rebuild, run_id=run_id)
    ensure_raw_schema(con)
    paths = landing_files(landing, source)
    copying = unstable_files(paths, settle_seconds) if settle_seconds > 0 else set()
    skipped = _record_skipped(con, landing, source, copying)
    results = []
    for path in paths:
        if path in copying:
            continue
        if why := unreadable_reason(landing, path):
            results.append(_refused_again(con, path, source, None) or _refuse(con, path, source, None, why, 0))
            continue
        try:
            stat = file_stat(path)  # before reading: a change made while it is read shows up next run
            if seen := _refused_again(con, path, source, stat=stat) or _unchanged(con, path, source, stat=stat):
                results.append(seen)  # name, size and modification time as recorded: not opened
                continue
            facts = inspect_file(path)
        except OSError as e:
            results.append(_refuse(con, path, source, None, f"{path.name}: could not be read ({e.strerror})", 0))
            continue
        digest = facts.checksum
        if seen := _refused_again(con, path, source, digest, stat) or _unchanged(con, path, source, digest, stat):
            results.append(seen)
            continue
        results.append(_try_load(con, path, source, facts, stat, max_date, csv_options or {}))
    table_rows = scalar(con, f"SELECT count(*) FROM raw.{source.table}")
    rejected = scalar(con, "SELECT count(*) FROM raw.rejected_rows WHERE source = ?", [source.name])
    return SourceResult(source.name, results, table_rows, rejected, skipped)


def _record_skipped(con: DuckDBPyConnection, landing: Path, source: Source, copying: set[Path]) -> list[FileResult]:
    """raw.ingested_files lists what this source did not read now, with why (refreshed every run). Entries
    named after no source are listed by the required source (orders), whose asset always runs."""
    entries = [(s.name, s.reason) for s in skipped_entries(landing) if s.source == source.name]
    entries += [(p.name, STILL_COPYING) for p in sorted(copying)]
    orphans = [(s.name, s.reason) for s in skipped_entries(landing) if s.source is None] if source.required else []
    con.execute("BEGIN TRANSACTION")
    con.execute("DELETE FROM raw.ingested_files WHERE status = 'skipped' AND source = ?", [source.name])
    if source.required:
        con.execute("DELETE FROM raw.ingested_files WHERE status = 'skipped' AND source IS NULL")
    for owner, rows in ((source.name, entries), (None, orphans)):
        for name, reason in rows:
            con.execute(
                f"INSERT INTO raw.ingested_files ({MANIFEST_COLUMNS}) "
                "VALUES (?, ?, NULL, NULL, 0, 0, 0, now(), 'skipped', ?, NULL, NULL)",
                [owner, name, f"{name}: {reason}"],
            )
    con.execute("COMMIT")
    return [FileResult(name, "skipped", reason=f"{name}: {reason}") for name, reason in entries + orphans]


def _manifest(con: DuckDBPyConnection, path: Path, source: Source, refused: bool) -> tuple[Any, ...] | None:
    return con.execute(
        "SELECT checksum, rows_read, rows_loaded, rows_rejected, reason, file_size, file_mtime_ns "
        "FROM raw.ingested_files WHERE source = ? AND file = ? AND status IN (SELECT unnest(?))",
        [source.name, path.name, ["refused"] if refused else list(DONE)],
    ).fetchone()


def _same(known: tuple[Any, ...], digest: str | None, stat: tuple[int, int] | None) -> bool:
    """The file as recorded. Given only its size and modification time (the fast path: the file is not read),
    by those; else by checksum (the caller then brings the recorded size and time up to date)."""
    if digest is None and stat is not None:
        return known[5] is not None and (known[5], known[6]) == stat
    return known[0] == digest


def _record_stat(
    con: DuckDBPyConnection, path: Path, source: Source, statuses: tuple[str, ...], stat: tuple[int, int]
) -> None:
    con.execute(
        "UPDATE raw.ingested_files SET file_size = ?, file_mtime_ns = ? "
        "WHERE source = ? AND file = ? AND status IN (SELECT unnest(?))",
        [*stat, source.name, path.name, list(statuses)],
    )


def _refused_again(
    con: DuckDBPyConnection,
    path: Path,
    source: Source,
    digest: str | None = None,
    stat: tuple[int, int] | None = None,
) -> FileResult | None:
    """The same refused file again: refused again for the same reason, nothing written (but its new time)."""
    known = _known_again(con, path, source, True, digest, stat)
    if known is None:
        return None
    read, loaded, rejected, reason = known[1:5]
    return FileResult(path.name, "refused", read, loaded, rejected, reason=reason, again=True)


def _unchanged(
    con: DuckDBPyConnection,
    path: Path,
    source: Source,
    digest: str | None = None,
    stat: tuple[int, int] | None = None,
) -> FileResult | None:
    """The file as last loaded: nothing to do (a later refused version of it is forgotten)."""
    if _known_again(con, path, source, False, digest, stat) is None:
        return None
    con.execute(
        "DELETE FROM raw.ingested_files WHERE source = ? AND file = ? AND status = 'refused'", [source.name, path.name]
    )
    return FileResult(path.name, "unchanged")


def _known_again(
    con: DuckDBPyConnection,
    path: Path,
    source: Source,
    refused: bool,
    digest: str | None,
    stat: tuple[int, int] | None,
) -> tuple[Any, ...] | None:
    """The manifest line of `path` (its refusal, or its load) when the file is the one it records (by size and time,
    or by checksum: then its new size and time are recorded); None when it is not."""
    known = _manifest(con, path, source, refused=refused)
    if not (known and _same(known, digest, stat)):
        return None
    if digest is not None and stat is not None and (known[5], known[6]) != stat:
        _record_stat(con, path, source, ("refused",) if refused else DONE, stat)
    return known


def _try_load(
    con: DuckDBPyConnection,
    path: Path,
    source: Source,
    facts: FileFacts,
    stat: tuple[int, int],
    max_date: date,
    csv_options: dict,
) -> FileResult:
    replacing = _manifest(con, path, source, refused=False) is not None
    try:
        return _load_file(
            con, path, source, facts, stat, replacing=replacing, max_date=max_date, csv_options=csv_options
        )
    except (BadFileError, UnsafeSqlText) as e:  # UnsafeSqlText: a column name with a control character
        return _refuse(
            con,
            path,
            source,
            facts.checksum,
            f"{path.name}: {e}" if isinstance(e, UnsafeSqlText) else str(e),
            _data_rows(con, path, source, facts),
            stat,
        )
    except (duckdb.InvalidInputException, duckdb.ConversionException) as e:
        reason = f"{path.name}: could not be read ({str(e).splitlines()[0]})"
        return _refuse(con, path, source, facts.checksum, reason, _data_rows(con, path, source, facts), stat)


def _data_rows(con: DuckDBPyConnection, path: Path, source: Source, facts: FileFacts) -> int:
    """Rows a refused file holds, all counted as rejected: its lines after the header, or Parquet rows."""
    if path.suffix.lower() in XLSX_EXTENSIONS + OLD_EXCEL:
        mapping = load_mapping(path.parent).source(source.name)
        return count_data_rows(path, mapping.sheet, header_test(source, mapping))
    if path.suffix.lower() != ".parquet":
        return max(facts.lines - 1, 0) if facts.encoding != "utf-16" and not facts.not_text else 0
    try:
        return scalar(con, "SELECT count(*) FROM read_parquet(?)", [str(path)])
    except duckdb.Error:
        return 0


def _load_file(
    con: DuckDBPyConnection,
    path: Path,
    source: Source,
    facts: FileFacts,
    stat: tuple[int, int],
    *,
    replacing: bool,
    max_date: date,
    csv_options: dict,
) -> FileResult:
    """Read the file exactly as itself: DuckDB gets a link with a plain name, so a name holding glob
    characters (`orders_[a].csv`, `orders_*.csv`), quotes, ';' or a line break never reaches it as a pattern."""
    with tempfile.TemporaryDirectory(prefix="cartera-") as tmp:
        plain = Path(tmp) / f"export{path.suffix.lower()}"
        plain.symlink_to(path.resolve())
        try:
            scan = SCANNERS[path.suffix.lower()](con, path, plain, source, facts, csv_options, Path(tmp))
            # rows carry their line number: the typed table and the raw insert need not keep file order (the
            # line table did: its rowid is the line number), which lets DuckDB build them in parallel
            con.execute("SET preserve_insertion_order = false")
            parse_scan(
                con, source, scan.decimal, max_date, may_hold_nul=scan.may_hold_nul, header_names=scan.header_names
            )
            nulled = nulled_counts(con, source)
            result = _commit(
                con, path, source, facts.checksum, stat, replacing, scan.ignored_columns, scan.description, nulled
            )
        finally:  # the file's text and rows are held in memory until dropped
            con.execute("RESET preserve_insertion_order")
            con.execute(
                "DROP VIEW IF EXISTS scan; DROP VIEW IF EXISTS records; DROP TABLE IF EXISTS joined_records;"
                "DROP TABLE IF EXISTS lines; DROP TABLE IF EXISTS parsed"
            )
    if scan.records is not None:  # records that are not rows read are blank lines
        result.blank_lines = scan.records - result.rows_read
    return result


def _commit(
    con: DuckDBPyConnection,
    path: Path,
    source: Source,
    digest: str,
    stat: tuple[int, int],
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
        # Above every file_seq so far, this file's earlier version included (taken before its line goes): a
        # replaced file's rows are newer than everything loaded before them.
        seq = scalar(con, "SELECT coalesce(max(file_seq), 0) + 1 FROM raw.ingested_files")
        # The file's manifest line, including a refusal of an earlier version, is replaced by this one.
        con.execute("DELETE FROM raw.ingested_files WHERE source = ? AND file = ?", [source.name, path.name])
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
                       SELECT ?, ?, _line, _reason, _record, now() FROM parsed WHERE _reason IS NOT NULL""",
            [source.name, path.name],
        )
        read, loaded, rejected = fetch_row(
            con, "SELECT count(*), count(*) FILTER (_reason IS NULL), count(*) FILTER (_reason IS NOT NULL) FROM parsed"
        )
        if read != loaded + rejected:  # never lose a row silently
            raise RuntimeError(f"{path.name}: {read} rows read but {loaded} loaded + {rejected} rejected")
        con.execute(
            f"INSERT INTO raw.ingested_files ({MANIFEST_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, now(), ?, NULL, ?, ?)",
            [source.name, path.name, digest, seq, read, loaded, rejected, "replaced" if replacing else "loaded", *stat],
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return FileResult(path.name, "replaced" if replacing else "loaded", read, loaded, rejected, nulled, ignored, desc)


def _refuse(
    con: DuckDBPyConnection,
    path: Path,
    source: Source,
    digest: str | None,
    reason: str,
    data_rows: int,
    stat: tuple[int, int] | None = None,
) -> FileResult:
    """Record a file refused whole: what it loaded before stays, every data row counts as rejected."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "DELETE FROM raw.ingested_files WHERE source = ? AND file = ? AND status = 'refused'",
            [source.name, path.name],
        )
        con.execute(
            f"INSERT INTO raw.ingested_files ({MANIFEST_COLUMNS}) VALUES (?, ?, ?, NULL, ?, 0, ?, now(), 'refused', ?, ?, ?)",
            [source.name, path.name, digest, data_rows, data_rows, reason, *(stat or (None, None))],
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return FileResult(path.name, "refused", data_rows, 0, data_rows, reason=reason)
