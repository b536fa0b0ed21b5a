"""lib/sql.py is the one place values are written into SQL text: hostile names round-trip through real DuckDB
exactly, or are refused; nothing else in Cartera quotes by hand."""

import re
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib.sql import UnsafeSqlText, fetch_row, quote_identifier, quote_literal, scalar

HOSTILE = [
    "plain",
    "it's",
    "''",
    "'; DROP TABLE t; --",
    'say "hi"',
    '"',
    "back\\slash\\",
    "\\'",
    "tab\tinside",
    "ñandú José Núñez 客户 😀",
    "$1 ? :name",
    "/* comment */ --",
    " leading and trailing ",
]
REFUSED = ["new\nline", "carriage\rreturn", "nul\x00byte", "bell\x07", "escape\x1b[0m", "del\x7f"]


@pytest.fixture
def con():
    c = duckdb.connect()
    yield c
    c.close()


@pytest.mark.parametrize("text", HOSTILE)
def test_a_literal_reads_back_exactly(con, text):
    assert scalar(con, f"select {quote_literal(text)}") == text


@pytest.mark.parametrize("text", HOSTILE)
def test_an_identifier_names_exactly_that_column(con, text):
    con.execute(f"create table t ({quote_identifier(text)} integer, other integer)")
    con.execute("insert into t values (1, 2)")
    assert [d[0] for d in con.execute("select * from t").description] == [text, "other"]
    assert scalar(con, f"select {quote_identifier(text)} from t") == 1


@pytest.mark.parametrize("text", REFUSED)
def test_control_characters_are_refused_in_both(text):
    with pytest.raises(UnsafeSqlText, match="control character"):
        quote_literal(text)
    with pytest.raises(UnsafeSqlText, match="control character"):
        quote_identifier(text)


def test_non_text_and_empty_names_are_refused():
    with pytest.raises(UnsafeSqlText, match="must be text"):
        quote_literal(3)  # type: ignore[arg-type]
    with pytest.raises(UnsafeSqlText, match="is empty"):
        quote_identifier("")


def test_a_hostile_path_attaches_the_file_it_names(con, tmp_path):
    path = tmp_path / 'it\'s a "db" ñ \\ x.duckdb'
    con.execute(f"attach {quote_literal(str(path))} as w")
    con.execute("create table w.t as select 42 as n")
    con.execute("detach w")
    assert path.exists()
    assert duckdb.connect(str(path), read_only=True).execute("select n from t").fetchone() == (42,)


def test_fetch_row_says_when_there_is_no_row(con):
    with pytest.raises(LookupError, match="no row"):
        fetch_row(con, "select 1 where false")


def test_no_other_module_quotes_sql_by_hand():
    """The doubled-quote idiom appears only in lib/sql.py (lib/clv is being rewritten by its own issue)."""
    root = Path(__file__).resolve().parents[2] / "dagster_project"
    # .replace("'", "''") or .replace('"', '""'): a quote doubled by hand
    hand_quoting = re.compile(r"""replace\(\s*("'"\s*,\s*"''"|'"'\s*,\s*'""')\s*\)""")
    offenders = [
        f"{p.relative_to(root)}:{n}"
        for p in root.rglob("*.py")
        if p.name != "sql.py" and "clv" not in p.parts
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if hand_quoting.search(line) and "not SQL" not in line  # e.g. YAML's quoting doubles quotes too
    ]
    assert offenders == []
