"""Turn the text rows of `scan` (scan.py) into typed values and the first hard rule each row breaks (temp table
`parsed`), in one pass: loaded and rejected rows come from the same table. The rules themselves are in rules.py."""

from __future__ import annotations

from datetime import date

from duckdb import DuckDBPyConnection

from ..sql import fetch_row
from .rules import in_range_or_null, parse_expr, reason_exprs, row_reason_exprs
from .sources import Source

RECORD_PREVIEW = 500  # characters of a rejected record kept for people to read


def parse_scan(
    con: DuckDBPyConnection,
    source: Source,
    decimal: str,
    max_date: date,
    *,
    may_hold_nul: bool = True,
    header_names: dict[str, str] | None = None,
) -> None:
    """Temp table `parsed` from one read of `scan`: typed values, _reason = the first hard rule the row breaks,
    the record's text for rejected rows, and per optional column whether a present value was set to NULL."""
    soft = [c for c in source.columns if not c.required]
    reasons = [("_line_reason IS NOT NULL", "_line_reason")]
    reasons += row_reason_exprs(source, raw=lambda name: f"r_{name}", nul=may_hold_nul, header_names=header_names)
    for c in source.columns:
        reasons += reason_exprs(c, f"r_{c.name}", c.name if c.required else f"p_{c.name}")
    case = "CASE " + " ".join(f"WHEN {cond} THEN {why}" for cond, why in reasons) + " END"
    record = " || '|' || ".join(f"coalesce(r_{c.name}, '')" for c in source.columns)
    typed = ", ".join(
        [f"{parse_expr(c, f'r_{c.name}')} AS {c.name}" for c in source.columns if c.required]
        + [f"{parse_expr(c, f'r_{c.name}')} AS p_{c.name}" for c in soft]
    )
    soft_values = "".join(f", {in_range_or_null(c, f'p_{c.name}')} AS {c.name}" for c in soft)
    nulled = "".join(f", r_{c.name} IS NOT NULL AND {c.name} IS NULL AS _nulled_{c.name}" for c in soft)
    raw = ", ".join(f"{c.name} AS r_{c.name}" for c in source.columns)
    con.execute("DROP TABLE IF EXISTS parsed")
    sql = f"""CREATE TEMP TABLE parsed AS
              WITH texts AS (SELECT _line, _record AS _text, _line_reason, {raw} FROM scan),
                   typed AS (SELECT *, {typed} FROM texts),
                   checked AS (SELECT *{soft_values}, {case} AS _reason FROM typed)
              SELECT _line, {", ".join(c.name for c in source.columns)}, _reason{nulled},
                     CASE WHEN _line_reason IS NOT NULL THEN left(replace(_text, chr(0), '\\0'), {RECORD_PREVIEW})
                          WHEN _reason IS NOT NULL
                          THEN left(replace({record}, chr(0), '\\0'), {RECORD_PREVIEW}) END AS _record
              FROM checked"""
    params = {"decimal": decimal, "max_date": max_date}
    con.execute(sql, {k: v for k, v in params.items() if f"${k}" in sql})
    if source.replace_key and source.unique_key:
        key = source.replace_key
        others = " || '|' || ".join(f"coalesce(CAST({c.name} AS VARCHAR), '')" for c in source.columns)
        con.execute(f"""UPDATE parsed SET _reason = 'duplicate {key} ''' || {key} || ''' (a later row of this file replaces it)',
                        _record = left({others}, {RECORD_PREVIEW})
                        FROM (SELECT _line AS r, row_number() OVER (PARTITION BY {key} ORDER BY _line DESC) AS k
                              FROM parsed WHERE _reason IS NULL AND {key} IS NOT NULL) d
                        WHERE parsed._line = d.r AND d.k > 1""")


def nulled_counts(con: DuckDBPyConnection, source: Source) -> dict[str, int]:
    """Per optional column: loaded rows whose value was present but did not parse (or broke a range rule)."""
    soft = [c for c in source.columns if not c.required]
    if not soft:
        return {}
    counts = ", ".join(f"count(*) FILTER (_nulled_{c.name})" for c in soft)
    row = fetch_row(con, f"SELECT {counts} FROM parsed WHERE _reason IS NULL")
    return {c.name: n for c, n in zip(soft, row, strict=False) if n}
