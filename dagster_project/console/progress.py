"""Progress of `cartera run`, one step at a time: which step, its rows, how long it took.

On a terminal the running step is shown on a line that updates in place (with the elapsed time) and is
replaced by the step's final line when it ends; elsewhere (a log file, a pipe, cron) only the final lines
are printed, one per step, as plain text. The listener also keeps every event it saw for the summary.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import TextIO

TICK_S = 0.5


@dataclass
class StepInfo:
    key: str
    started: float
    status: str = "running"  # running | ok | failed | skipped
    seconds: float | None = None
    materialized: list[tuple[str, dict]] = field(default_factory=list)  # (asset key, metadata values)
    checks: list[tuple[str, bool]] = field(default_factory=list)  # (check name, passed)


def _metadata_values(materialization) -> dict:
    out = {}
    for key, value in (materialization.metadata or {}).items():
        out[key] = getattr(value, "value", value)
    return out


def _n(value) -> str:
    return f"{int(value):,}"


def describe_step(step: StepInfo) -> str:
    """What a finished step did, in a few words: rows read/loaded/rejected for an ingestion step, models and
    tests for dbt, customers scored, tables published, the report written."""
    if step.status == "failed":
        return "FAILED"
    metas = [m for _key, m in step.materialized]
    meta = next((m for m in metas if {"rows_read", "customers_scored", "fitted", "row_counts", "latest"} & set(m)), {})
    if "rows_read" in meta:
        new = meta.get("files_new_or_changed", 0)
        if not new:
            return (
                "no file" if not meta.get("files_unchanged") else f"no new files ({_n(meta.get('table_rows', 0))} rows)"
            )
        return f"{_n(meta['rows_read'])} read, {_n(meta['rows_loaded'])} loaded, {_n(meta['rows_rejected'])} rejected"
    if "customers_scored" in meta:
        return f"{_n(meta['customers_scored'])} customers scored"
    if meta.get("fitted") is False:
        return "model not fitted"
    if "row_counts" in meta:
        return f"{len(meta['row_counts'])} tables published"
    if "latest" in meta:
        return "report written"
    parts = []
    if len(step.materialized) > 1:
        parts.append(f"{len(step.materialized)} models")
    if step.checks:
        failed = sum(not ok for _name, ok in step.checks)
        word = "check" if len(step.checks) == 1 else "checks"
        parts.append(f"{len(step.checks)} {word} " + (f"({failed} failed)" if failed else "passed"))
    return ", ".join(parts) or "done"


class Progress:
    """A Dagster event listener (instance.add_event_listener) printing per-step progress to `out`."""

    def __init__(self, out: TextIO | None, *, live: bool | None = None):
        self.out = out
        self.live = bool(out is not None and (out.isatty() if live is None else live))
        self.steps: dict[str, StepInfo] = {}
        self.events: list = []
        self._lock = threading.Lock()
        self._current: str | None = None
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    # -- the listener ------------------------------------------------------------------------------------
    def __call__(self, entry) -> None:
        event = entry.dagster_event
        if event is None:
            return
        with self._lock:
            self.events.append(event)
            kind, key = event.event_type_value, event.step_key
            if kind == "STEP_START":
                self.steps[key] = StepInfo(key, time.monotonic())
                self._current = key
                self._draw_running()
            elif kind == "ASSET_MATERIALIZATION" and key in self.steps:
                m = event.event_specific_data.materialization
                self.steps[key].materialized.append((m.asset_key.to_user_string(), _metadata_values(m)))
                self._draw_running()
            elif kind == "ASSET_CHECK_EVALUATION" and key in self.steps:
                ev = event.event_specific_data
                self.steps[key].checks.append((ev.check_name, ev.passed))
            elif kind in ("STEP_SUCCESS", "STEP_FAILURE") and key in self.steps:
                step = self.steps[key]
                step.status = "ok" if kind == "STEP_SUCCESS" else "failed"
                step.seconds = time.monotonic() - step.started
                self._current = None
                self._print(self.final_line(step))

    # -- drawing -------------------------------------------------------------------------------------------
    @staticmethod
    def final_line(step: StepInfo) -> str:
        return f"  {step.key:<34} {describe_step(step):<46} {step.seconds or 0:6.1f}s"

    def _print(self, line: str) -> None:
        if self.out is None:
            return
        self.out.write(("\r\033[K" if self.live else "") + line + "\n")
        self.out.flush()

    def _draw_running(self) -> None:
        if not self.live or self._current is None:
            return
        step = self.steps[self._current]
        done = f" ({len(step.materialized)} done)" if len(step.materialized) > 1 else ""
        self.out.write(f"\r\033[K  ▸ {step.key}{done} … {time.monotonic() - step.started:.0f}s")
        self.out.flush()

    def _tick(self) -> None:
        while not self._stop.wait(TICK_S):
            with self._lock:
                self._draw_running()

    def __enter__(self) -> Progress:
        if self.live:
            self._ticker = threading.Thread(target=self._tick, daemon=True)
            self._ticker.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._ticker:
            self._ticker.join()
        if self.live:
            self.out.write("\r\033[K")
            self.out.flush()

    def step_list(self) -> list[dict]:
        return [
            {"step": s.key, "status": s.status, "seconds": round(s.seconds or 0.0, 2), "what": describe_step(s)}
            for s in self.steps.values()
        ]
