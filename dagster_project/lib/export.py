"""Marts of the published warehouse as sheets for people: headers and codes in the reader's language.

    tables = mart_tables(con, ["customer_profile", "customer_value_alerts"], lang="es")
    write_xlsx(path, tables, lang="es", currency="€")

Which tables exist is read from the warehouse (any table in schema marts); a name that isn't one is refused
before it reaches SQL. Headers come from the translation table (`col.<column>`), sheet names from
`sheet.<table>`; status and tier codes become their words (`inactive` -> `Inactivo`); numbers stay numbers.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

import pandas as pd
from duckdb import DuckDBPyConnection

from .report.labels import code_label, has_label, label
from .report.vars_in_force import read_vars_in_force, var_words
from .sql import quote_identifier
from .xlsx import XlsxTable

SCHEMA = "marts"
DEFAULT_TABLES = ("customer_profile", "customer_value_alerts", "cohort_retention", "pareto_summary")
# Columns holding mart codes, and the label family of their words; `tier` depends on the table.
CODE_COLUMNS = {"status": "status", "volume_tier": "volume", "frequency_tier": "frequency", "alert_reason": "alert"}
TIER_KIND = {"customer_volume": "volume", "customer_frequency": "frequency"}
# Rows in the order a person reads the table (constants, never user input); others by their first column.
ROW_ORDER = {
    "customer_value_alerts": "priority",
    "pareto_customers": "revenue_rank",
    "cohort_retention": "cohort_month, period_number",
}
_MONEY = re.compile(r"(revenue|amount|order_value|clv_|value_per)")
_PERCENT = re.compile(r"(_share$|_share_of_|_rate$|^p_alive$)")


class ExportError(ValueError):
    """A requested table cannot be exported; the message names it and what exists."""


def available_tables(con: DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = ? order by table_name", [SCHEMA]
    ).fetchall()
    return [r[0] for r in rows]


def check_tables(con: DuckDBPyConnection, names: list[str]) -> list[str]:
    """The names, each a table of the marts schema (refused with the list of tables otherwise)."""
    known = available_tables(con)
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ExportError(f"no table {', '.join(unknown)} in {SCHEMA}; tables: {', '.join(known) or '(none)'}")
    return names


def header(column: str, lang: str, words: dict[str, str]) -> str:
    """The column's header in `lang` (the column name when it has none); windows and shares it states from
    `words` (the warehouse's vars in force, report/vars_in_force.py)."""
    key = f"col.{column}"
    return label(key, lang, **words) if has_label(key) else column


def sheet_title(table: str, lang: str) -> str:
    key = f"sheet.{table}"
    return label(key, lang) if has_label(key) else table


def for_people(frame: pd.DataFrame, table: str, lang: str) -> pd.DataFrame:
    """Codes as words in `lang`; every other value as it is."""
    frame = frame.copy()
    for column in frame.columns:
        kind = TIER_KIND.get(table) if column == "tier" else CODE_COLUMNS.get(column)
        if kind:
            frame[column] = frame[column].map(partial(_code_word, kind=kind, lang=lang))
    return frame


def _code_word(code: Any, kind: str, lang: str) -> Any:
    return code if code is None or pd.isna(code) else code_label(kind, str(code), lang)


def to_xlsx_table(frame: pd.DataFrame, table: str, lang: str, words: dict[str, str]) -> XlsxTable:
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    return XlsxTable(
        sheet=sheet_title(table, lang),
        frame=for_people(frame, table, lang),
        headers={c: header(c, lang, words) for c in frame.columns},
        money={c for c in numeric if _MONEY.search(c)},
        percent={c for c in numeric if _PERCENT.search(c)},
    )


def mart_tables(con: DuckDBPyConnection, names: list[str], lang: str) -> list[XlsxTable]:
    """One XlsxTable per mart, rows in reading order (ROW_ORDER, else the first column)."""
    tables = []
    words = var_words(read_vars_in_force(con), lang)
    for name in check_tables(con, names):
        order = ROW_ORDER.get(name, "1")
        table = f"{quote_identifier(SCHEMA)}.{quote_identifier(name)}"  # a table that exists (checked above)
        frame = con.execute(f"select * from {table} order by {order}").df()
        tables.append(to_xlsx_table(frame, name, lang, words))
    return tables
