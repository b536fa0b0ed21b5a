"""The one place Cartera writes values into SQL text, and small typed helpers for reading results.

Prefer bound parameters (`con.execute(sql, [value])`); quote only where SQL cannot take a parameter (a file path
in ATTACH / read_csv, a column name, a list of names). Both quoting functions follow DuckDB's (and standard
SQL's) rules: a quote is doubled, a backslash is an ordinary character, any Unicode is kept. Text holding NUL or
a control character other than tab is refused (UnsafeSqlText): no file name, column name or path Cartera needs
has one, and a newline in a name is more likely an attack or a broken export than a name.
"""

from __future__ import annotations

from typing import Any

from duckdb import DuckDBPyConnection


class UnsafeSqlText(ValueError):
    """A value that cannot be written into SQL text; the message shows it."""


def _checked(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise UnsafeSqlText(f"{what} must be text, not {type(value).__name__} {value!r}")
    if any((ord(ch) < 32 and ch != "\t") or ord(ch) == 127 for ch in value):
        raise UnsafeSqlText(f"{what} {value!r} holds a control character; refused")
    return value


def quote_literal(value: str, what: str = "value") -> str:
    """`value` as a SQL string literal: 'it''s'."""
    return "'" + _checked(value, what).replace("'", "''") + "'"


def quote_identifier(name: str, what: str = "name") -> str:
    """`name` as a quoted SQL identifier, double quotes doubled (case and any other character kept)."""
    if name == "":
        raise UnsafeSqlText(f"{what} is empty")
    return '"' + _checked(name, what).replace('"', '""') + '"'


def fetch_row(con: DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> tuple[Any, ...]:
    """The first row of a query that always returns one (an aggregate); an error if it returns none."""
    row = con.execute(sql, params or []).fetchone()
    if row is None:
        raise LookupError(f"query returned no row: {sql[:200]}")
    return row


def scalar(con: DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    """The first value of the first row (`select count(*) ...`)."""
    return fetch_row(con, sql, params)[0]
