"""The run history as `cartera run` writes it (dagster_project/run_history.py): every event committed as it
happens (another reader sees the run while it runs), the SQLite files closed with the instance, and no more
than KEEP_OPEN of them open at once."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from dagster import DagsterInstance, job, op

from dagster_project import run_history

RUN_IDS = [f"00000000-0000-0000-0000-{i:012d}" for i in range(run_history.KEEP_OPEN + 3)]


def _rows(db: Path) -> int:
    """Event rows another connection (as the UI's process would) sees in a run's history file."""
    with sqlite3.connect(db) as other:
        return other.execute("SELECT count(*) FROM event_logs").fetchone()[0]


def _open_history_files() -> list[str]:
    fds = Path("/proc/self/fd")
    names = []
    for fd in fds.iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.endswith(".db"):
            names.append(target)
    return names


def test_events_are_committed_as_they_happen_and_the_files_closed(tmp_path, monkeypatch):
    run_history.tune_run_history()
    home = tmp_path / "home"
    home.mkdir()
    seen_mid_run: dict[str, int] = {}

    @op
    def look(context):
        # the run's start and this step's start are stored and committed before the step's body runs
        seen_mid_run[context.run_id] = _rows(home / "history" / "runs" / f"{context.run_id}.db")

    @job
    def tiny():
        look()

    with DagsterInstance.local_temp(str(home)) as instance:
        for run_id in RUN_IDS:
            assert tiny.execute_in_process(instance=instance, run_id=run_id).success
            engines = instance.event_log_storage.__dict__["_cartera_engines"]
            assert len(engines) <= run_history.KEEP_OPEN  # older runs' files closed, the index kept
            assert "index" in engines
        stored = {run_id: len(instance.all_logs(run_id)) for run_id in RUN_IDS}
        assert _open_history_files()
    assert not _open_history_files()  # all closed with the instance

    for run_id in RUN_IDS:
        assert seen_mid_run[run_id] >= 3  # at least: run starting, run started, step started
        assert _rows(home / "history" / "runs" / f"{run_id}.db") == stored[run_id] > seen_mid_run[run_id]
