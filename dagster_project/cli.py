"""`cartera`: run the pipeline, generate sample data, query the warehouse, open the UI."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
import time
from pathlib import Path

from .settings import REPO_ROOT, Settings, SettingsError, parse_date, parse_vars_json

# Further subcommands, one module each in dagster_project/commands/: `register(sub, common)` adds the
# subparser (calling `common(p)` for --landing/--warehouse/--reports) and sets `func`. Keep imports inside
# the command functions so `cartera --help` stays fast.
COMMAND_MODULES: tuple[str, ...] = ("export", "check", "serve", "docs", "scenario", "actions")


def _settings(args) -> Settings:
    return Settings.from_env(
        landing=Path(args.landing) if getattr(args, "landing", None) else None,
        warehouse=Path(args.warehouse) if getattr(args, "warehouse", None) else None,
        reports=Path(args.reports) if getattr(args, "reports", None) else None,
        as_of=parse_date(args.as_of, "--as-of") if getattr(args, "as_of", None) else None,
        dbt_vars=parse_vars_json(args.vars) if getattr(args, "vars", None) else None,
        lang=getattr(args, "lang", None),
        rebuild=True if getattr(args, "rebuild", False) else None,
        engine=getattr(args, "engine", None),
    )


def _dagster_home() -> Path:
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(REPO_ROOT / ".dagster_home")))
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text((REPO_ROOT / "dagster_project" / "dagster.yaml").read_text())
    return home


# Without --verbose, Dagster's log and dbt's output go to the run's log file, not the terminal.
QUIET_RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
INGESTING_JOBS = ("cartera_all", "nightly_refresh")


def run_pipeline(
    settings: Settings,
    job_name: str = "cartera_all",
    instance=None,
    run_config=None,
    *,
    run_id: str | None = None,
    listener=None,
    tags: dict | None = None,
):
    """Materialize a job in this process; returns the Dagster result (raise_on_error=False). `listener` is
    called with every event of the run as it happens (progress on the terminal)."""
    from dagster import DagsterInstance
    from dagster._core.utils import make_new_run_id

    from .project import prepare_manifest
    from .run_history import tune_run_history

    prepare_manifest()  # before the definitions are imported: they read dbt's manifest
    tune_run_history()
    from .definitions import build_definitions

    defs = build_definitions(settings)
    job = defs.resolve_job_def(job_name)
    run_id = run_id or make_new_run_id()
    with contextlib.ExitStack() as stack:
        if instance is None:
            _dagster_home()
            instance = stack.enter_context(DagsterInstance.get())
        if listener is not None:
            instance.add_event_listener(run_id, listener)
        return job.execute_in_process(
            instance=instance, raise_on_error=False, run_config=run_config, run_id=run_id, tags=tags
        )


def failures(result) -> list[str]:
    """Human-readable reasons a run failed (one line each), then the failed checks that did not stop it."""
    from .console.causes import check_warnings, failure_causes

    return failure_causes(result.all_events) + check_warnings(result.all_events)


def landing_problem(landing: Path) -> str | None:
    """Why the landing folder can't be used (missing, not a folder, unreadable), in one line; None if fine."""
    if not landing.exists():
        return f"landing folder {landing} does not exist (check --landing or CARTERA_LANDING)"
    if not landing.is_dir():
        return f"landing folder {landing} is not a folder (check --landing or CARTERA_LANDING)"
    try:
        with os.scandir(landing) as entries:
            next(entries, None)
    except OSError as e:
        return f"landing folder {landing} cannot be read ({e.strerror or e})"
    return None


def _landing_tags(settings: Settings, job: str) -> dict:
    """Which exports a writing run starts on: the nightly schedule skips when they have not changed since."""
    if job not in INGESTING_JOBS:
        return {}
    from .defs.reporting.schedules import LANDING_TAG, landing_tag

    return {LANDING_TAG: landing_tag(settings)}


def _emit_json(summary: dict) -> None:
    import json

    print(json.dumps(summary, indent=2, default=str))


def cmd_run(args) -> int:
    from .console.causes import check_warnings, failure_causes
    from .console.progress import Progress
    from .console.summary import published_freshness, source_summaries, summary_dict

    mode = "json" if args.json else "quiet" if args.quiet else "normal"
    settings = _settings(args)
    ingests = args.job in INGESTING_JOBS
    if ingests and (problem := landing_problem(settings.landing)):
        print(f"cartera: {problem}", file=sys.stderr)
        if mode == "json":
            _emit_json(summary_dict(status="refused", exit_code=2, errors=[problem]))
        return 2
    from .lib.ingest.mapping import MappingError, load_mapping

    try:  # a mistake in the landing folder's cartera.yml stops here, in one line, before anything runs
        load_mapping(settings.landing)
    except MappingError as e:
        print(f"cartera run: {e}", file=sys.stderr)
        if mode == "json":
            _emit_json(summary_dict(status="refused", exit_code=2, errors=[str(e)]))
        return 2
    log = settings.work_dir / "last_run.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    if mode == "normal":
        where = f"log: {log}; --verbose shows everything" if not args.verbose else "verbose"
        print(f"cartera run: {args.job} on {settings.landing} ({where})", flush=True)
    progress = Progress(sys.stdout if mode == "normal" and not args.verbose else None)
    started_epoch, started = time.time(), time.perf_counter()
    with contextlib.ExitStack() as stack:
        run_config = None
        if not args.verbose:  # Dagster's log and dbt's output go to the log file; the terminal gets the summary
            out = stack.enter_context(open(log, "w"))
            stack.enter_context(contextlib.redirect_stdout(out))
            stack.enter_context(contextlib.redirect_stderr(out))
            run_config = QUIET_RUN_CONFIG
        with progress:
            result = run_pipeline(
                settings,
                job_name=args.job,
                run_config=run_config,
                listener=progress,
                tags=_landing_tags(settings, args.job),
            )
    took = time.perf_counter() - started
    events = result.all_events
    sources = source_summaries(events, settings.work_db, started_epoch) if ingests else []
    no_new_files = ingests and bool(sources) and not any(s.files_new_or_changed for s in sources)
    freshness = published_freshness(settings.warehouse, settings.stale_after_days) if result.success else None
    warnings = check_warnings(events)
    refused = [f"refused {reason}" for s in sources for reason in s.refused_files]
    if freshness and freshness.warning():
        warnings.append(freshness.warning())
    errors = [] if result.success else failure_causes(events)
    report = settings.reports / "latest.html"
    if mode == "json":
        _emit_json(
            summary_dict(
                status="succeeded" if result.success else "failed",
                exit_code=0 if result.success else 1,
                run_id=result.run_id,
                job=args.job,
                seconds=round(took, 2),
                landing=settings.landing,
                warehouse=settings.warehouse,
                report=report if result.success and report.exists() and args.job != "nightly_refresh" else None,
                log=None if args.verbose else log,
                as_of=freshness.as_of if freshness else None,
                data_last_order_date=freshness.last_order_date if freshness else None,
                days_after_last_order=freshness.days_after_last_order if freshness else None,
                no_new_files=no_new_files,
                sources=sources,
                steps=progress.step_list(),
                warnings=warnings + refused,
                errors=errors,
            )
        )
    elif mode == "normal":
        _print_summary(result, took, settings, sources, no_new_files, freshness, refused + warnings, args.job)
    elif warnings or refused:
        for line in refused + warnings:
            print(f"cartera: warning: {line}", file=sys.stderr)
    if not result.success:
        for line in errors:
            print(f"cartera: {line}", file=sys.stderr)
        hint = "" if args.verbose else f" (log: {log}; --verbose shows everything)"
        print(
            f"cartera run failed after {took:.1f}s (run {result.run_id}): the published warehouse and the latest "
            f"report were left as they were{hint}",
            file=sys.stderr,
        )
        return 1
    return 0


def _print_summary(result, took, settings, sources, no_new_files, freshness, warnings, job) -> None:
    if sources:
        if no_new_files:
            print(f"no new or changed exports in {settings.landing}: nothing new was loaded")
        else:
            print("loaded this run:")
            for line in filter(None, (s.line() for s in sources)):
                print(line)
    if not result.success:
        for line in warnings:
            if line.startswith("refused "):
                print(f"  {line}")
        return
    print(f"cartera run finished in {took:.1f}s (run {result.run_id})")
    if freshness:
        last = freshness.last_order_date.isoformat() if freshness.last_order_date else "none"
        print(f"  data:      as_of {freshness.as_of.isoformat()}, latest order {last}")
    print(f"  warehouse: {settings.warehouse}")
    report = settings.reports / "latest.html"
    if report.exists() and job != "nightly_refresh":
        print(f"  report:    {report}")
    for line in warnings:  # a successful run can still have failed non-blocking checks, a stale export ...
        print(f"  warning: {line}")


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


# The analyst connection reaches nothing but the warehouse file: no file reads or writes (COPY ... TO,
# read_csv), no ATTACH, no extension install or load; locked, so a query cannot switch it back on.
QUERY_CONFIG = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}


def cmd_query(args) -> int:
    import duckdb

    path = _settings(args).warehouse
    if not path.exists():
        print(f"no published warehouse at {path}: run `cartera run` first", file=sys.stderr)
        return 2
    con = duckdb.connect(str(path), read_only=True, config=QUERY_CONFIG)
    try:
        rel = con.sql(args.sql)
        if rel is None:
            return 0
        from .console.table import format_table

        rows = rel.limit(args.max_rows + 1).fetchall()
        print(format_table(rel.columns, rows[: args.max_rows], more=len(rows) > args.max_rows))
    except duckdb.PermissionException as e:
        print(
            f"cartera query reads only the warehouse: files, ATTACH and extensions are off ({str(e).splitlines()[0]})",
            file=sys.stderr,
        )
        return 2
    except duckdb.InvalidInputException as e:
        text = str(e).lower()
        if "read-only" in text or "configuration has been locked" in text:
            print(f"cartera query is read-only; the warehouse is changed only by `cartera run`. ({e})", file=sys.stderr)
            return 2
        print(f"query failed: {e}", file=sys.stderr)
        return 2
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
    from .console.children import run_until_stopped

    return run_until_stopped(cmd, env=env, cwd=REPO_ROOT)  # Ctrl-C / SIGTERM stop dagster dev and its servers


def _common(p: argparse.ArgumentParser, lang: bool = True) -> None:
    """The options every command takes; --lang only where it selects something (`lang=False`: English only)."""
    p.add_argument("--landing", help="folder with the exports (default data/landing)")
    p.add_argument("--warehouse", help="published DuckDB file (default data/warehouse/cartera.duckdb)")
    p.add_argument("--reports", help="report folder (default data/reports)")
    if lang:
        p.add_argument(
            "--lang", help="es or en: report, messages and xlsx headers (default CARTERA_LANG, else the locale)"
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="cartera", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("run", help="ingest, build, check, publish and report, in this process")
    _common(p)
    p.add_argument("--as-of", help="date the portfolio is looked at (YYYY-MM-DD; default: latest order date)")
    p.add_argument("--vars", help="dbt vars as JSON, e.g. '{\"active_window_days\": 60}'")
    p.add_argument("--job", default="cartera_all", choices=["cartera_all", "nightly_refresh", "weekly_report"])
    p.add_argument("--verbose", action="store_true", help="print Dagster's and dbt's full logs")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--quiet", action="store_true", help="print nothing but warnings and errors (for scripts)")
    out.add_argument("--json", action="store_true", help="print a machine-readable summary on stdout (for scripts)")
    p.add_argument(
        "--rebuild", action="store_true", help="rebuild the working copy from scratch (e.g. from another --landing)"
    )
    p.add_argument(
        "--engine", choices=["duckdb", "spark"], help="what builds the dbt models (default CARTERA_ENGINE, else duckdb)"
    )
    p.set_defaults(func=cmd_run)
    p = sub.add_parser("generate", help="write the seeded sample portfolio into the landing folder")
    _common(p, lang=False)
    p.add_argument("--customers", type=int, default=5000)
    p.add_argument("--years", type=int, default=3)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--orders-only", action="store_true", help="only orders.csv with customer_id, order_date, amount")
    p.add_argument("--if-empty", action="store_true", help="do nothing when the landing folder has files")
    p.set_defaults(func=cmd_generate)
    p = sub.add_parser("query", help="run SQL read-only on the published warehouse and print the result")
    _common(p, lang=False)
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
