"""A Spark standalone cluster on 127.0.0.1 for the tests: a master and one worker, started with Spark's own
launcher classes (pyspark's bin/spark-class) and stopped afterwards, so dbt's queries run in executor
processes the worker starts, not in the driver."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyspark

SPARK_HOME = Path(pyspark.__file__).resolve().parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    master_url: str
    work_dir: Path  # the worker's: one folder per application, one per executor, with its stdout/stderr
    logs: Path

    def executor_logs(self) -> list[Path]:
        return sorted(self.work_dir.glob("app-*/*/stderr"))


def _start(args: list[str], log: Path, env: dict) -> subprocess.Popen:
    fh = log.open("w")
    return subprocess.Popen(
        [str(SPARK_HOME / "bin" / "spark-class"), *args],
        stdout=fh,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,  # its own process group: stopped with everything it started
    )


def _wait_for(log: Path, text: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in log.read_text(errors="replace"):
            return
        if proc.poll() is not None:
            raise RuntimeError(f"{log.name} exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        time.sleep(0.5)
    raise TimeoutError(f"{log.name} did not say {text!r} within {timeout:.0f}s:\n{log.read_text()[-3000:]}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@contextmanager
def standalone_cluster(root: Path, cores: int = 2, memory: str = "1g"):
    """Master and worker bound to 127.0.0.1 (web UIs off-limits: on free loopback ports), yielded as a Cluster."""
    root.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "SPARK_HOME": str(SPARK_HOME),
        "SPARK_LOCAL_IP": HOST,
        "SPARK_LOG_DIR": str(root / "logs"),
        "SPARK_WORKER_DIR": str(root / "work"),
    }
    port = free_port()
    master_log, worker_log = root / "master.log", root / "worker.log"
    master = _start(
        [
            "org.apache.spark.deploy.master.Master",
            "--host",
            HOST,
            "--port",
            str(port),
            "--webui-port",
            str(free_port()),
        ],
        master_log,
        env,
    )
    worker = None
    try:
        _wait_for(master_log, "I have been elected leader", master)
        url = f"spark://{HOST}:{port}"
        worker = _start(
            [
                "org.apache.spark.deploy.worker.Worker",
                url,
                "--host",
                HOST,
                "--cores",
                str(cores),
                "--memory",
                memory,
                "--work-dir",
                str(root / "work"),
                "--webui-port",
                str(free_port()),
            ],
            worker_log,
            env,
        )
        _wait_for(worker_log, "Successfully registered with master", worker)
        yield Cluster(master_url=url, work_dir=root / "work", logs=root)
    finally:
        if worker is not None:
            _stop(worker)
        _stop(master)
