"""`cartera serve` as a service runs it: the webserver and the daemon with the project's dagster.yaml in a
DAGSTER_HOME of its own. The test triggers the nightly job through the webserver's GraphQL API; the run is
queued, the daemon starts it, it succeeds, and stopping the service leaves no process behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from tests.conftest import FIXTURE_MAX_DATE

from .portfolio import write_portfolio

pytestmark = pytest.mark.slow

LAUNCH = """mutation($params: ExecutionParams!) { launchRun(executionParams: $params) {
  __typename ... on LaunchRunSuccess { run { runId status } } ... on PythonError { message }
  ... on RunConfigValidationInvalid { errors { message } } ... on InvalidSubsetError { message } } }"""
RUN = """query($id: ID!) { runOrError(runId: $id) { __typename ... on Run { status tags { key value } } } }"""
SCHEDULE = """query { schedulesOrError(repositorySelector: {repositoryLocationName: "cartera",
  repositoryName: "__repository__"}) { ... on Schedules { results { name cronSchedule executionTimezone } } } }"""


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def graphql(port: int, query: str, variables: dict | None = None, timeout: float = 30) -> dict:
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())["data"]


def poll(what: str, check, timeout: float, every: float = 1.0):
    """Call `check` until it returns something truthy (errors count as not yet); fail after `timeout`."""
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        try:
            if value := check():
                return value
        except Exception as error:  # noqa: BLE001 - not up yet
            last = error
        time.sleep(every)
    pytest.fail(f"timed out waiting for {what} (last error: {last})")


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    root = tmp_path_factory.mktemp("service")
    port = free_port()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(root / "dagster_home"),
        "CARTERA_LANDING": str(write_portfolio(root / "landing")),
        "CARTERA_WAREHOUSE": str(root / "warehouse" / "cartera.duckdb"),
        "CARTERA_REPORTS": str(root / "reports"),
        "CARTERA_MAX_DATE": FIXTURE_MAX_DATE.isoformat(),
        "CARTERA_LANG": "es",
    }
    log = open(root / "serve.log", "w")
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("cartera")), "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        poll(
            "the webserver to load the cartera code location", lambda: graphql(port, SCHEDULE)["schedulesOrError"], 240
        )
        yield proc, port, root
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()


@pytest.fixture(scope="module")
def nightly_run(service):
    proc, port, _ = service
    params = {
        "selector": {
            "repositoryLocationName": "cartera",
            "repositoryName": "__repository__",
            "jobName": "nightly_refresh",
        },
        "runConfigData": {},
    }
    launched = graphql(port, LAUNCH, {"params": params})["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run_id = launched["run"]["runId"]

    def finished():
        run = graphql(port, RUN, {"id": run_id})["runOrError"]
        return run if run["status"] in ("SUCCESS", "FAILURE", "CANCELED") else None

    return launched["run"], poll("the nightly run to finish", finished, 600, every=2)


def test_service_binds_the_webserver_to_loopback(service):
    proc, port, _ = service
    listening = [
        c.laddr
        for p in [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
        for c in p.net_connections(kind="inet")
        if c.status == psutil.CONN_LISTEN and c.laddr.port == port
    ]
    assert listening and all(addr.ip == "127.0.0.1" for addr in listening)


def test_schedules_run_on_madrid_time(service):
    _, port, _ = service
    schedules = graphql(port, SCHEDULE)["schedulesOrError"]["results"]
    assert {(s["name"], s["cronSchedule"], s["executionTimezone"]) for s in schedules} == {
        ("nightly_refresh_0200", "0 2 * * *", "Europe/Madrid"),
        ("weekly_report_monday_0700", "0 7 * * 1", "Europe/Madrid"),
    }


def test_nightly_job_triggered_through_graphql_is_queued_and_succeeds(nightly_run, service):
    launched, finished = nightly_run
    assert launched["status"] == "QUEUED"  # the run queue (dagster.yaml) takes it; the daemon starts it
    assert finished["status"] == "SUCCESS"
    assert {"key": "cartera/warehouse", "value": "write"} in finished["tags"]
    _, _, root = service
    import duckdb

    con = duckdb.connect(str(root / "warehouse" / "cartera.duckdb"), read_only=True)
    try:
        assert con.execute("select count(*) from marts.customer_status").fetchone()[0] == 8  # portfolio.py
    finally:
        con.close()


def test_the_service_home_has_the_projects_dagster_yaml(service):
    _, _, root = service
    config = (root / "dagster_home" / "dagster.yaml").read_text()
    assert "telemetry:\n  enabled: false" in config and 'key: "cartera/warehouse"' in config


def test_stopping_the_service_stops_everything_it_started(service, nightly_run):
    proc, port, _ = service
    family = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
    assert len(family) >= 3  # cartera serve, the webserver, the daemon (and their code servers)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 0
    gone, alive = psutil.wait_procs(family, timeout=30)
    assert [p.pid for p in alive] == []
    with pytest.raises(OSError):
        graphql(port, "{ version }", timeout=5)
