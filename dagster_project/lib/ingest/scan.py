"""Read one export (CSV or Parquet) as text into temp tables, and find the file line of every record.

A CSV that is not UTF-8 is read through a temporary UTF-8 copy (line numbers are the same). `scan` is a view with one row per record (column _rec = record number, one text column per source column, NULL
when the file lacks it), read once by the parse step; after that read, `collect_rejects` fills `scan_rejects`
with the lines DuckDB could not split into the right number of fields (line, reason, record). Nothing is typed here: that is `rules.py`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from duckdb import DuckDBPyConnection

from ..sql import UnsafeSqlText, quote_identifier, quote_literal, scalar
from .lines import count_lines, lines_at_byte_positions, record_start_lines
from .mapping import SourceMapping, date_text_expr, load_mapping, map_csv_header, resolve_header
from .sniff import BadFileError, CsvFormat, normalise_header, sniff_csv, transcode_to_utf8
from .sources import DATE, TIMESTAMP, Source
from .xlsx import OLD_EXCEL, XLSX_EXTENSIONS, scan_xlsx


@dataclass(frozen=True)
class Scan:
    decimal: str  # '.' or ','
    ignored_columns: list[str]
    description: str
    csv: CsvFormat | None = None  # None for Parquet
    utf8_path: Path | None = None  # the CSV as UTF-8 (the file itself, or a temporary copy)


@contextmanager
def scan_file(con: DuckDBPyConnection, path: Path, source: Source, csv_options: dict) -> Iterator[Scan]:
    """Fill `scan` and `scan_rejects` from the file; the Scan is valid inside the `with` block."""
    con.execute(
        "DROP VIEW IF EXISTS scan; DROP TABLE IF EXISTS scan_rejects; DROP TABLE IF EXISTS scan_rej;"
        "DROP TABLE IF EXISTS scan_rej_scans"
    )
    mapping = load_mapping(path.parent).source(source.name)  # cartera.yml: columns, formats, sheet
    if path.suffix.lower() == ".parquet":
        yield _scan_parquet(con, path, source, mapping)
        return
    if path.suffix.lower() in XLSX_EXTENSIONS + OLD_EXCEL:
        with tempfile.TemporaryDirectory(prefix="cartera-") as tmp:
            yield scan_xlsx(con, path, source, mapping, Path(tmp))
        return
    fmt = sniff_csv(path, **{**mapping.csv_options(), **csv_options})
    fmt = map_csv_header(path, source, fmt, mapping)
    require_columns(path, source, fmt.header)
    if fmt.encoding == "utf-8":
        yield _scan_csv(con, path, source, fmt, path, mapping.date_order)
        return
    with tempfile.TemporaryDirectory(prefix="cartera-") as tmp:
        utf8 = Path(tmp) / path.name
        transcode_to_utf8(path, fmt.encoding, utf8)
        yield _scan_csv(con, path, source, fmt, utf8, mapping.date_order)


def require_columns(path: Path, source: Source, header: Collection[str]) -> None:
    missing = [c.file_header for c in source.required_columns if c.file_header not in header]
    if missing:
        raise BadFileError(
            f"{path.name}: missing required column(s) {', '.join(missing)} "
            f"(found: {', '.join(h for h in header if h) or 'none'})"
        )


def _select(source: Source, present: Collection[str], text_of: Callable[[str], str], date_order: str = "dmy") -> str:
    return ", ".join(
        f"{date_text_expr(f'cartera_text({text_of(c.file_header)})', date_order if c.kind in (DATE, TIMESTAMP) else '')} AS {c.name}"
        if c.file_header in present
        else f"CAST(NULL AS VARCHAR) AS {c.name}"
        for c in source.columns
    )


def _ignored(source: Source, header: Collection[str]) -> list[str]:
    return sorted(set(h for h in header if h) - {c.file_header for c in source.columns})


def _scan_parquet(con: DuckDBPyConnection, path: Path, source: Source, mapping: SourceMapping) -> Scan:
    header = [c[0] for c in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()]
    renamed = resolve_header(path.name, source, header, mapping, [normalise_header(h) for h in header]).renamed
    names = dict(zip(renamed, header, strict=True))
    require_columns(path, source, names)
    select = _select(source, names, lambda h: f"CAST({sql_identifier(names[h])} AS VARCHAR)", mapping.date_order)
    con.execute(
        f"CREATE TEMP VIEW scan AS SELECT row_number() OVER () AS _rec, {select} "
        f"FROM read_parquet({sql_literal(str(path))})"
    )
    return Scan(".", _ignored(source, names), "parquet")


def _scan_csv(
    con: DuckDBPyConnection, path: Path, source: Source, fmt: CsvFormat, utf8: Path, date_order: str = "dmy"
) -> Scan:
    names = [h if h else f"_unnamed_{i}" for i, h in enumerate(fmt.header)]
    select = _select(source, fmt.header, sql_identifier, date_order)
    # A view (views take no parameters: the path and names go in as escaped literals), so the parse step
    # reads the file once, straight into typed columns, without materialising the text first.
    con.execute(
        f"""CREATE TEMP VIEW scan AS SELECT row_number() OVER () AS _rec, {select}
            FROM read_csv({sql_literal(str(utf8))}, all_varchar=true, header=true,
                          names=[{", ".join(sql_literal(n) for n in names)}], delim={sql_literal(fmt.delimiter)},
                          quote='"', escape='"', comment='', encoding='utf-8', store_rejects=true,
                          rejects_table='scan_rej', rejects_scan='scan_rej_scans', max_line_size=10000000,
                          null_padding=false, strict_mode=true)"""
    )
    desc = f"csv, {fmt.encoding}, separator {fmt.delimiter!r}, decimal {fmt.decimal!r}"
    return Scan(fmt.decimal, _ignored(source, fmt.header), desc, fmt, utf8)


def collect_rejects(con: DuckDBPyConnection, scan: Scan) -> None:
    """After `scan` was read: temp table `scan_rejects` (line, reason, record) of the unreadable lines."""
    if scan.csv is None:
        con.execute("CREATE TEMP TABLE scan_rejects (line BIGINT, reason VARCHAR, record VARCHAR)")
        return
    # DuckDB's own `line` counts records; the byte position places the line exactly (see lines.py).
    con.execute("""CREATE TEMP TABLE scan_rejects AS
                   SELECT min(line_byte_position) AS line,
                          'unreadable line: ' || lower(any_value(CAST(error_type AS VARCHAR))) AS reason,
                          trim(any_value(csv_line), chr(10) || chr(13)) AS record
                   FROM scan_rej GROUP BY line""")
    positions = [r[0] for r in con.execute("SELECT DISTINCT line FROM scan_rejects").fetchall()]
    if positions:
        assert scan.utf8_path is not None  # set for every CSV
        lines = pd.DataFrame({"pos": positions, "line": lines_at_byte_positions(scan.utf8_path, positions)})
        con.register("reject_lines", lines)
        con.execute("UPDATE scan_rejects SET line = l.line FROM reject_lines l WHERE scan_rejects.line = l.pos")
        con.unregister("reject_lines")


def sql_literal(value: str) -> str:
    """lib/sql.py's quote_literal, refusing the file (BadFileError) when a path or name can't be quoted."""
    try:
        return quote_literal(value)
    except UnsafeSqlText as e:
        raise BadFileError(str(e)) from None


def sql_identifier(name: str) -> str:
    """lib/sql.py's quote_identifier, refusing the file (BadFileError) when a column name can't be quoted."""
    try:
        return quote_identifier(name, "column name")
    except UnsafeSqlText as e:
        raise BadFileError(str(e)) from None


def attach_lines(con: DuckDBPyConnection, scan: Scan) -> None:
    """Add column _line (the line a record starts on; the row number for Parquet) to temp table `parsed`."""
    con.execute("ALTER TABLE parsed ADD COLUMN _line BIGINT")
    if scan.csv is None:
        con.execute("UPDATE parsed SET _line = _rec")
        return
    assert scan.utf8_path is not None  # set for every CSV
    n_records = scalar(con, "SELECT count(*) FROM parsed")
    rejected_lines = {r[0] for r in con.execute("SELECT line FROM scan_rejects").fetchall()}
    if not rejected_lines and count_lines(scan.utf8_path) == n_records + 1:
        con.execute("UPDATE parsed SET _line = _rec + 1")  # one record per line: the common, fast case
        return
    starts = record_start_lines(scan.utf8_path, scan.csv.delimiter, rejected_lines)
    if len(starts) != n_records:  # the two readers disagree: fall back to the record number, say so
        con.execute(
            "UPDATE parsed SET _line = NULL, _reason = _reason || ' (record ' || _rec || ')' WHERE _reason IS NOT NULL"
        )
        return
    lines = pd.DataFrame({"_rec": range(1, n_records + 1), "line": starts})
    con.register("record_lines", lines)
    con.execute("UPDATE parsed SET _line = l.line FROM record_lines l WHERE parsed._rec = l._rec")
    con.unregister("record_lines")
