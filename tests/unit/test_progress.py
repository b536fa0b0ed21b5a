"""Progress of a run, from a real (tiny) Dagster run's events: plain lines when not on a terminal, a line that
updates in place on a terminal; rows read/loaded/rejected of an ingestion step in its line."""

import io
import re

from dagster import DagsterInstance, Definitions, MaterializeResult, asset, define_asset_job
from dagster._core.utils import make_new_run_id

from dagster_project.console.progress import Progress


@asset
def raw_things() -> MaterializeResult:
    return MaterializeResult(
        metadata={"rows_read": 1200, "rows_loaded": 1197, "rows_rejected": 3, "files_new_or_changed": 1}
    )


@asset(deps=[raw_things])
def published_warehouse() -> MaterializeResult:
    return MaterializeResult(metadata={"row_counts": {"marts.a": 1, "marts.b": 2}})


class Terminal(io.StringIO):
    def isatty(self):
        return True


def run_with(progress: Progress) -> None:
    with DagsterInstance.ephemeral() as instance:
        run_id = make_new_run_id()
        instance.add_event_listener(run_id, progress)
        with progress:
            job = Definitions(assets=[raw_things, published_warehouse], jobs=[define_asset_job("j")]).resolve_job_def(
                "j"
            )
            assert job.execute_in_process(instance=instance, run_id=run_id).success


def test_plain_lines_when_not_on_a_terminal():
    out = io.StringIO()
    progress = Progress(out)
    run_with(progress)
    lines = out.getvalue().splitlines()
    assert "\r" not in out.getvalue() and "\033" not in out.getvalue()
    assert len(lines) == 2
    assert re.fullmatch(r"  raw_things +1,200 read, 1,197 loaded, 3 rejected +\d+\.\ds", lines[0])
    assert re.fullmatch(r"  published_warehouse +2 tables published +\d+\.\ds", lines[1])
    assert [s["step"] for s in progress.step_list()] == ["raw_things", "published_warehouse"]
    assert all(s["status"] == "ok" for s in progress.step_list())


def test_on_a_terminal_the_running_step_updates_in_place():
    out = Terminal()
    run_with(Progress(out))
    text = out.getvalue()
    assert "\r\033[K  ▸ raw_things … " in text  # the running step
    assert re.search(r"\r\033\[K  raw_things +1,200 read, 1,197 loaded, 3 rejected +\d+\.\ds\n", text)
    assert text.endswith("\r\033[K")  # the live line is cleared at the end


def test_no_output_when_quiet():
    progress = Progress(None)
    run_with(progress)
    assert len(progress.step_list()) == 2
