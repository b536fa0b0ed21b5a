"""run_until_stopped (what `cartera ui` runs dagster dev with): a stop signal reaches every descendant, also
one that started a session of its own, and nothing survives."""

import signal
import subprocess
import sys
import time

import pytest

from dagster_project.console.children import _alive, descendants

# A child tree like dagster dev's: a shell with a sleeping child, and a grandchild in a session of its own.
SCRIPT = """
import sys
from pathlib import Path
from dagster_project.console.children import run_until_stopped
tree = "sleep 300 & setsid sleep 301 & wait"
sys.exit(run_until_stopped(["sh", "-c", tree], env={"PATH": "/usr/bin:/bin"}, cwd=Path("/"), grace_s=5))
"""


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_stop_signal_stops_every_descendant(stop_signal):
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT])
    try:
        deadline = time.monotonic() + 30
        while len(descendants(proc.pid)) < 3 and time.monotonic() < deadline:  # sh, sleep, setsid'd sleep
            time.sleep(0.1)
        tree = descendants(proc.pid)
        assert len(tree) >= 3
        proc.send_signal(stop_signal)
        assert proc.wait(timeout=30) == 128 + stop_signal
        deadline = time.monotonic() + 5
        while any(_alive(p) for p in tree) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [p for p in tree if _alive(p)] == []
    finally:
        proc.kill()
        proc.wait()
