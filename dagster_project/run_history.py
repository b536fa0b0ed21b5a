"""Dagster's run history (SQLite files under DAGSTER_HOME) written at the cost of an INSERT per event.

Dagster's SQLite event log creates a SQLAlchemy engine, opens a connection, commits and closes it for every
event it stores, in WAL mode flushing the log to disk at each commit and checkpointing it at each close. A run
stores about a thousand events (every dbt model and test is a planned and a finished event; an asset check
result is written to the run's file and the index file), so on the sample portfolio storing events took more
time than the SQL: 28% of a run with py-spy before any change, 16% with the flushes off, of which 9% was
making engines and connections.

Two changes, for the processes that run jobs (`cartera run`, the test suite; `tune_run_history()` installs
them once per process):

- `synchronous=OFF` on every SQLite connection: SQLite still writes every event, in order, and survives a
  crash of this process (kill -9); only a power cut or kernel crash in the middle of a run could damage the
  history file (`.dagster_home/`), never the warehouse, whose write-audit-publish does not depend on it.
- one engine and one open connection per history file (the run's file, the index), reused for every event
  instead of made anew: at most `KEEP_OPEN` files are kept open (least recently used closed first) and all are
  closed when the instance is disposed. Each event is still its own committed transaction, so the UI (another
  process, reading the same WAL-mode files) sees the run as it happens.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from contextlib import contextmanager

_installed = False
KEEP_OPEN = 8


def _no_flush(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous=OFF")


def _engine_for(storage, shard: str):
    """The shard's engine, made once (the database created the first time, as Dagster does)."""
    from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    engines: OrderedDict = storage.__dict__.setdefault("_cartera_engines", OrderedDict())
    if shard in engines:
        engines.move_to_end(shard)
        return engines[shard]
    # One connection per file, used by one thread at a time: every use holds the storage's _db_lock.
    engine = create_engine(
        storage.conn_string_for_shard(shard),
        poolclass=StaticPool,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
    )
    if shard not in storage._initialized_dbs:
        storage._initdb(engine)
        storage._initialized_dbs.add(shard)
    engines[shard] = engine
    while len(engines) > KEEP_OPEN:
        engines.popitem(last=False)[1].dispose()
    return engine


@contextmanager
def _connect(self, shard: str):
    """SqliteEventLogStorage._connect with the engine kept (same locking, one transaction per use)."""
    with self._db_lock:
        engine = _engine_for(self, shard)
        with engine.connect() as conn, conn.begin():
            yield conn


def _dispose(self, _original) -> None:
    with self._db_lock:
        engines = self.__dict__.pop("_cartera_engines", {})
        for engine in engines.values():
            engine.dispose()
    _original(self)


def tune_run_history() -> None:
    """Install both changes in this process (once)."""
    global _installed
    if _installed:
        return
    from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    event.listen(Engine, "connect", _no_flush)
    original_dispose = SqliteEventLogStorage.dispose
    SqliteEventLogStorage._connect = _connect  # type: ignore[method-assign]
    SqliteEventLogStorage.dispose = lambda self: _dispose(self, original_dispose)  # type: ignore[method-assign]
    _installed = True
