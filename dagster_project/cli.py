"""`cartera`: run the pipeline, generate sample data, query the warehouse, open the UI."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import subprocess
import sys
import time
from pathlib import Path

from .settings import REPO_ROOT, Settings, SettingsError, parse_date, parse_vars_json

# Further subcommands, one module each in dagster_project/commands/: `register(sub, common)` adds the
# subparser (calling `common(p)` for --landing/--warehouse/--reports) and sets `func`. Keep imports inside
# the command functions so `cartera --help` stays fast.
COMMAND_MODULES: tuple[str, ...] = ("export", "check", "serve", "docs")


def _settings(args) -> Settings:
    return Settings.from_env(
        landing=Path(args.landing) if getattr(args, "landing", None) else None,
        warehouse=Path(args.warehouse) if getattr(args, "warehouse", None) else None,
        reports=Path(args.reports) if getattr(args, "reports", None) else None,
        as_of=parse_date(args.as_of, "--as-of") if getattr(args, "as_of", None) else None,
        dbt_vars=parse_vars_json(args.vars) if getattr(args, "vars", None) else None,
        lang=getattr(args, "lang", None),
    )


def _dagster_home() -> Path:
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(REPO_ROOT / ".dagster_home")))
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text((REPO_ROOT / "dagster_project" / "dagster.yaml").read_text())
    return home


QUIET_RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def run_pipeline(settings: Settings, job_name: str = "cartera_all", instance=None, run_config=None):
    """Materialize a job in this process; returns the Dagster result (raise_on_error=False)."""
    from dagster import DagsterInstance

    from .project import prepare_manifest

    prepare_manifest()  # before the definitions are imported: they read dbt's manifest
    from .definitions import build_definitions

    defs = build_definitions(settings)
    if instance is None:
        _dagster_home()
        instance = DagsterInstance.get()
    job = defs.resolve_job_def(job_name)
    return job.execute_in_process(instance=instance, raise_on_error=False, run_config=run_config)


def failures(result) -> list[str]:
    """Human-readable reasons a run failed: failed checks first, then failed steps."""
    out = []
    for e in result.all_events:
        if e.event_type_value == "ASSET_CHECK_EVALUATION":
            ev = e.event_specific_data
            if not ev.passed:
                desc = ev.description or ""
                out.append(
                    f"check {ev.asset_key.to_user_string()}:{ev.check_name} failed"
                    f"{' (blocking)' if ev.blocking else ''}{': ' + desc if desc else ''}"
                )
    for e in result.all_events:
        if e.event_type_value == "STEP_FAILURE":
            err = e.event_specific_data.error
            msg = (err.message or "").strip().splitlines()[0] if err else ""
            out.append(f"step {e.step_key} failed: {msg}")
    return out


def cmd_run(args) -> int:
    settings = _settings(args)
    from .lib.ingest.mapping import MappingError, load_mapping

    try:  # a mistake in the landing folder's cartera.yml stops here, in one line, before anything runs
        load_mapping(settings.landing)
    except MappingError as e:
        print(f"cartera run: {e}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    if args.verbose:
        result = run_pipeline(settings, job_name=args.job)
    else:  # dbt's own log goes to a file; Dagster says only warnings and errors
        log = settings.work_dir / "last_run.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        print(f"cartera run: {args.job} on {settings.landing} (dbt log: {log}; --verbose shows everything)")
        with open(log, "w") as out, contextlib.redirect_stdout(out):
            result = run_pipeline(settings, job_name=args.job, run_config=QUIET_RUN_CONFIG)
    took = time.perf_counter() - started
    if not result.success:
        print(
            f"cartera run FAILED after {took:.1f}s (run {result.run_id}). The published warehouse and the "
            "latest report were left as they were.",
            file=sys.stderr,
        )
        for line in failures(result):
            print(f"  - {line}", file=sys.stderr)
        return 1
    print(f"cartera run finished in {took:.1f}s (run {result.run_id})")
    print(f"  warehouse: {settings.warehouse}")
    report = settings.reports / "latest.html"
    if report.exists():
        print(f"  report:    {report}")
    for line in failures(result):  # a successful run can still have failed non-blocking checks
        print(f"  warning: {line}")
    return 0


def cmd_generate(args) -> int:
    from .lib.generate import generate_portfolio

    landing = _settings(args).landing
    if args.if_empty and landing.exists() and any(landing.iterdir()):
        print(f"landing folder {landing} already has exports; not generating")
        return 0
    counts = generate_portfolio(
        landing, customers=args.customers, years=args.years, seed=args.seed, orders_only=args.orders_only
    )
    print(f"wrote sample portfolio to {landing}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    return 0


def cmd_query(args) -> int:
    import duckdb

    path = _settings(args).warehouse
    if not path.exists():
        print(f"no published warehouse at {path}: run `cartera run` first", file=sys.stderr)
        return 2
    con = duckdb.connect(str(path), read_only=True)
    try:
        rel = con.sql(args.sql)
        if rel is None:
            return 0
        print(rel.df().to_string(index=False, max_rows=args.max_rows))
    except duckdb.InvalidInputException as e:
        if "read-only" in str(e).lower():
            print(f"cartera query is read-only; the warehouse is changed only by `cartera run`. ({e})", file=sys.stderr)
            return 2
        raise
    except duckdb.Error as e:
        print(f"query failed: {e}", file=sys.stderr)
        return 2
    finally:
        con.close()
    return 0


def cmd_ui(args) -> int:
    settings = _settings(args)
    from .project import prepare_manifest

    prepare_manifest()
    env = {
        **os.environ,
        "CARTERA_LANDING": str(settings.landing),
        "CARTERA_WAREHOUSE": str(settings.warehouse),
        "CARTERA_REPORTS": str(settings.reports),
        "CARTERA_LANG": settings.lang,
    }
    env["DAGSTER_HOME"] = str(_dagster_home())
    cmd = [
        str(Path(sys.executable).with_name("dagster")),
        "dev",
        "-w",
        str(REPO_ROOT / "workspace.yaml"),
        "-h",
        args.host,
        "-p",
        str(args.port),
    ]
    return subprocess.call(cmd, env=env, cwd=REPO_ROOT)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--landing", help="folder with the exports (default data/landing)")
    p.add_argument("--warehouse", help="published DuckDB file (default data/warehouse/cartera.duckdb)")
    p.add_argument("--reports", help="report folder (default data/reports)")
    p.add_argument("--lang", help="es or en: report, messages and xlsx headers (default CARTERA_LANG, else the locale)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="cartera", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("run", help="ingest, build, check, publish and report, in this process")
    _common(p)
    p.add_argument("--as-of", help="date the portfolio is looked at (YYYY-MM-DD; default: latest order date)")
    p.add_argument("--vars", help="dbt vars as JSON, e.g. '{\"active_window_days\": 60}'")
    p.add_argument("--job", default="cartera_all", choices=["cartera_all", "nightly_refresh", "weekly_report"])
    p.add_argument("--verbose", action="store_true", help="print Dagster's and dbt's full logs")
    p.set_defaults(func=cmd_run)
    p = sub.add_parser("generate", help="write the seeded sample portfolio into the landing folder")
    _common(p)
    p.add_argument("--customers", type=int, default=5000)
    p.add_argument("--years", type=int, default=3)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--orders-only", action="store_true", help="only orders.csv with customer_id, order_date, amount")
    p.add_argument("--if-empty", action="store_true", help="do nothing when the landing folder has files")
    p.set_defaults(func=cmd_generate)
    p = sub.add_parser("query", help="run SQL read-only on the published warehouse and print the result")
    _common(p)
    p.add_argument("sql")
    p.add_argument("--max-rows", type=int, default=50)
    p.set_defaults(func=cmd_query)
    p = sub.add_parser("ui", help="the Dagster UI (lineage, checks, schedules)")
    _common(p)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=3000)
    p.set_defaults(func=cmd_ui)
    for name in COMMAND_MODULES:
        importlib.import_module(f"dagster_project.commands.{name}").register(sub, _common)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except SettingsError as e:
        print(f"cartera: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
