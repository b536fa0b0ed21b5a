"""Dagster's run history (SQLite files under DAGSTER_HOME) written without a disk flush per event.

Dagster's SQLite storage opens, commits and closes a connection for every event it stores; in WAL mode each
commit flushes the log to disk and each close checkpoints it and flushes again. A run stores about a thousand
events (every dbt model and test is a planned and a finished event), so on the sample portfolio the flushes
took more wall time than the SQL (profiled with py-spy: 28% of a run). With `synchronous=OFF` SQLite still
writes every event, in order, and survives a crash of this process (kill -9); only a power cut or kernel crash
in the middle of a run could damage the history file (`.dagster_home/`), never the warehouse, whose
write-audit-publish does not depend on it.
"""

from __future__ import annotations

import sqlite3

_installed = False


def _no_flush(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous=OFF")


def write_run_history_without_flushes() -> None:
    """Apply `synchronous=OFF` to every SQLite connection SQLAlchemy opens in this process (once)."""
    global _installed
    if _installed:
        return
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    event.listen(Engine, "connect", _no_flush)
    _installed = True
