"""Run a server (dagster dev and what it starts) as children that stop when `cartera ui` stops.

The child gets a process group of its own; SIGINT, SIGTERM and SIGHUP sent to cartera are passed to that
group and to every descendant found at that moment (a descendant that made a session of its own is reached
too), and whatever still runs after a grace period is killed. Nothing keeps serving after cartera is gone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (Linux /proc; an empty list where there is no /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _signal_all(pgid: int, pids: list[int], sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass
    for pid in pids:
        try:
            os.kill(pid, sig)
        except (ProcessLookupError, PermissionError):
            pass


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except OSError:
        return False


def run_until_stopped(cmd: list[str], *, env: dict, cwd: Path, grace_s: float = 15.0) -> int:
    """Run `cmd`; on a stop signal, stop it and all its descendants. Returns its exit code (128 + the signal
    number when cartera was stopped by a signal)."""
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, start_new_session=True)
    received: list[int] = []

    def on_signal(signum, _frame):
        received.append(signum)

    previous = {s: signal.signal(s, on_signal) for s in STOP_SIGNALS}
    try:
        while proc.poll() is None and not received:
            time.sleep(0.2)
        if not received:
            return proc.returncode
        family = descendants(proc.pid)
        _signal_all(proc.pid, [proc.pid, *family], signal.SIGTERM)
        deadline = time.monotonic() + grace_s
        while time.monotonic() < deadline and (proc.poll() is None or any(_alive(p) for p in family)):
            family = list(dict.fromkeys(family + descendants(proc.pid)))
            time.sleep(0.2)
        survivors = [p for p in family if _alive(p)]
        if proc.poll() is None or survivors:
            _signal_all(proc.pid, [proc.pid, *survivors], signal.SIGKILL)
        proc.wait()
        return 128 + received[0]
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
