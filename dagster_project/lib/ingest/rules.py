"""Parsing and quarantine rules, one per column kind, as DuckDB SQL.

Every value arrives as text. A kind's rule turns it into a typed value or NULL; a required column whose
value is missing or unparseable quarantines the row with a reason; an optional one that doesn't parse is
set to NULL and counted. Column names used here come from `sources.py`, never from a file.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ..sql import quote_literal
from .sniff import normalise_header
from .sources import AMOUNT, BOOL, CODE, DATE, EMAIL, ID, NUMBER, TEXT, TIMESTAMP, Column, Source

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
# Two-digit years (4/3/25 = 4 March 2025) pivot as DuckDB's %y does: 00-68 are 2000-2068, 69-99 are
# 1969-1999 (so, with dates before 1990 refused, 90-99 are the 1990s). Only a value shaped d/m/yy takes them.
TWO_DIGIT_YEAR_FORMATS = ["%d/%m/%y", "%d-%m-%y", "%d.%m.%y", "%d/%m/%y %H:%M", "%d/%m/%y %H:%M:%S"]
TWO_DIGIT_YEAR = "[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2}( [0-9:]+)?"
EXCEL_EPOCH = "1899-12-30"  # Excel's serial day 0 (its serials count the 1900 leap-year bug): 45231 = 2023-11-01
TRUE_WORDS = ["yes", "y", "true", "t", "1", "si", "sí", "s", "x", "high", "medium", "alta", "media", "alto", "medio"]
FALSE_WORDS = ["no", "n", "false", "f", "0", "low", "baja", "bajo", "none", "ninguna", "ninguno"]
EMAIL_PATTERN = "[^@\\s]+@[^@\\s]+\\.[^@\\s]+"

_formats = "[" + ", ".join(f"'{f}'" for f in DATE_FORMATS) + "]"
_formats_yy = "[" + ", ".join(f"'{f}'" for f in TWO_DIGIT_YEAR_FORMATS) + "]"
_words = lambda ws: "(" + ", ".join(f"'{w}'" for w in ws) + ")"  # noqa: E731
_SPACES = (" ", "\t", "\r", "\u00a0", "\u202f")  # trimmed from every value: space, tab, CR, no-break spaces
_padded = " OR ".join(f"s LIKE '{c}%' OR s LIKE '%{c}'" for c in _SPACES)
# SQL true when a text holds any of them (a CSV line without one needs no value trimmed: cheap per line)
PADDED_LINE = " OR ".join(f"contains(t, '{c}')" for c in _SPACES)

# Temporary macros, created on each connection that parses. `dm` is the file's decimal mark.
MACROS = f"""
-- trim only values that need it: trimming every value costs a copy of each string (a second at 10M rows)
CREATE OR REPLACE TEMP MACRO cartera_trim(s) AS nullif(trim(s, '{"".join(_SPACES)}'), '');
CREATE OR REPLACE TEMP MACRO cartera_text(s) AS CASE WHEN {_padded} THEN cartera_trim(s) ELSE nullif(s, '') END;
CREATE OR REPLACE TEMP MACRO cartera_digits(d, dm) AS TRY_CAST(CASE
    WHEN contains(d, '.') AND contains(d, ',') THEN
        CASE WHEN regexp_full_match(d, '[0-9.]*,[0-9]+') THEN replace(replace(d, '.', ''), ',', '.')
             ELSE replace(d, ',', '') END
    WHEN contains(d, ',') THEN
        CASE WHEN dm = ',' OR NOT regexp_full_match(d, '[1-9][0-9]{{0,2}}(,[0-9]{{3}})+') THEN replace(d, ',', '.')
             ELSE replace(d, ',', '') END
    WHEN dm = ',' AND regexp_full_match(d, '[1-9][0-9]{{0,2}}([.][0-9]{{3}})+') THEN replace(d, '.', '')
    ELSE d END AS DOUBLE);
-- Unicode minus and no-break spaces as their plain forms; '1 234,56' (space as thousands separator) unspaced
CREATE OR REPLACE TEMP MACRO cartera_unspace(s) AS CASE
    WHEN regexp_full_match(s, '[^0-9]*[0-9]{{1,3}}( [0-9]{{3}})+([.,][0-9]+)?[^0-9]*') THEN replace(s, ' ', '') ELSE s END;
CREATE OR REPLACE TEMP MACRO cartera_plain_number(s) AS
    cartera_unspace(replace(replace(replace(s, '\u2212', '-'), '\u00a0', ' '), '\u202f', ' '));
CREATE OR REPLACE TEMP MACRO cartera_number_text(s, dm) AS CASE
    WHEN regexp_full_match(s,
        '\\s*[-+(]?\\s*(€|EUR|eur|\\$|USD|usd)?\\s*[-+]?\\s*[0-9][0-9.,]*\\s*(€|EUR|eur|\\$)?\\s*[)-]?\\s*')
        AND NOT (contains(s, '(') <> contains(s, ')'))
    THEN (CASE WHEN contains(s, '-') OR contains(s, '(') THEN -1 ELSE 1 END)
         * cartera_digits(regexp_replace(s, '[^0-9.,]', '', 'g'), dm)
    END;
CREATE OR REPLACE TEMP MACRO cartera_number(s, dm) AS CASE
    WHEN NOT isfinite(TRY_CAST(s AS DOUBLE)) THEN NULL  -- 'nan', 'inf'
    WHEN dm = '.' AND TRY_CAST(s AS DOUBLE) IS NOT NULL THEN TRY_CAST(s AS DOUBLE)
    ELSE cartera_number_text(cartera_plain_number(s), dm) END;
-- CASE, not coalesce: coalesce evaluates every argument for every row
CREATE OR REPLACE TEMP MACRO cartera_amount(s, dm) AS CASE
    WHEN dm = '.' AND TRY_CAST(s AS DECIMAL(18,2)) IS NOT NULL THEN TRY_CAST(s AS DECIMAL(18,2))
    ELSE TRY_CAST(round(cartera_number_text(cartera_plain_number(s), dm), 2) AS DECIMAL(18,2)) END;
-- ISO text by DuckDB's cast (fast); other shapes only by explicit formats, since the cast reads 4/3/25 as
-- the year 4. CASE, not coalesce: coalesce evaluates every argument for every row.
CREATE OR REPLACE TEMP MACRO cartera_timestamp(s) AS CASE
    WHEN s LIKE '____-%' AND TRY_CAST(s AS TIMESTAMP) IS NOT NULL THEN TRY_CAST(s AS TIMESTAMP)
    WHEN regexp_full_match(s, '{TWO_DIGIT_YEAR}') THEN try_strptime(s, {_formats_yy})
    WHEN regexp_full_match(s, '[1-9][0-9]{{4}}([.][0-9]+)?')  -- an Excel serial date
    THEN TIMESTAMP '{EXCEL_EPOCH}' + to_microseconds(CAST(CAST(s AS DOUBLE) * 86400000000 AS BIGINT))
    ELSE try_strptime(s, {_formats}) END;
CREATE OR REPLACE TEMP MACRO cartera_date(s) AS CASE
    WHEN s LIKE '____-%' AND TRY_CAST(s AS DATE) IS NOT NULL THEN TRY_CAST(s AS DATE)
    ELSE CAST(cartera_timestamp(s) AS DATE) END;
CREATE OR REPLACE TEMP MACRO cartera_bool(s) AS CASE
    WHEN lower(s) IN {_words(TRUE_WORDS)} THEN true
    WHEN lower(s) IN {_words(FALSE_WORDS)} THEN false END;
CREATE OR REPLACE TEMP MACRO cartera_email(s) AS CASE WHEN regexp_full_match(s, '{EMAIL_PATTERN}') THEN s END;
"""


def parse_expr(col: Column, ref: str) -> str:
    """SQL turning the cleaned text `ref` into the column's typed value, or NULL when it doesn't parse."""
    return {
        ID: ref,
        TEXT: ref,
        DATE: f"cartera_date({ref})",
        TIMESTAMP: f"cartera_timestamp({ref})",
        NUMBER: f"cartera_number({ref}, $decimal)",
        AMOUNT: f"cartera_amount({ref}, $decimal)",
        BOOL: f"cartera_bool({ref})",
        EMAIL: f"cartera_email({ref})",
        CODE: code_expr(col, ref),
    }[col.kind]


def code_expr(col: Column, ref: str) -> str:
    """A CODE column's code for the text `ref` (any of its words, case, accents and spaces aside), else NULL."""
    if not col.codes:
        return ref
    norm = f"trim(regexp_replace(lower(strip_accents({ref})), '[\\s_-]+', ' ', 'g'))"
    whens = " ".join(
        f"WHEN {norm} IN ({', '.join(quote_literal(w) for w in words)}) THEN {quote_literal(code)}"
        for code, words in col.codes
    )
    return f"CASE {whens} END"


def in_range_expr(col: Column, typed: str) -> str | None:
    """SQL that is false when a parsed value breaks a range rule (dates before 1990 or after max_date)."""
    if col.kind in (DATE, TIMESTAMP):
        return f"CAST({typed} AS DATE) BETWEEN DATE '{MIN_DATE.isoformat()}' AND $max_date"
    if col.kind == ID:
        return f"length({typed}) <= {MAX_ID_LENGTH}"
    if col.kind == NUMBER and col.whole_range:
        lo, hi = col.whole_range
        return f"({typed} BETWEEN {int(lo)} AND {int(hi)} AND {typed} = floor({typed}))"
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
        elif col.kind == NUMBER and col.whole_range:
            lo, hi = col.whole_range
            reason = f"'{name} ''' || {shown} || ''' is not a whole number from {lo} to {hi}'"
            rules.append((f"NOT ({rng})", reason))
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


def row_reason_exprs(
    source: Source,
    raw: Callable[[str], str] = lambda name: name,
    nul: bool = True,
    header_names: dict[str, str] | None = None,
) -> list[tuple[str, str]]:
    """(condition, reason SQL) pairs that quarantine a whole row before any column rule: a header line
    repeated inside the file (as when exports are concatenated, also after a second BOM) and a NUL byte in any
    value. `raw` names the text column of a source column; `header_names` are the file's own names for its
    columns (an export with `Cliente` repeats `Cliente`), by default the Cartera names."""
    names = {c.name: (header_names or {}).get(c.name) or c.file_header for c in source.columns}
    norm = "trim(regexp_replace(strip_accents(lower(replace(coalesce({}, ''), chr(65279), ''))), '[^0-9a-z]+', '_', 'g'), '_')"
    first = source.required_columns[0]
    # A cheap test first (most rows fail it: prefix LIKEs), the normalisation only for the rest.
    two = names[first.name].strip()[:2]
    prefixes = sorted({two, two.lower(), two.upper(), two.title(), "\ufeff"})
    gate = " OR ".join(
        f"{raw(first.name)} LIKE {quote_literal(p.replace('%', '').replace('_', '') + '%')}" for p in prefixes
    )
    header = f"({gate}) AND " + " AND ".join(
        f"{norm.format(raw(c.name))} = {quote_literal(normalise_header(names[c.name]))}"
        for c in source.required_columns
    )
    nul_test = " OR ".join(f"contains(coalesce({raw(c.name)}, ''), chr(0))" for c in source.columns)
    rules = [(f"({header})", "'repeated header line'")]
    return rules + [(f"({nul_test})", "'contains a NUL byte'")] if nul else rules
