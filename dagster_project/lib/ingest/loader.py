"""Load landing files into the raw schema: typed rows in, broken rows quarantined, each file once.

Rules:
- a file is identified by its name and checksum: the same file again changes nothing; a changed file under
  the same name replaces what it loaded before;
- a row with the same key as an older one (order_id, customer_id ...) replaces it: the newer file wins;
- a row that breaks a hard rule goes to raw.rejected_rows with file, line and reason;
- a file that can't be read as a whole (empty, missing a required column ...) raises BadFileError;
- rows read = rows loaded + rows rejected, always; one file is loaded in one transaction.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from .lines import count_lines, record_start_lines
from .rules import MACROS, parse_expr, quote_ident, reason_exprs, soft_value_expr
from .sniff import BadFileError, sniff_csv
from .sources import LINEAGE_COLUMNS, SOURCES, SQL_TYPES, Source

EXTENSIONS = (".csv", ".txt", ".tsv", ".parquet")
RECORD_PREVIEW = 500  # characters of a rejected record kept for people to read


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
    """Files of one source: `orders.csv`, `orders_2026-11-21.csv`, `ORDERS-nov.parquet` ... in name order."""
    pattern = re.compile(rf"^{re.escape(source.name)}([_\-. ][^/]*)?$", re.IGNORECASE)
    root = landing.resolve()
    found = []
    for p in sorted(landing.iterdir()) if landing.is_dir() else []:
        if p.suffix.lower() not in EXTENSIONS or not pattern.match(p.stem):
            continue
        if not p.resolve().is_relative_to(root) or not p.resolve().is_file():
            raise BadFileError(f"{p.name}: points outside the landing folder {landing}; refused")
        found.append(p)
    return found


def checksum(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(8 << 20):
            h.update(chunk)
    return h.hexdigest()


def ingest_source(con, landing: Path, source: Source, *, max_date: date, csv_options: dict | None = None
                  ) -> SourceResult:
    """Load every new or changed file of `source` from `landing` into raw.<source>."""
    con.execute(MACROS)
    ensure_raw_schema(con)
    results = []
    for path in landing_files(landing, source):
        digest = checksum(path)
        known = con.execute("SELECT checksum, status, reason FROM raw.ingested_files WHERE source = ? AND file = ? "
                            "ORDER BY ingested_at DESC LIMIT 1", [source.name, path.name]).fetchone()
        if known and known[0] == digest:
            results.append(FileResult(path.name, "unchanged" if known[1] != "refused" else "refused",
                                      reason=known[2] or ""))
            continue
        loaded_before = known is not None and known[1] != "refused"
        try:
            results.append(_load_file(con, path, source, digest, replacing=loaded_before, max_date=max_date,
                                      csv_options=csv_options or {}))
        except BadFileError as e:
            results.append(_refuse(con, path, source, digest, str(e)))
        except (duckdb.InvalidInputException, duckdb.ConversionException) as e:
            reason = f"{path.name}: could not be read ({str(e).splitlines()[0]})"
            results.append(_refuse(con, path, source, digest, reason))
    table_rows = con.execute(f"SELECT count(*) FROM raw.{source.table}").fetchone()[0]
    rejected = con.execute("SELECT count(*) FROM raw.rejected_rows WHERE source = ?", [source.name]).fetchone()[0]
    return SourceResult(source.name, results, table_rows, rejected)


def _scan(con, path: Path, source: Source, csv_options: dict) -> tuple[dict, list[str], str]:
    """Read the file as text into temp table `scan` (column _rec = record number); structural rejects into
    `scan_rejects`. Returns (sql params, ignored columns, format description)."""
    con.execute("DROP TABLE IF EXISTS scan; DROP TABLE IF EXISTS scan_rejects; DROP TABLE IF EXISTS scan_rej;"
                "DROP TABLE IF EXISTS scan_rej_scans")
    if path.suffix.lower() == ".parquet":
        header = [c[0] for c in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()]
        from .sniff import normalise_header
        names = {normalise_header(h): h for h in header}
        select = ", ".join(
            f"CAST({quote_ident(names[c.file_header])} AS VARCHAR) AS {c.name}" if c.file_header in names
            else f"CAST(NULL AS VARCHAR) AS {c.name}" for c in source.columns)
        _require_columns(path, source, names)
        con.execute(f"CREATE TEMP TABLE scan AS SELECT row_number() OVER () AS _rec, {select} "
                    "FROM read_parquet(?)", [str(path)])
        con.execute("CREATE TEMP TABLE scan_rejects (line BIGINT, reason VARCHAR, record VARCHAR)")
        ignored = sorted(set(names) - {c.file_header for c in source.columns})
        return {"decimal": "."}, ignored, "parquet"
    fmt = sniff_csv(path, **csv_options)
    _require_columns(path, source, fmt.header)
    wanted = {c.file_header for c in source.columns}
    names = [h if h else f"_unnamed_{i}" for i, h in enumerate(fmt.header)]
    select = ", ".join(f"cartera_text({quote_ident(c.file_header)}) AS {c.name}" if c.file_header in fmt.header
                       else f"CAST(NULL AS VARCHAR) AS {c.name}" for c in source.columns)
    con.execute(
        f"""CREATE TEMP TABLE scan AS SELECT row_number() OVER () AS _rec, {select}
            FROM read_csv($path, all_varchar=true, header=true, names=$names, delim=$delim, quote='"',
                          escape='"', encoding=$enc, store_rejects=true, rejects_table='scan_rej',
                          rejects_scan='scan_rej_scans', max_line_size=10000000,
                          null_padding=false, strict_mode=true)""",
        {"path": str(path), "names": names, "delim": fmt.delimiter, "enc": fmt.encoding})
    con.execute("""CREATE TEMP TABLE scan_rejects AS
                   SELECT line, 'unreadable line: ' || lower(any_value(CAST(error_type AS VARCHAR))) AS reason,
                          trim(any_value(csv_line), chr(10) || chr(13)) AS record
                   FROM scan_rej GROUP BY line""")
    ignored = sorted(h for h in fmt.header if h and h not in wanted)
    desc = f"csv, {fmt.encoding}, separator {fmt.delimiter!r}, decimal {fmt.decimal!r}"
    return {"decimal": fmt.decimal, "_fmt": fmt}, ignored, desc


def _require_columns(path: Path, source: Source, header) -> None:
    missing = [c.file_header for c in source.required_columns if c.file_header not in header]
    if missing:
        raise BadFileError(f"{path.name}: missing required column(s) {', '.join(missing)} "
                           f"(found: {', '.join(h for h in header if h) or 'none'})")


def _load_file(con, path, source: Source, digest: str, *, replacing: bool, max_date: date,
               csv_options: dict) -> FileResult:
    params, ignored, desc = _scan(con, path, source, csv_options)
    fmt = params.pop("_fmt", None)
    sql_params = {"decimal": params["decimal"], "max_date": max_date}
    # Typed values and the first hard rule each row breaks.
    typed, reasons = [], []
    header_repeat = " AND ".join(f"lower(coalesce({c.name}, '')) = '{c.file_header}'" for c in source.required_columns)
    reasons.append((f"({header_repeat})", "'repeated header line'"))
    nul_any = " OR ".join(f"contains(coalesce({c.name}, ''), chr(0))" for c in source.columns)
    reasons.append((f"({nul_any})", "'contains a NUL byte'"))
    for c in source.columns:
        expr = parse_expr(c, c.name) if c.required else soft_value_expr(c, c.name)
        typed.append(f"{expr} AS {c.name}")
        reasons += reason_exprs(c, c.name, parse_expr(c, c.name))
    case = "CASE " + " ".join(f"WHEN {cond} THEN {why}" for cond, why in reasons) + " END"
    record = " || '|' || ".join(f"coalesce({c.name}, '')" for c in source.columns)
    con.execute("DROP TABLE IF EXISTS parsed")
    sql = f"""CREATE TEMP TABLE parsed AS SELECT _rec, {', '.join(typed)}, {case} AS _reason,
              left({record}, {RECORD_PREVIEW}) AS _record FROM scan"""
    con.execute(sql, {k: v for k, v in sql_params.items() if f"${k}" in sql})
    if source.replace_key and source.unique_key:
        key = source.replace_key
        con.execute(f"""UPDATE parsed SET _reason = 'duplicate {key} ''' || {key} || ''' (a later row of this file replaces it)'
                        FROM (SELECT _rec AS r, row_number() OVER (PARTITION BY {key} ORDER BY _rec DESC) AS k
                              FROM parsed WHERE _reason IS NULL AND {key} IS NOT NULL) d
                        WHERE parsed._rec = d.r AND d.k > 1""")
    soft = [c for c in source.columns if not c.required]
    nulled_counts = {}
    if soft:
        joined = ", ".join(f"s.{c.name} AS t_{c.name}, p.{c.name} AS {c.name}" for c in soft)
        row = con.execute(f"""SELECT {', '.join(f"count(*) FILTER (t_{c.name} IS NOT NULL AND {c.name} IS NULL)" for c in soft)}
                              FROM (SELECT {joined} FROM scan s JOIN parsed p USING (_rec) WHERE p._reason IS NULL)""").fetchone()
        nulled_counts = {c.name: n for c, n in zip(soft, row) if n}
    _attach_lines(con, path, fmt)
    return _commit(con, path, source, digest, replacing, ignored, desc, nulled_counts)


def _attach_lines(con, path: Path, fmt) -> None:
    """Add column _line (start line of each record) to `parsed`."""
    con.execute("ALTER TABLE parsed ADD COLUMN _line BIGINT")
    if fmt is None:  # parquet: the row number
        con.execute("UPDATE parsed SET _line = _rec")
        return
    n_records = con.execute("SELECT count(*) FROM scan").fetchone()[0]
    rejected_lines = {r[0] for r in con.execute("SELECT line FROM scan_rejects").fetchall()}
    if not rejected_lines and count_lines(path) == n_records + 1:
        con.execute("UPDATE parsed SET _line = _rec + 1")  # one record per line: the common, fast case
        return
    starts = record_start_lines(path, fmt.encoding, fmt.delimiter, rejected_lines)
    if len(starts) != n_records:  # the two readers disagree: fall back to the record number, say so
        con.execute("UPDATE parsed SET _line = NULL, _reason = _reason || ' (record ' || _rec || ')' "
                    "WHERE _reason IS NOT NULL")
        return
    lines = pd.DataFrame({"_rec": range(1, n_records + 1), "line": starts})
    con.register("record_lines", lines)
    con.execute("UPDATE parsed SET _line = l.line FROM record_lines l WHERE parsed._rec = l._rec")
    con.unregister("record_lines")


def _commit(con, path, source: Source, digest, replacing, ignored, desc, nulled) -> FileResult:
    cols = ", ".join(c.name for c in source.columns)
    con.execute("BEGIN TRANSACTION")
    try:
        if replacing:
            con.execute(f"DELETE FROM raw.{source.table} WHERE _file = ?", [path.name])
            con.execute("DELETE FROM raw.rejected_rows WHERE source = ? AND file = ?", [source.name, path.name])
            con.execute("DELETE FROM raw.ingested_files WHERE source = ? AND file = ?", [source.name, path.name])
        seq = con.execute("SELECT coalesce(max(file_seq), 0) + 1 FROM raw.ingested_files").fetchone()[0]
        if source.replace_key:
            key = source.replace_key
            con.execute(f"""DELETE FROM raw.{source.table} WHERE {key} IN
                            (SELECT {key} FROM parsed WHERE _reason IS NULL AND {key} IS NOT NULL)""")
        con.execute(f"""INSERT INTO raw.{source.table} ({cols}, _file, _line, _file_seq)
                        SELECT {cols}, ?, _line, ? FROM parsed WHERE _reason IS NULL""", [path.name, seq])
        con.execute("""INSERT INTO raw.rejected_rows
                       SELECT ?, ?, _line, _reason, _record, now() FROM parsed WHERE _reason IS NOT NULL
                       UNION ALL SELECT ?, ?, line, reason, left(record, ?), now() FROM scan_rejects""",
                    [source.name, path.name, source.name, path.name, RECORD_PREVIEW])
        loaded, rejected = con.execute("SELECT count(*) FILTER (_reason IS NULL), count(*) FILTER "
                                       "(_reason IS NOT NULL) FROM parsed").fetchone()
        rejected += con.execute("SELECT count(*) FROM scan_rejects").fetchone()[0]
        read = con.execute("SELECT count(*) FROM scan").fetchone()[0] + \
            con.execute("SELECT count(*) FROM scan_rejects").fetchone()[0]
        if read != loaded + rejected:  # never lose a row silently
            raise RuntimeError(f"{path.name}: {read} rows read but {loaded} loaded + {rejected} rejected")
        con.execute("INSERT INTO raw.ingested_files VALUES (?, ?, ?, ?, ?, ?, ?, now(), ?, NULL)",
                    [source.name, path.name, digest, seq, read, loaded, rejected,
                     "replaced" if replacing else "loaded"])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return FileResult(path.name, "replaced" if replacing else "loaded", read, loaded, rejected, nulled, ignored, desc)


def _refuse(con, path: Path, source: Source, digest: str, reason: str) -> FileResult:
    """Record a file refused whole: what it loaded before stays, every data line counts as rejected."""
    data_lines = max(count_lines(path) - 1, 0) if path.suffix.lower() != ".parquet" else 0
    con.execute("BEGIN TRANSACTION")
    con.execute("DELETE FROM raw.ingested_files WHERE source = ? AND file = ? AND status = 'refused'",
                [source.name, path.name])
    con.execute("INSERT INTO raw.ingested_files VALUES (?, ?, ?, NULL, ?, 0, ?, now(), 'refused', ?)",
                [source.name, path.name, digest, data_lines, data_lines, reason])
    con.execute("COMMIT")
    return FileResult(path.name, "refused", data_lines, 0, data_lines, reason=reason)
