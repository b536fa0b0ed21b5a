"""`cartera ui` stops everything it started (dagster dev, the webserver, the daemon, code servers) when it is
stopped: a real `cartera ui` process, polled until the webserver answers on 127.0.0.1, then stopped."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dagster_project.console.children import _alive, descendants

STARTUP_TIMEOUT_S = 240


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_webserver(port: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        assert proc.poll() is None, "cartera ui exited before the webserver came up"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"the webserver did not answer on 127.0.0.1:{port} within {STARTUP_TIMEOUT_S}s")


def test_stopping_cartera_ui_stops_every_child(tmp_path):
    stop_signal = signal.SIGTERM  # SIGINT (Ctrl-C) takes the same path: tests/unit/test_children.py
    port = free_port()
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dagster_home")}
    cartera = Path(sys.executable).with_name("cartera")
    proc = subprocess.Popen(
        [
            str(cartera),
            "ui",
            "--port",
            str(port),
            "--landing",
            str(tmp_path / "landing"),
            "--warehouse",
            str(tmp_path / "w" / "cartera.duckdb"),
            "--reports",
            str(tmp_path / "r"),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_webserver(port, proc)
        children = descendants(proc.pid)
        assert len(children) >= 2  # dagster dev and at least the webserver
        proc.send_signal(stop_signal)
        assert proc.wait(timeout=60) == 128 + stop_signal
        deadline = time.monotonic() + 10  # the kernel reaps orphans asynchronously
        while time.monotonic() < deadline and any(_alive(p) for p in children):
            time.sleep(0.2)
        assert [p for p in children if _alive(p)] == []
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2)
    finally:
        for p in [proc.pid, *descendants(proc.pid)]:
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.wait()
