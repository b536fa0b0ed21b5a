"""Parsing and quarantine rules, one per column kind, as DuckDB SQL.

Every value arrives as text. A kind's rule turns it into a typed value or NULL; a required column whose
value is missing or unparseable quarantines the row with a reason; an optional one that doesn't parse is
set to NULL and counted. Column names used here come from `sources.py`, never from a file.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from .sources import AMOUNT, BOOL, DATE, ID, NUMBER, SQL_TYPES, TEXT, TIMESTAMP, Column, Source

MIN_DATE = date(1990, 1, 1)
MAX_ID_LENGTH = 100
DATE_FORMATS = [
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%Y%m%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M",
]
TRUE_WORDS = ["yes", "y", "true", "t", "1", "si", "sí", "s", "x", "high", "medium", "alta", "media", "alto", "medio"]
FALSE_WORDS = ["no", "n", "false", "f", "0", "low", "baja", "bajo", "none", "ninguna", "ninguno"]

_formats = "[" + ", ".join(f"'{f}'" for f in DATE_FORMATS) + "]"
_words = lambda ws: "(" + ", ".join(f"'{w}'" for w in ws) + ")"  # noqa: E731

# Temporary macros, created on each connection that parses. `dm` is the file's decimal mark.
MACROS = f"""
-- trim only values that need it: trimming every value costs a copy of each string (a second at 10M rows)
CREATE OR REPLACE TEMP MACRO cartera_text(s) AS
    CASE WHEN s LIKE ' %' OR s LIKE '% ' THEN nullif(trim(s), '') ELSE nullif(s, '') END;
CREATE OR REPLACE TEMP MACRO cartera_digits(d, dm) AS TRY_CAST(CASE
    WHEN contains(d, '.') AND contains(d, ',') THEN
        CASE WHEN regexp_full_match(d, '[0-9.]*,[0-9]+') THEN replace(replace(d, '.', ''), ',', '.')
             ELSE replace(d, ',', '') END
    WHEN contains(d, ',') THEN
        CASE WHEN dm = ',' OR NOT regexp_full_match(d, '[1-9][0-9]{{0,2}}(,[0-9]{{3}})+') THEN replace(d, ',', '.')
             ELSE replace(d, ',', '') END
    WHEN dm = ',' AND regexp_full_match(d, '[1-9][0-9]{{0,2}}([.][0-9]{{3}})+') THEN replace(d, '.', '')
    ELSE d END AS DOUBLE);
CREATE OR REPLACE TEMP MACRO cartera_number(s, dm) AS CASE
    WHEN NOT isfinite(TRY_CAST(s AS DOUBLE)) THEN NULL  -- 'nan', 'inf'
    WHEN dm = '.' AND TRY_CAST(s AS DOUBLE) IS NOT NULL THEN TRY_CAST(s AS DOUBLE)
    WHEN regexp_full_match(s,
        '\\s*[-+(]?\\s*(€|EUR|eur|\\$|USD|usd)?\\s*[-+]?\\s*[0-9][0-9.,]*\\s*(€|EUR|eur|\\$)?\\s*[)-]?\\s*')
        AND NOT (contains(s, '(') <> contains(s, ')'))
    THEN (CASE WHEN contains(s, '-') OR contains(s, '(') THEN -1 ELSE 1 END)
         * cartera_digits(regexp_replace(s, '[^0-9.,]', '', 'g'), dm)
    END;
CREATE OR REPLACE TEMP MACRO cartera_timestamp(s) AS coalesce(
    TRY_CAST(s AS TIMESTAMP), try_strptime(s, {_formats}));
CREATE OR REPLACE TEMP MACRO cartera_date(s) AS CAST(cartera_timestamp(s) AS DATE);
CREATE OR REPLACE TEMP MACRO cartera_bool(s) AS CASE
    WHEN lower(s) IN {_words(TRUE_WORDS)} THEN true
    WHEN lower(s) IN {_words(FALSE_WORDS)} THEN false END;
"""


def parse_expr(col: Column, ref: str) -> str:
    """SQL turning the cleaned text `ref` into the column's typed value, or NULL when it doesn't parse."""
    return {
        ID: ref,
        TEXT: ref,
        DATE: f"cartera_date({ref})",
        TIMESTAMP: f"cartera_timestamp({ref})",
        NUMBER: f"cartera_number({ref}, $decimal)",
        AMOUNT: f"TRY_CAST(round(cartera_number({ref}, $decimal), 2) AS {SQL_TYPES[AMOUNT]})",
        BOOL: f"cartera_bool({ref})",
    }[col.kind]


def in_range_expr(col: Column, typed: str) -> str | None:
    """SQL that is false when a parsed value breaks a range rule (dates before 1990 or after max_date)."""
    if col.kind in (DATE, TIMESTAMP):
        return f"CAST({typed} AS DATE) BETWEEN DATE '{MIN_DATE.isoformat()}' AND $max_date"
    if col.kind == ID:
        return f"length({typed}) <= {MAX_ID_LENGTH}"
    return None


def reason_exprs(col: Column, raw: str, typed: str) -> list[tuple[str, str]]:
    """(condition, reason SQL) pairs that quarantine a row on this column, in order of precedence."""
    name = col.name
    shown = f"left({raw}, 40)"
    rules: list[tuple[str, str]] = []
    if col.required:
        rules.append((f"{raw} IS NULL", f"'missing {name}'"))
        if col.kind != ID:
            rules.append((f"{typed} IS NULL", f"'unparseable {name} ''' || {shown} || ''''"))
    rng = in_range_expr(col, typed)
    if rng and col.required:
        if col.kind == ID:
            rules.append((f"NOT ({rng})", f"'{name} longer than {MAX_ID_LENGTH} characters'"))
        else:
            rules.append(
                (
                    f"CAST({typed} AS DATE) < DATE '{MIN_DATE.isoformat()}'",
                    f"'{name} ' || CAST({typed} AS DATE) || ' is before {MIN_DATE.isoformat()}'",
                )
            )
            rules.append(
                (
                    f"CAST({typed} AS DATE) > $max_date",
                    f"'{name} ' || CAST({typed} AS DATE) || ' is in the future (after ' || $max_date || ')'",
                )
            )
    return rules


def in_range_or_null(col: Column, typed: str) -> str:
    """An optional column's parsed value, or NULL when it breaks a range rule."""
    rng = in_range_expr(col, typed)
    return f"CASE WHEN {rng} THEN {typed} END" if rng else typed


def row_reason_exprs(source: Source, raw: Callable[[str], str] = lambda name: name) -> list[tuple[str, str]]:
    """(condition, reason SQL) pairs that quarantine a whole row before any column rule: a header line
    repeated inside the file (as when exports are concatenated) and a NUL byte in any value. `raw` names the
    text column of a source column."""
    norm = "trim(regexp_replace(lower(coalesce({}, '')), '[^0-9a-z]+', '_', 'g'), '_')"
    first = source.required_columns[0]
    # A cheap test first (most rows fail it), the normalisation only for the rest.
    header = f"lower(left(ltrim(coalesce({raw(first.name)}, '')), 2)) = '{first.file_header[:2]}' AND " + " AND ".join(
        f"{norm.format(raw(c.name))} = '{c.file_header}'" for c in source.required_columns
    )
    nul = " OR ".join(f"contains(coalesce({raw(c.name)}, ''), chr(0))" for c in source.columns)
    return [(f"({header})", "'repeated header line'"), (f"({nul})", "'contains a NUL byte'")]
