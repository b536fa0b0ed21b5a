"""Flags and vars are validated before they reach dbt or SQL; `cartera query` is read-only."""

import duckdb
import pytest

from dagster_project.cli import main
from dagster_project.settings import Settings, SettingsError, parse_vars_json


def test_sql_in_a_var_is_refused():
    with pytest.raises(SettingsError, match="var active_window_days must be an integer"):
        parse_vars_json('{"active_window_days": "90; drop table x"}')


def test_bad_as_of_is_refused():
    with pytest.raises(SettingsError, match="CARTERA_AS_OF must be a date as YYYY-MM-DD"):
        Settings.from_env(env={"CARTERA_AS_OF": "2026-13-01"})


def test_cli_run_with_injected_var_exits_2_with_message(capsys):
    assert main(["run", "--vars", '{"active_window_days": "90; drop table x"}']) == 2
    assert "active_window_days" in capsys.readouterr().err


@pytest.fixture
def warehouse(tmp_path):
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA marts; CREATE TABLE marts.t AS SELECT '00042' AS customer_id, 1 AS n")
    con.close()
    return path


def test_query_prints_a_table(warehouse, capsys):
    assert main(["query", "--warehouse", str(warehouse), "SELECT customer_id, n FROM marts.t"]) == 0
    out = capsys.readouterr().out
    assert "customer_id" in out and "00042" in out


def test_query_refuses_writes_with_a_clear_message(warehouse, capsys):
    assert main(["query", "--warehouse", str(warehouse), "DROP TABLE marts.t"]) == 2
    assert "read-only" in capsys.readouterr().err
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("SELECT count(*) FROM marts.t").fetchone()[0] == 1


def test_weekly_report_before_any_publish_fails_with_a_clear_message(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    (tmp_path / "landing").mkdir()
    code = main(
        [
            "run",
            "--job",
            "weekly_report",
            "--landing",
            str(tmp_path / "landing"),
            "--warehouse",
            str(tmp_path / "w" / "cartera.duckdb"),
            "--reports",
            str(tmp_path / "r"),
        ]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "no published warehouse" in err and "run the nightly refresh" in err
    assert not (tmp_path / "r").exists() or not any((tmp_path / "r").iterdir())
