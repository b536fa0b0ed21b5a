"""Read one export as text into the temp view `scan`, the one shape every reader produces and the row rules
(parse.py) consume:

    _line         the row's line number in the file (its first line) or its row number (Parquet)
    _record       the row's text as read (CSV), kept for a quarantined row; NULL for other readers
    _line_reason  why the line can't be split into fields (too long, too many fields, unbalanced quotes)
    <column>      one cleaned text value per source column (NULL when the file lacks the column)

A reader for another format (.xlsx: xlsx.scan_xlsx) builds the same view from its rows, with the same
header resolution (header.resolve_columns) and column cleaning (select_columns), and is registered in
`loader.SCANNERS`. Nothing is typed here: that is `rules.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from duckdb import DuckDBPyConnection

from ..sql import quote_identifier, scalar
from .header import ColumnMap, resolve_columns
from .mapping import SourceMapping, date_text_expr, load_mapping
from .rules import PADDED_LINE
from .sniff import BadFileError, CsvFormat, FileFacts, read_header, transcode_to_utf8
from .sources import DATE, ID, TIMESTAMP, Column, Source
from .text import MAX_LINE_BYTES, constant_literal, load_records, sql_literal

_REGEX_DELIM = {",": ",", ";": ";", "\t": "\\t", "|": "\\|"}


@dataclass(frozen=True)
class Scan:
    decimal: str  # '.' or ','
    ignored_columns: list[str]
    description: str
    records: int | None = None  # records after the header plus blank lines before it (CSV); see blank_lines
    may_hold_nul: bool = True  # False when the file has no NUL byte (the NUL rule is then skipped)
    header_names: dict[str, str] = field(default_factory=dict)  # column -> its name in the file, as written
    notes: list[str] = field(default_factory=list)


def select_columns(
    source: Source,
    cols: ColumnMap,
    field_sql: Callable[[int, Column], str],
    date_order: str = "dmy",
    clean: Callable[[str], str] | None = None,
) -> str:
    """One cleaned text column per source column (`field_sql(position, column)` is the field's raw text,
    `clean(sql)` trims it: cartera_text by default); dates written month- or year-first (cartera.yml's
    date_order) are turned day-first first."""
    clean = clean or (lambda sql: f"cartera_text({sql})")

    def text(c: Column) -> str:
        cleaned = clean(field_sql(cols.positions[c.name], c))
        return date_text_expr(cleaned, date_order) if c.kind in (DATE, TIMESTAMP) else cleaned

    return ", ".join(
        f"{text(c)} AS {c.name}" if c.name in cols.positions else f"CAST(NULL AS VARCHAR) AS {c.name}"
        for c in source.columns
    )


def _mapping(path: Path, source: Source) -> SourceMapping:
    return load_mapping(path.parent).source(source.name)  # cartera.yml: columns, formats, sheet


def scan_parquet(
    con: DuckDBPyConnection, path: Path, read_path: Path, source: Source, facts: FileFacts, options: dict, tmp: Path
) -> Scan:
    """`path` names the file in messages; DuckDB reads `read_path` (a link to it with a plain name)."""
    read = f"read_parquet({sql_literal(str(read_path))}, file_row_number = true)"
    described = [
        r[:2] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet({sql_literal(str(read_path))})").fetchall()
    ]
    mapping = _mapping(path, source)
    cols = resolve_columns(path, source, [name for name, _ in described], mapping)
    types = dict(described)

    def text_of(i: int, col: Column) -> str:
        name, typ = described[i][0], types[described[i][0]]
        ref = quote_identifier(name, f"column name in {path.name}")
        if col.kind == ID and typ.split("(")[0] in ("FLOAT", "DOUBLE", "DECIMAL"):  # 44.0 is customer '44'
            return f"CASE WHEN {ref} = trunc({ref}) THEN CAST(CAST({ref} AS HUGEINT) AS VARCHAR) ELSE CAST({ref} AS VARCHAR) END"
        return f"CAST({ref} AS VARCHAR)"

    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW scan AS SELECT file_row_number + 1 AS _line, CAST(NULL AS VARCHAR) AS _record,
            CAST(NULL AS VARCHAR) AS _line_reason, {select_columns(source, cols, text_of, mapping.date_order)} FROM {read}"""
    )
    return Scan(".", cols.ignored, "parquet", header_names=cols.written)


def scan_csv(
    con: DuckDBPyConnection, path: Path, read_path: Path, source: Source, facts: FileFacts, options: dict, tmp: Path
) -> Scan:
    """CSV (or .txt/.tsv) text: lines read by DuckDB in one scan, split into fields in SQL."""
    if facts.not_text:
        raise BadFileError(f"{path.name}: is {facts.not_text}")
    mapping = _mapping(path, source)
    options = {**mapping.csv_options(), **options}
    encoding = options.get("encoding") or facts.encoding
    text_path, lines = read_path, facts.lines
    if encoding not in ("utf-8", "utf-8-sig"):
        text_path = tmp / "utf8.csv"
        lines = transcode_to_utf8(path, encoding, text_path)
    fmt = read_header(path, text_path, encoding, delimiter=options.get("delimiter"), decimal=options.get("decimal"))
    cols = resolve_columns(path, source, fmt.written, mapping)
    load_records(con, path.name, text_path, facts.line_delimiter, lines, fmt.header_line, facts.has_quotes)
    _csv_view(con, source, fmt, cols, mapping.date_order)
    records = scalar(con, "SELECT count(*) FROM records")
    desc = f"csv, {encoding}, separator {fmt.delimiter!r}, decimal {fmt.decimal!r}"
    # blank lines = records - rows read (known once parsed) + blank lines before the header
    return Scan(
        fmt.decimal,
        cols.ignored,
        desc,
        records=records + fmt.header_line - 1,
        may_hold_nul=facts.has_nul,
        header_names=cols.written,
    )


def _csv_view(con: DuckDBPyConnection, source: Source, fmt: CsvFormat, cols: ColumnMap, date_order: str) -> None:
    d, rd = constant_literal(fmt.delimiter), _REGEX_DELIM[fmt.delimiter]
    # A quoted field (quotes doubled inside, may hold the separator or a line break) or a bare one.
    fld = f'\\s*"(?:[^"]|"")*"\\s*|[^"{rd}]*'
    whole, each = sql_literal(f"(?s)(?:(?:{fld}){rd})*"), sql_literal(f"(?s)({fld}){rd}")
    n = len(fmt.header)
    blank_chars = " \t\r\u00a0\ufeff" + fmt.delimiter
    blank = constant_literal(blank_chars)
    # a line not starting with a blank character is not blank (cheap); the others are trimmed to know
    not_padded = "NOT (" + " OR ".join(f"t LIKE {constant_literal(c + '%')}" for c in blank_chars) + ")"
    # values are trimmed only on lines holding a space, tab or no-break space (a per-line test is cheap)
    fields = select_columns(
        source,
        cols,
        lambda i, c: f"_f[{i + 1}]",
        date_order,
        lambda x: f"CASE WHEN _pad THEN cartera_trim({x}) ELSE nullif({x}, '') END",
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW scan AS
            SELECT _line, _t AS _record,
                   CASE WHEN strlen(_t) > {MAX_LINE_BYTES} THEN 'line longer than {MAX_LINE_BYTES:,} bytes'
                        WHEN _f IS NULL THEN 'unreadable line: unbalanced quotes'
                        WHEN len(_f) > {n} AND list_bool_or(list_transform(_f[{n + 1}:], lambda x: trim(x) <> ''))
                        THEN 'unreadable line: too many columns' END AS _line_reason,
                   {fields}
            FROM (SELECT _line, t AS _t, {PADDED_LINE} AS _pad,
                         CASE WHEN NOT contains(t, '"') THEN string_split(t, {d})
                              WHEN regexp_full_match(t || {d}, {whole}) THEN list_transform(
                                  regexp_extract_all(t || {d}, {each}, 1),
                                  lambda x: CASE WHEN ltrim(x) LIKE '"%' THEN replace(trim(x)[2:-2], '""', '"') ELSE x END)
                         END AS _f
                  FROM records WHERE t IS NOT NULL AND ({not_padded} OR trim(t, {blank}) <> ''))"""
    )
