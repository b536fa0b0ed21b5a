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


def test_query_prints_at_most_max_rows_and_says_there_are_more(warehouse, capsys):
    sql = "SELECT range AS n, CASE WHEN range = 0 THEN NULL ELSE 'x' END AS v FROM range(3) ORDER BY n"
    assert main(["query", "--warehouse", str(warehouse), "--max-rows", "2", sql]) == 0
    lines = capsys.readouterr().out.splitlines()
    # header, rows 0 and 1 (right-aligned, NULL shown as NULL), then the note; row 2 is not printed
    assert lines == ["n    v", "0 NULL", "1    x", "... (first 2 rows shown; --max-rows shows more)"]


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


# --- the analyst connection reaches nothing but the warehouse (area runcli) ---


@pytest.mark.parametrize(
    "sql",
    [
        "COPY (SELECT * FROM marts.t) TO '{tmp}/leak.csv'",
        "EXPORT DATABASE '{tmp}/export'",
    ],
)
def test_query_cannot_write_files(warehouse, tmp_path, capsys, sql):
    assert main(["query", "--warehouse", str(warehouse), sql.format(tmp=tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cartera query reads only the warehouse: files, ATTACH and extensions are off")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb"]


def test_query_cannot_read_files(warehouse, tmp_path, capsys):
    secret = tmp_path / "secret.csv"
    secret.write_text("user,password\nana,hunter2\n")
    for sql in (
        f"SELECT * FROM read_csv('{secret}')",
        "SELECT * FROM read_csv('/etc/passwd')",
        f"SELECT * FROM '{secret}'",
    ):
        assert main(["query", "--warehouse", str(warehouse), sql]) == 2, sql
        captured = capsys.readouterr()
        assert "hunter2" not in captured.out and "root:" not in captured.out


def test_query_cannot_attach_another_database(warehouse, tmp_path, capsys):
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()
    assert main(["query", "--warehouse", str(warehouse), f"ATTACH '{other}' AS other"]) == 2
    assert "files, ATTACH and extensions are off" in capsys.readouterr().err


@pytest.mark.parametrize("sql", ["INSTALL httpfs", "LOAD httpfs", "INSTALL spatial FROM core"])
def test_query_cannot_install_or_load_extensions(warehouse, capsys, sql):
    assert main(["query", "--warehouse", str(warehouse), sql]) == 2
    assert "cartera query" in capsys.readouterr().err


@pytest.mark.parametrize(
    "sql",
    ["SET enable_external_access = true", "SET lock_configuration = false", "RESET enable_external_access"],
)
def test_query_cannot_switch_external_access_back_on(warehouse, capsys, sql):
    assert main(["query", "--warehouse", str(warehouse), sql]) == 2
    assert "the configuration has been locked" in capsys.readouterr().err


# --- refused before anything runs (area runcli) ---


def test_as_of_after_today_is_refused_before_anything_runs(tmp_path, capsys):
    (tmp_path / "landing").mkdir()
    code = main(
        [
            "run",
            "--landing",
            str(tmp_path / "landing"),
            "--warehouse",
            str(tmp_path / "w.duckdb"),
            "--as-of",
            "2099-01-01",
        ]
    )
    assert code == 2
    today = Settings.from_env(env={}).max_date.isoformat()
    assert capsys.readouterr().err.splitlines() == [
        f"cartera: --as-of 2099-01-01 is after today ({today}): a report can only look at dates that have happened"
    ]
    assert list(tmp_path.iterdir()) == [tmp_path / "landing"]


def test_as_of_var_after_today_is_refused_too():
    with pytest.raises(SettingsError, match=r"^var as_of 2026-11-25 is after today \(2026-11-24\)"):
        Settings.from_env(env={"CARTERA_MAX_DATE": "2026-11-24", "CARTERA_VARS": '{"as_of": "2026-11-25"}'})
    assert Settings.from_env(env={"CARTERA_MAX_DATE": "2026-11-24", "CARTERA_AS_OF": "2026-11-24"}).as_of.day == 24


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_missing_landing_folder_is_one_line_naming_it_and_nothing_runs(tmp_path, capsys, kind):
    landing = tmp_path / "landig"  # a typo
    if kind == "file":
        landing.write_text("not a folder")
    warehouse = tmp_path / "w" / "cartera.duckdb"
    code = main(["run", "--landing", str(landing), "--warehouse", str(warehouse), "--reports", str(tmp_path / "r")])
    assert code == 2
    what = "does not exist" if kind == "missing" else "is not a folder"
    assert capsys.readouterr().err.splitlines() == [
        f"cartera: landing folder {landing} {what} (check --landing or CARTERA_LANDING)"
    ]
    assert not (tmp_path / "w").exists() and not (tmp_path / "r").exists()


def test_missing_landing_folder_with_json_prints_a_refused_summary(tmp_path, capsys):
    code = main(["run", "--json", "--landing", str(tmp_path / "nope"), "--warehouse", str(tmp_path / "w.duckdb")])
    assert code == 2
    import json

    summary = json.loads(capsys.readouterr().out)
    assert summary == {
        "status": "refused",
        "exit_code": 2,
        "errors": [f"landing folder {tmp_path / 'nope'} does not exist (check --landing or CARTERA_LANDING)"],
    }


def test_bad_var_is_one_line_and_exit_2(tmp_path, capsys):
    (tmp_path / "landing").mkdir()
    code = main(["run", "--landing", str(tmp_path / "landing"), "--vars", '{"active_window_days": -5}'])
    assert code == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("cartera: var active_window_days must be")
