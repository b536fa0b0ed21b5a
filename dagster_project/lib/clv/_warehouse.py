"""DuckDB plumbing shared by the CLV marts: the occasions source, validated table names, date arguments and
the transactional CREATE OR REPLACE of result tables."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime

import pandas as pd

OCCASIONS_TABLE = "intermediate.int_purchase_occasions"

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def table_ref(name: str) -> str:
    """Validated, quoted [schema.]table reference (identifiers cannot be query parameters)."""
    parts = name.split(".")
    if not 1 <= len(parts) <= 2 or not all(_IDENT.match(p) for p in parts):
        raise ValueError(f"invalid table name {name!r}")
    return ".".join(f'"{p}"' for p in parts)


def as_date(value, what: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"{what} must be a datetime.date; got {type(value).__name__}")


def replace_table(con, name: str, df: pd.DataFrame, select: str) -> None:
    """CREATE OR REPLACE TABLE name AS SELECT <select> FROM a registered DataFrame."""
    view = f"_clv_{uuid.uuid4().hex}"
    con.register(view, df)
    try:
        con.execute(f"CREATE OR REPLACE TABLE {table_ref(name)} AS SELECT {select} FROM {view}")
    finally:
        con.unregister(view)


def write_tables(con, tables: list[tuple[str, pd.DataFrame, str]]) -> None:
    """Replace every (name, DataFrame, select list) table in one transaction (all or none)."""
    con.execute("CREATE SCHEMA IF NOT EXISTS marts")
    con.execute("BEGIN TRANSACTION")
    try:
        for name, df, select in tables:
            replace_table(con, name, df, select)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
