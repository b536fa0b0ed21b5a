"""Fixtures of the unit tests: an empty landing folder and a real DuckDB file to ingest into."""

from __future__ import annotations

import duckdb
import pytest


@pytest.fixture
def landing(tmp_path):
    path = tmp_path / "landing"
    path.mkdir()
    return path


@pytest.fixture
def con(tmp_path):
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield con
    con.close()
