"""`cartera run` as a user runs it (main(), the real pipeline): progress per step, the summary with what was
loaded and rejected per source, --json, a run with no new files, a stale as_of, and the report's trust parts
(data dates, stale warning, data quality, the value model that could not run, what changed)."""

import contextlib
import io
import json
import os
import re

import pytest

from dagster_project.cli import main
from tests.conftest import FIXTURE_MAX_DATE

from .portfolio import write_portfolio

STALE_AS_OF = "2026-08-01"  # 32 days after the latest order (2026-06-30): more than the default 30


def run_main(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    landing = write_portfolio(root / "landing")
    common = [
        "--lang",
        "en",
        "--landing",
        str(landing),
        "--warehouse",
        str(root / "w" / "cartera.duckdb"),
        "--reports",
        str(root / "r"),
    ]
    saved = {k: os.environ.get(k) for k in ("DAGSTER_HOME", "CARTERA_MAX_DATE")}
    os.environ["DAGSTER_HOME"] = str(root / "dagster_home")
    os.environ["CARTERA_MAX_DATE"] = FIXTURE_MAX_DATE.isoformat()
    old_umask = os.umask(0o002)  # a group-shared reports folder
    try:
        first = run_main(["run", *common])
        second = run_main(["run", *common, "--as-of", STALE_AS_OF, "--json"])
    finally:
        os.umask(old_umask)
        for k, v in saved.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
    return {"root": root, "landing": landing, "first": first, "second": second}


def test_first_run_succeeds_and_prints_no_stack_trace(cli):
    code, out, err = cli["first"]
    assert code == 0, err
    assert err == ""
    assert "Traceback" not in out and "Stack Trace" not in out


def test_progress_prints_one_plain_line_per_step_when_not_on_a_terminal(cli):
    out = cli["first"][1]
    assert "\r" not in out and "\033[" not in out
    raw_orders = [line for line in out.splitlines() if line.strip().startswith("raw_orders ")]
    # orders.csv 9 rows (7 loaded, 2 quarantined) + the Latin-1 file's 1 row.
    assert len(raw_orders) == 1 and re.fullmatch(
        r"  raw_orders +10 read, 8 loaded, 2 rejected +\d+\.\ds", raw_orders[0]
    )
    assert re.search(r"^  dbt_models +\d+ models, \d+ checks passed +\d+\.\ds$", out, re.M)
    assert re.search(r"^  published_warehouse +\d+ tables published +\d+\.\ds$", out, re.M)


def test_summary_prints_loaded_and_rejected_per_source_with_the_top_reasons(cli):
    lines = cli["first"][1].splitlines()
    block = lines[lines.index("loaded this run:") + 1 :]
    assert block[:4] == [
        "  customers     6 read, 6 loaded, 0 rejected",
        "  orders        10 read, 8 loaded, 2 rejected: missing customer_id (1), unparseable amount (1)",
        "  prospects     2 read, 2 loaded, 0 rejected",
        f"cartera run finished in {block[3].split(' in ')[1]}",
    ]
    assert "  data:      as_of 2026-06-30, latest order 2026-06-30" in lines


def test_a_few_days_after_the_last_order_says_nothing_about_staleness(cli):
    assert "stale" not in cli["first"][1]
    html = (cli["root"] / "r" / "retention_report_2026-06-30.html").read_text()
    assert 'id="stale-data"' not in html


def test_report_states_the_data_last_date_and_the_day_it_was_made(cli):
    html = (cli["root"] / "r" / "retention_report_2026-06-30.html").read_text()
    from datetime import date

    from dagster_project.lib.report.formatting import format_date

    assert f"Data up to 30 Jun 2026 (latest order). Report made on {format_date(date.today(), 'en')}." in html


def test_report_has_a_data_quality_section(cli):
    html = (cli["root"] / "r" / "retention_report_2026-06-30.html").read_text()
    section = html[html.index('<section id="data-quality">') :]
    section = section[: section.index("</section>")]
    # orders: 2 files, 10 rows read, 8 loaded, 2 rejected.
    assert (
        '<tr><td>orders</td><td class="num">2</td><td class="num">10</td><td class="num">8</td>'
        '<td class="num">2</td><td>missing customer_id (1); unparseable amount (1)</td></tr>'
    ) in section
    assert "<tr><td>customers</td>" in section and "Files refused whole" not in section


def test_report_says_the_value_model_could_not_run_and_why(cli):
    html = (cli["root"] / "r" / "retention_report_2026-06-30.html").read_text()
    assert 'id="clv-not-fitted"' in html
    assert "The customer value model could not run this time: " in html
    assert "No valuable customer is at risk" not in html


def test_reports_get_the_process_umask_permissions_not_owner_only(cli):
    for name in ("latest.html", "retention_report_2026-06-30.html", "retention_report_2026-06-30.json"):
        assert (cli["root"] / "r" / name).stat().st_mode & 0o777 == 0o664, name


def test_json_summary_of_a_run_with_no_new_files(cli):
    code, out, err = cli["second"]
    assert code == 0, err
    summary = json.loads(out)
    assert summary["status"] == "succeeded" and summary["exit_code"] == 0
    assert summary["no_new_files"] is True
    assert summary["as_of"] == STALE_AS_OF and summary["data_last_order_date"] == "2026-06-30"
    assert summary["days_after_last_order"] == 32
    assert {s["source"] for s in summary["sources"]} == {
        "customers",
        "orders",
        "prospects",
        "actions",
        "interactions",
        "order_lines",
        "products",
        "surveys",
    }
    assert all(s["files_new_or_changed"] == 0 for s in summary["sources"])
    steps = {s["step"]: s for s in summary["steps"]}
    assert steps["raw_orders"]["status"] == "ok" and steps["raw_orders"]["what"] == "no new files (8 rows)"


def test_stale_as_of_warns_in_the_summary_and_in_the_report(cli):
    summary = json.loads(cli["second"][1])
    assert (
        "as_of 2026-08-01 is 32 days after the latest order (2026-06-30; more than 30): the export may be stale"
        in summary["warnings"]
    )
    html = (cli["root"] / "r" / f"retention_report_{STALE_AS_OF}.html").read_text()
    assert 'id="stale-data"' in html and "32 days after the latest order in the data (30 Jun 2026" in html


def test_what_changed_compares_with_the_report_of_an_earlier_date(cli):
    html = (cli["root"] / "r" / f"retention_report_{STALE_AS_OF}.html").read_text()
    assert "Compared with the report of 30 Jun 2026." in html
    assert "This is the first report" not in html


def test_nightly_schedule_skips_when_no_export_changed_and_runs_when_one_arrives(cli):
    from dagster import DagsterInstance, RunRequest, SkipReason, build_schedule_context

    from dagster_project.defs.reporting.schedules import build_nightly_schedule
    from dagster_project.settings import Settings

    root = cli["root"]
    settings = Settings.from_env(
        env={}, landing=cli["landing"], warehouse=root / "w" / "cartera.duckdb", reports=root / "r"
    )
    schedule = build_nightly_schedule(settings)
    with DagsterInstance.from_config(str(root / "dagster_home")) as instance:
        result = schedule(build_schedule_context(instance=instance))
        assert isinstance(result, SkipReason)
        assert result.skip_message == f"no new or changed exports in {cli['landing']} since the last successful run"
        elsewhere = Settings.from_env(env={}, landing=cli["landing"], warehouse=root / "other.duckdb")
        assert isinstance(build_nightly_schedule(elsewhere)(build_schedule_context(instance=instance)), RunRequest)
        (cli["landing"] / "orders_2026-07-01.csv").write_text("customer_id,order_date,amount\nC001,2026-07-01,5\n")
        try:
            assert isinstance(schedule(build_schedule_context(instance=instance)), RunRequest)
        finally:
            (cli["landing"] / "orders_2026-07-01.csv").unlink()
