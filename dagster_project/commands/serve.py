"""`cartera serve`: the Dagster webserver and daemon together, as a service runs them (systemd, `make serve`).

Schedules and the landing sensor only fire while the daemon runs. Both processes get the project's
dagster.yaml in a persistent DAGSTER_HOME (data/dagster_home unless DAGSTER_HOME says otherwise): run queue
with one warehouse writer at a time, telemetry off. SIGTERM or Ctrl-C stops both (and their runs' process
groups); if either dies, the other is stopped and the command exits non-zero, so a supervisor restarts them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from ..settings import REPO_ROOT, Settings

DEFAULT_HOME = REPO_ROOT / "data" / "dagster_home"
CONFIG = REPO_ROOT / "dagster_project" / "dagster.yaml"


def register(sub, common) -> None:
    p = sub.add_parser("serve", help="Dagster webserver + daemon, as a service (schedules and sensor fire)")
    common(p)
    p.add_argument("--host", default="127.0.0.1", help="address the webserver binds (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=3000)
    p.set_defaults(func=cmd_serve)


def service_home(env=os.environ) -> Path:
    """DAGSTER_HOME (default data/dagster_home) with the project's dagster.yaml in it (kept in step with it)."""
    home = Path(env.get("DAGSTER_HOME") or DEFAULT_HOME).absolute()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists() or config.read_text() != CONFIG.read_text():
        config.write_text(CONFIG.read_text())
    _create_storage(home)
    return home


def _create_storage(home: Path) -> None:
    """Create (or migrate) the run and schedule storage once, here: the webserver, the daemon and their code
    servers would otherwise all create a fresh SQLite storage at once and stamp it twice."""
    from dagster import DagsterInstance

    instance = DagsterInstance.from_config(str(home))
    try:
        instance.get_runs(limit=1)
        instance.all_instigator_state()
    finally:
        instance.dispose()


def service_env(settings: Settings, home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "CARTERA_LANDING": str(settings.landing),
        "CARTERA_WAREHOUSE": str(settings.warehouse),
        "CARTERA_REPORTS": str(settings.reports),
        "CARTERA_LANG": settings.lang,
        "CARTERA_TIMEZONE": settings.timezone,
        "DAGSTER_DISABLE_TELEMETRY": "1",
    }


def _stop(procs: list[subprocess.Popen], grace: float = 20.0) -> None:
    """SIGTERM to each child's process group (the child and what it started), then SIGKILL after `grace`."""
    for proc in procs:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + grace
    for proc in procs:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()


def cmd_serve(args) -> int:
    from ..cli import _settings
    from ..project import prepare_manifest

    settings = _settings(args)
    prepare_manifest()
    home = service_home()
    env = service_env(settings, home)
    bin_dir = Path(sys.executable).parent
    workspace = str(REPO_ROOT / "workspace.yaml")
    commands = [
        [str(bin_dir / "dagster-webserver"), "-h", args.host, "-p", str(args.port), "-w", workspace],
        [str(bin_dir / "dagster-daemon"), "run", "-w", workspace],
    ]
    print(f"cartera serve: webserver on http://{args.host}:{args.port}, daemon on; DAGSTER_HOME={home}", flush=True)
    procs = [subprocess.Popen(cmd, env=env, cwd=REPO_ROOT, start_new_session=True) for cmd in commands]
    stopping = False

    def on_signal(signum, _frame):
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        while not stopping and all(p.poll() is None for p in procs):
            time.sleep(0.5)
    finally:
        _stop(procs)
        for s, handler in previous.items():
            signal.signal(s, handler)
    if stopping:
        return 0
    dead = [c[0].rsplit("/", 1)[-1] for c, p in zip(commands, procs, strict=True) if p.returncode not in (0, None)]
    print(f"cartera serve: {', '.join(dead) or 'a process'} stopped; stopped the rest", file=sys.stderr)
    return 1
