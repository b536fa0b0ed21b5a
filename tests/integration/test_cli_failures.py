"""A failure on bad input reads in one line per cause, naming the file or the check, exit 1; no Dagster or dbt
stack trace unless --verbose. The real CLI (main()) on real landing folders."""

import contextlib
import io
import re

import pytest

from dagster_project.cli import main
from tests.conftest import FIXTURE_MAX_DATE, write

from .portfolio import write_portfolio

LAST_LINE = re.compile(
    r"cartera run failed after \d+\.\ds \(run [0-9a-f-]{36}\): the published warehouse and the latest report were "
    r"left as they were \(log: .*last_run\.log; --verbose shows everything\)"
)


@pytest.fixture
def cartera(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    monkeypatch.setenv("CARTERA_MAX_DATE", FIXTURE_MAX_DATE.isoformat())

    def run(landing, *extra):
        out, err = io.StringIO(), io.StringIO()
        argv = ["run", "--lang", "en", "--landing", str(landing), "--warehouse", str(tmp_path / "w" / "cartera.duckdb")]
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([*argv, "--reports", str(tmp_path / "r"), *extra])
        return code, out.getvalue(), err.getvalue()

    return run


def test_refused_required_file_is_one_line_naming_the_file(tmp_path, cartera):
    landing = tmp_path / "landing"
    write(landing / "orders.csv", "customer_id,order_date\nC1,2026-01-01\n")
    code, out, err = cartera(landing)
    assert code == 1
    lines = err.splitlines()
    assert lines[:-1] == [
        f"cartera: no usable orders export in {landing}: expected orders.csv (or orders_<anything>.csv / .parquet) "
        "with columns customer_id, order_date, amount. orders.csv: missing required column(s) amount "
        "(found: customer_id, order_date)"
    ]
    assert LAST_LINE.fullmatch(lines[-1]), lines[-1]
    assert "  refused orders.csv: missing required column(s) amount (found: customer_id, order_date)" in out
    assert "Traceback" not in out + err and "Stack Trace" not in out + err
    assert not (tmp_path / "w" / "cartera.duckdb").exists() and not (tmp_path / "r").exists()


def test_failed_blocking_check_is_one_line_naming_the_check(tmp_path, cartera):
    landing = write_portfolio(tmp_path / "landing")
    write(landing / "orders_2026-06-21.csv", "order_id,customer_id,order_date,amount\nX1,C001,2026-06-20,2000000.00\n")
    code, out, err = cartera(landing)
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 2, err
    assert lines[0].startswith("cartera: check raw_orders:gx_raw_orders failed (blocking): ")
    assert "expect_column_values_to_be_between(amount)" in lines[0]
    assert LAST_LINE.fullmatch(lines[1]), lines[1]
    assert "Traceback" not in out + err and "Stack Trace" not in out + err


def test_verbose_shows_dagster_log_on_failure(tmp_path, cartera):
    landing = tmp_path / "landing"
    write(landing / "orders.csv", "customer_id,order_date\nC1,2026-01-01\n")
    code, out, err = cartera(landing, "--verbose")
    assert code == 1
    assert "STEP_FAILURE" in out + err  # Dagster's own log, with its detail
    assert err.splitlines()[-1].startswith("cartera run failed after ")


def test_quiet_prints_only_the_causes(tmp_path, cartera):
    landing = tmp_path / "landing"
    write(landing / "orders.csv", "customer_id,order_date\nC1,2026-01-01\n")
    code, out, err = cartera(landing, "--quiet")
    assert code == 1 and out == ""
    assert err.splitlines()[0] == (
        "cartera: warning: refused orders.csv: missing required column(s) amount (found: customer_id, order_date)"
    )
    assert err.splitlines()[1].startswith("cartera: no usable orders export in ")


def test_a_dbt_error_reads_as_one_line_naming_the_model_and_the_var(tmp_path):
    """A var the CLI would refuse, forced past it (as a hand-edited CARTERA_VARS in an old UI process could):
    dbt's own error, in one line, instead of Dagster's and dbt's stack traces."""
    from dagster import DagsterInstance

    from dagster_project.cli import run_pipeline
    from dagster_project.console.causes import failure_causes
    from dagster_project.settings import Settings

    settings = Settings(
        landing=write_portfolio(tmp_path / "landing"),
        warehouse=tmp_path / "w" / "cartera.duckdb",
        reports=tmp_path / "r",
        dbt_vars={"pareto_share": 1.5},
        max_date=FIXTURE_MAX_DATE,
    )
    with DagsterInstance.ephemeral() as instance:
        result = run_pipeline(settings, instance=instance)
    assert not result.success
    causes = failure_causes(result.all_events)
    assert len(causes) == 1, causes
    assert re.fullmatch(r"dbt: Compilation Error in model \w+: .*pareto_share.*1\.5.*", causes[0]), causes[0]
