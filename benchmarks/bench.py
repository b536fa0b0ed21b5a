"""Performance benchmark of `cartera run` against pandas and polars scripts and bare DuckDB SQL (`make bench`).

    .venv/bin/python benchmarks/bench.py [--sizes 1M,10M,30M] [--repeat N] [--skip-pandas] [--skip-polars]
                                         [--incremental-size 10M | --no-incremental] [--timeout S]

For each size, an orders-only landing folder (customer_id, order_date, amount) is generated once with
generate_portfolio(..., orders_only=True) and cached under benchmarks/cache/ (git-ignored). On the same
file, in the same run, it times as subprocesses:

  cartera  `.venv/bin/cartera run` end to end (fresh warehouse and DAGSTER_HOME each time);
  pandas   benchmarks/pandas_marts.py (read_csv + groupby, parquet out);
  polars   benchmarks/polars_marts.py (the same marts with polars lazy frames, parquet out);
  floor    benchmarks/duckdb_marts.py (one DuckDB connection, the same marts as plain SQL).

Peak memory is the RSS of the process and its children, sampled every 0.1 s. Cartera's time per step and
per dbt model comes from the Dagster event log of the run's DAGSTER_HOME. Then a nightly incremental run:
one new orders_<next day>.csv of ~10,000 orders added beside the full export, `cartera run` again on the
same warehouse. Results (table, JSON, PNG chart) go to benchmarks/results/ (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import psutil

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
CACHE = BENCH_DIR / "cache"
RESULTS = BENCH_DIR / "results"
BIN = Path(sys.executable).parent
PYTHON = sys.executable
sys.path.insert(0, str(REPO))

SEED = 42
# 900,000 customers ~ 10M orders (the generator's calibration); ~11.1 orders per customer.
SIZES = {"1M": 90_000, "10M": 900_000, "30M": 2_700_000}
INCREMENTAL_ROWS = 10_000
CONTENDERS = ("cartera", "pandas", "polars", "floor")


# ------------------------------------------------------------------ data
def parse_size(label: str) -> tuple[str, int]:
    label = label.strip()
    if label in SIZES:
        return label, SIZES[label]
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([kKmM])", label)
    if not m:
        raise argparse.ArgumentTypeError(f"size {label!r}: use e.g. 1M, 10M, 30M or 500k")
    orders = float(m.group(1)) * (1e3 if m.group(2) in "kK" else 1e6)
    return label, max(1, round(orders / 1e7 * 900_000))


def landing_for(customers: int) -> tuple[Path, dict]:
    """Cached landing folder holding only orders.csv; generated once (into a temp dir, then renamed)."""
    root = CACHE / f"c{customers}_s{SEED}"
    meta_path = root / "meta.json"
    if meta_path.exists() and (root / "landing" / "orders.csv").exists():
        return root / "landing", json.loads(meta_path.read_text())
    from dagster_project.lib.generate import generate_portfolio

    shutil.rmtree(root, ignore_errors=True)
    tmp = CACHE / f".tmp_c{customers}_s{SEED}"
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"generating {customers:,} customers (orders only) into {root} ...", flush=True)
    started = time.perf_counter()
    counts = generate_portfolio(tmp / "landing", customers=customers, seed=SEED, orders_only=True)
    meta = {
        "customers": customers,
        "seed": SEED,
        "orders": counts["orders.csv"],
        "generate_seconds": round(time.perf_counter() - started, 2),
    }
    (tmp / "meta.json").write_text(json.dumps(meta))
    tmp.rename(root)
    print(f"  {meta['orders']:,} orders in {meta['generate_seconds']} s", flush=True)
    return root / "landing", meta


def warm_page_cache(path: Path) -> None:
    with open(path, "rb") as f:
        while f.read(16 << 20):
            pass


# ------------------------------------------------------------------ measuring
class PeakRss:
    """Peak RSS of a process plus all its descendants, sampled every `interval` seconds."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _sample(self) -> int:
        try:
            root = psutil.Process(self.pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            return 0
        total = 0
        for p in procs:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(self.interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def timed(cmd: list[str], *, env: dict | None = None, timeout: float, log: Path) -> dict:
    """Run `cmd` as a subprocess; wall seconds, peak RSS (MB), return code; output to `log`."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        started_epoch = time.time()
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=REPO)
        rss = PeakRss(proc.pid)
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = proc.wait()
            print(f"  TIMEOUT after {timeout:.0f} s: {' '.join(cmd)}", flush=True)
        seconds = time.perf_counter() - started
        peak = rss.stop()
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak / 2**20),
        "rc": rc,
        "started_epoch": started_epoch,
        "ended_epoch": started_epoch + seconds,
        "log": str(log),
    }


def keep_log(res: dict, name: str) -> None:
    """Copy the log of a failed run to results/ (the scratch folder is removed at the end)."""
    if res.get("rc") != 0 and Path(res["log"]).exists():
        dest = RESULTS / f"failed_{datetime.now().strftime('%Y%m%d-%H%M%S')}_{name}.log"
        shutil.copy2(res["log"], dest)
        res["log"] = str(dest)
        print(f"  log kept: {dest}", flush=True)


def tail(path: str, n: int = 15) -> str:
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return ""


# ------------------------------------------------------------------ contenders
def run_cartera(landing: Path, work: Path, timeout: float, *, log_name: str = "cartera.log") -> dict:
    """`cartera run` as a user runs it; `work` holds w/ (warehouse), r/ (reports) and dh/ (DAGSTER_HOME)."""
    env = {**os.environ, "DAGSTER_HOME": str(work / "dh")}
    (work / "dh").mkdir(parents=True, exist_ok=True)
    cmd = [
        str(BIN / "cartera"),
        "run",
        "--landing",
        str(landing),
        "--warehouse",
        str(work / "w" / "cartera.duckdb"),
        "--reports",
        str(work / "r"),
    ]
    res = timed(cmd, env=env, timeout=timeout, log=work / log_name)
    m = re.findall(r"\(run ([0-9a-f-]{36})\)", Path(res["log"]).read_text(errors="replace"))
    res["run_id"] = m[-1] if m else None
    if res["rc"] != 0:
        print(f"  WARNING: cartera run failed (rc {res['rc']}):\n{tail(res['log'])}", flush=True)
        keep_log(res, "cartera")
    if res["run_id"]:
        try:
            res["steps"] = dagster_steps(work / "dh", res["run_id"], res["started_epoch"], res["ended_epoch"])
        except Exception as e:  # the timing still counts; the breakdown is a bonus
            print(f"  WARNING: could not read the Dagster event log: {e}", flush=True)
    return res


def run_script(label: str, script: str, csv: Path, output: Path, work: Path, timeout: float) -> dict:
    """One of the comparison scripts (pandas, polars or the bare DuckDB floor) on the same CSV, timed as a process."""
    res = timed([PYTHON, str(BENCH_DIR / script), str(csv), str(output)], timeout=timeout, log=work / f"{label}.log")
    res["output"] = str(output)
    if res["rc"] != 0:
        print(f"  WARNING: {script} failed (rc {res['rc']}):\n{tail(res['log'])}", flush=True)
        keep_log(res, label)
    return res


# ------------------------------------------------------------------ Dagster event log
def dagster_steps(dagster_home: Path, run_id: str, proc_start: float, proc_end: float) -> dict:
    """Per-step seconds (STEP_START -> STEP_SUCCESS/FAILURE), per-dbt-node seconds, process overheads."""
    from dagster import DagsterInstance

    with DagsterInstance.from_config(str(dagster_home)) as instance:
        records = instance.all_logs(run_id)
    starts, steps, nodes, checks = {}, {}, {}, {}
    run_start = run_end = None
    for rec in records:
        ev = rec.dagster_event
        if ev is None:
            continue
        kind = ev.event_type_value
        if kind in ("RUN_START", "PIPELINE_START"):
            run_start = rec.timestamp
        elif kind in ("RUN_SUCCESS", "RUN_FAILURE", "PIPELINE_SUCCESS", "PIPELINE_FAILURE"):
            run_end = rec.timestamp
        elif kind == "STEP_START":
            starts[ev.step_key] = rec.timestamp
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE") and ev.step_key in starts:
            steps[ev.step_key] = round(rec.timestamp - starts[ev.step_key], 3)
        elif kind == "ASSET_MATERIALIZATION":
            md = ev.event_specific_data.materialization.metadata
            if "Execution Duration" in md:
                nodes[ev.asset_key.to_user_string()] = round(float(md["Execution Duration"].value), 3)
        elif kind == "ASSET_CHECK_EVALUATION":
            data = ev.event_specific_data
            md = data.metadata or {}
            if "Execution Duration" in md:
                checks[f"{data.asset_key.to_user_string()}:{data.check_name}"] = round(
                    float(md["Execution Duration"].value), 3
                )
    out = {"steps": steps, "dbt_models": nodes, "dbt_tests": checks}
    if run_start and run_end:
        out["process_start_to_run_start"] = round(run_start - proc_start, 2)
        out["run_end_to_process_exit"] = round(proc_end - run_end, 2)
        out["run_seconds"] = round(run_end - run_start, 2)
        out["between_steps"] = round(out["run_seconds"] - sum(steps.values()), 2)
    return out


# ------------------------------------------------------------------ sanity checks
def sanity_numbers(kind: str, res: dict) -> dict | None:
    """customers by status, pareto customers and top-80 count, cohort-retention totals."""
    import duckdb

    if res.get("rc") != 0:
        return None
    if kind in ("pandas", "polars"):
        d = Path(res["output"])
        con = duckdb.connect()
        rel = {
            t: f"read_parquet('{(d / (t + '.parquet')).as_posix()}')"
            for t in ("customer_status", "pareto_summary", "cohort_retention")
        }
    else:
        path = res["output"] if kind == "floor" else res["warehouse"]
        con = duckdb.connect(path, read_only=True)
        rel = {t: f"marts.{t}" for t in ("customer_status", "pareto_summary", "cohort_retention")}
    try:
        status = dict(con.sql(f"SELECT status, count(*) FROM {rel['customer_status']} GROUP BY 1").fetchall())
        customers, top80 = con.sql(f"SELECT customers, top_80_customers FROM {rel['pareto_summary']}").fetchone()
        rows, active = con.sql(f"SELECT count(*), sum(active_customers) FROM {rel['cohort_retention']}").fetchone()
    finally:
        con.close()
    return {
        "status": {k: status[k] for k in sorted(status)},
        "pareto_customers": int(customers),
        "pareto_top_80": int(top80),
        "cohort_rows": int(rows),
        "cohort_active_sum": int(active or 0),
    }


def compare(numbers: dict[str, dict | None]) -> list[str]:
    have = {k: v for k, v in numbers.items() if v is not None}
    if len(have) < 2:
        return []
    ref_name, ref = next(iter(have.items()))
    warnings = []
    for name, got in have.items():
        for key in ref:
            if got.get(key) != ref[key]:
                warnings.append(f"{name} disagrees with {ref_name} on {key}: {got.get(key)} vs {ref[key]}")
    return warnings


# ------------------------------------------------------------------ incremental scenario
def nightly_file(csv: Path, dest: Path, rows: int, seed: int = 7) -> tuple[Path, date]:
    """~`rows` orders for the day after the latest order: mostly existing customers, a few new ones."""
    import numpy as np
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    table = pacsv.read_csv(
        csv,
        convert_options=pacsv.ConvertOptions(
            column_types={"customer_id": "string", "order_date": "date32"},
            include_columns=["customer_id", "order_date"],
        ),
    )
    last = pc.max(table["order_date"]).as_py()
    ids = pc.unique(table["customer_id"]).to_numpy(zero_copy_only=False)
    width = max(len(i) for i in ids[:1000])
    rng = np.random.default_rng(seed)
    n_new = rows // 20
    known = rng.choice(ids, rows - n_new, replace=True)
    top = max(int(i) for i in ids)
    new = np.array([f"{top + 1 + i:0{width}d}" for i in range(n_new)])
    cust = np.concatenate([known, new])
    amount = np.maximum(np.round(rng.lognormal(np.log(95.0), 0.8, rows), 2), 1.0)
    day = last + timedelta(days=1)
    path = dest / f"orders_{day.isoformat()}.csv"
    with open(path, "w", encoding="utf-8") as f:
        f.write("customer_id,order_date,amount\n")
        f.writelines(f"{c},{day.isoformat()},{a:.2f}\n" for c, a in zip(cust, amount, strict=False))
    return path, day


def link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)  # same bytes, and not a symlink (ingestion refuses links leaving the folder)
    except OSError:
        shutil.copy2(src, dst)


# ------------------------------------------------------------------ report
def machine() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    versions = {"python": platform.python_version()}
    for pkg in ("duckdb", "pandas", "dagster", "dagster-dbt", "dbt-core", "dbt-duckdb", "great-expectations"):
        try:
            versions[pkg] = version(pkg)
        except PackageNotFoundError:
            pass
    return {
        "date": datetime.now().isoformat(timespec="seconds"),
        "host": platform.node(),
        "code_fingerprint": code_fingerprint(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "versions": versions,
    }


def code_fingerprint() -> str:
    """sha256 (12 hex) over the pipeline's code and models, to tell which version a result measured."""
    import hashlib

    h = hashlib.sha256()
    for pattern in ("dagster_project/**/*.py", "dbt/models/**/*", "dbt/macros/**/*", "dbt/*.yml", "expectations/*"):
        for p in sorted(REPO.glob(pattern)):
            if p.is_file():
                h.update(p.relative_to(REPO).as_posix().encode())
                h.update(p.read_bytes())
    return h.hexdigest()[:12]


def median(values):
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 2) if values else None


def summarize(runs: list[dict]) -> dict:
    ok = [r for r in runs if r.get("rc") == 0]
    return {
        "seconds": median([r["seconds"] for r in ok]),
        "seconds_all": [r["seconds"] for r in runs],
        "peak_rss_mb": max([r["peak_rss_mb"] for r in ok], default=None),
        "failed": len(runs) - len(ok),
    }


def print_table(results: dict) -> str:
    lines = []
    head = (
        f"{'size':>5} {'orders':>11} | {'cartera s':>9} {'MB':>6} | {'pandas s':>8} {'MB':>6} | "
        f"{'polars s':>8} {'MB':>6} | {'floor s':>7} {'MB':>6} | {'c/floor':>7} {'c/pandas':>8} {'c/polars':>8}"
    )
    lines += [head, "-" * len(head)]
    for label, r in results["sizes"].items():
        c, p, pl, f = (r["contenders"].get(k, {}) for k in CONTENDERS)

        def cell(d, key, w):
            v = d.get(key)
            return f"{v:>{w}}" if v is not None else f"{'-':>{w}}"

        ratio = lambda a, b: f"{a / b:.1f}x" if a and b else "-"  # noqa: E731
        lines.append(
            f"{label:>5} {r['orders']:>11,} | {cell(c, 'seconds', 9)} {cell(c, 'peak_rss_mb', 6)} | "
            f"{cell(p, 'seconds', 8)} {cell(p, 'peak_rss_mb', 6)} | "
            f"{cell(pl, 'seconds', 8)} {cell(pl, 'peak_rss_mb', 6)} | {cell(f, 'seconds', 7)} "
            f"{cell(f, 'peak_rss_mb', 6)} | {ratio(c.get('seconds'), f.get('seconds')):>7} "
            f"{ratio(c.get('seconds'), p.get('seconds')):>8} {ratio(c.get('seconds'), pl.get('seconds')):>8}"
        )
    inc = results.get("incremental")
    if inc:
        lines.append("")
        lines.append(
            f"nightly incremental at {inc['size']} (+{inc['new_rows']:,} orders in {inc['file']}): "
            f"{inc['seconds']} s vs full {inc['full_seconds']} s = {inc['ratio_to_full']:.2f} of the full run "
            f"(target <= 0.30: {'met' if inc['target_met'] else 'NOT met'}), peak {inc['peak_rss_mb']} MB"
        )
    for label, r in results["sizes"].items():
        steps = r.get("cartera_steps")
        if not steps:
            continue
        lines.append("")
        lines.append(f"cartera run at {label}: where the time goes (median of repeats; seconds)")
        total = r["contenders"]["cartera"]["seconds"] or 0
        rows = [
            ("process start -> run start (imports, definitions, manifest)", steps.get("process_start_to_run_start")),
            *[(f"step {k}", v) for k, v in steps["steps"].items()],
            ("between steps (Dagster bookkeeping)", steps.get("between_steps")),
            ("run end -> process exit", steps.get("run_end_to_process_exit")),
        ]
        for name, v in rows:
            if v is not None:
                share = f"{100 * v / total:5.1f}%" if total else ""
                lines.append(f"  {name:<62} {v:8.2f} {share}")
        if steps.get("dbt_models"):
            top = sorted(steps["dbt_models"].items(), key=lambda kv: -kv[1])[:8]
            lines.append("  slowest dbt models: " + ", ".join(f"{k} {v:.1f}" for k, v in top))
        if steps.get("dbt_tests"):
            top = sorted(steps["dbt_tests"].items(), key=lambda kv: -kv[1])[:6]
            lines.append("  slowest dbt tests:  " + ", ".join(f"{k} {v:.1f}" for k, v in top))
            models_s, tests_s = sum(steps.get("dbt_models", {}).values()), sum(steps["dbt_tests"].values())
            dbt_steps = sum(v for k, v in steps["steps"].items() if k.startswith("dbt_"))
            lines.append(
                f"  dbt steps {dbt_steps:.1f} s wall; node times: {len(steps.get('dbt_models', {}))} models "
                f"{models_s:.1f} s + {len(steps['dbt_tests'])} tests {tests_s:.1f} s (dbt runs 2 threads, so node "
                "times overlap; wall minus nodes is not a clean overhead)"
            )
    if inc and inc.get("steps"):
        lines.append("")
        lines.append(f"nightly incremental at {inc['size']}: where the time goes (seconds)")
        st = inc["steps"]
        for name, v in [
            ("process start -> run start", st.get("process_start_to_run_start")),
            *[(f"step {k}", v) for k, v in st["steps"].items()],
            ("run end -> process exit", st.get("run_end_to_process_exit")),
        ]:
            if v is not None and v >= 0.05:
                lines.append(f"  {name:<62} {v:8.2f}")
    text = "\n".join(lines)
    print(text, flush=True)
    return text


def median_steps(step_runs: list[dict]) -> dict | None:
    step_runs = [s for s in step_runs if s]
    if not step_runs:
        return None
    out: dict = {}
    for key in ("steps", "dbt_models", "dbt_tests"):
        names = list(dict.fromkeys(n for s in step_runs for n in s.get(key, {})))
        out[key] = {n: median([s.get(key, {}).get(n) for s in step_runs]) for n in names}
    for key in ("process_start_to_run_start", "run_end_to_process_exit", "run_seconds", "between_steps"):
        out[key] = median([s.get(key) for s in step_runs])
    return out


def chart(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=110)
    xs = [r["orders"] for r in results["sizes"].values()]
    for name, style, dy in zip(CONTENDERS, ("o-", "s-", "v-", "^-"), (4, 4, 4, -11), strict=True):
        pts = [
            (r["orders"], r["contenders"][name]["seconds"])
            for r in results["sizes"].values()
            if r["contenders"].get(name, {}).get("seconds")
        ]
        if pts:
            (line,) = ax.plot(
                *zip(*pts, strict=False),
                style,
                label={
                    "cartera": "cartera run",
                    "pandas": "pandas script",
                    "polars": "polars script",
                    "floor": "bare DuckDB SQL",
                }[name],
            )
            for x, y in pts:
                ax.annotate(
                    f"{y:.0f}s" if y >= 10 else f"{y:.1f}s",
                    (x, y),
                    textcoords="offset points",
                    xytext=(5, dy),
                    fontsize=7,
                    color=line.get_color(),
                )
    inc = results.get("incremental")
    if inc:
        x = results["sizes"][inc["size"]]["orders"]
        ax.plot([x], [inc["seconds"]], "D", color="grey", label="cartera nightly (+10k orders)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(min(xs) / 2, max(xs) * 2)
    ticks = [t for t in (1e5, 3e5, 1e6, 3e6, 1e7, 3e7, 1e8) if min(xs) / 2 <= t <= max(xs) * 2]
    ax.set_xticks(ticks, [f"{t / 1e6:g}M" for t in ticks])
    ax.xaxis.set_minor_locator(matplotlib.ticker.NullLocator())
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_formatter(
        matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}" if str(f"{v:g}")[0] in "25" else "")
    )
    ax.set_xlabel("orders")
    ax.set_ylabel("seconds (wall, median)")
    m = results["machine"]
    ax.set_title(f"Cartera benchmark {m['date'][:10]} ({m['cpu_count']} CPU, {m['memory_gb']} GB)", fontsize=9)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


# ------------------------------------------------------------------ main
def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1M,10M,30M", help="comma-separated: 1M,10M,30M (or e.g. 500k)")
    ap.add_argument("--repeat", type=int, default=1, help="timed runs per contender and size (median reported)")
    ap.add_argument("--skip-pandas", action="store_true")
    ap.add_argument("--skip-polars", action="store_true")
    ap.add_argument(
        "--incremental-size",
        default="10M",
        help="size for the nightly incremental scenario (default 10M; the largest size run if absent)",
    )
    ap.add_argument("--no-incremental", action="store_true")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds before a contender is killed")
    args = ap.parse_args(argv)
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    if args.repeat < 1:
        ap.error("--repeat must be >= 1")

    CACHE.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    skipped = {"pandas": args.skip_pandas, "polars": args.skip_polars}
    contenders = [c for c in CONTENDERS if not skipped.get(c)]
    inc_label = None
    if not args.no_incremental:
        labels = [label for label, _ in sizes]
        inc_label = args.incremental_size if args.incremental_size in labels else labels[-1]
    results = {"machine": machine(), "args": vars(args), "sizes": {}, "warnings": []}
    print(
        f"machine: {results['machine']['cpu_count']} CPU, {results['machine']['memory_gb']} GB, "
        f"{results['machine']['platform']}",
        flush=True,
    )
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    scratch = Path(tempfile.mkdtemp(prefix="cartera_bench_"))
    try:
        for label, customers in sizes:
            landing, meta = landing_for(customers)
            csv = landing / "orders.csv"
            print(f"\n== {label}: {meta['orders']:,} orders, {customers:,} customers ({csv})", flush=True)
            runs: dict[str, list[dict]] = {c: [] for c in contenders}
            last_cartera_work = None
            for i in range(args.repeat):
                for name in contenders:
                    warm_page_cache(csv)
                    work = scratch / f"{label}_{name}_{i}"
                    work.mkdir(parents=True)
                    if name == "cartera":
                        # the run's own landing folder (the export hard-linked in): the nightly scenario adds its
                        # file there, and a warehouse is only ever fed from the folder it was built from
                        (work / "landing").mkdir()
                        link_or_copy(csv, work / "landing" / "orders.csv")
                        res = run_cartera(work / "landing", work, args.timeout)
                        res["warehouse"] = str(work / "w" / "cartera.duckdb")
                    elif name == "pandas":
                        res = run_script("pandas", "pandas_marts.py", csv, work / "pandas_out", work, args.timeout)
                    elif name == "polars":
                        res = run_script("polars", "polars_marts.py", csv, work / "polars_out", work, args.timeout)
                    else:
                        res = run_script("floor", "duckdb_marts.py", csv, work / "floor.duckdb", work, args.timeout)
                    print(
                        f"  [{i + 1}/{args.repeat}] {name:<8} {res['seconds']:8.2f} s  peak {res['peak_rss_mb']:>6} MB"
                        f"{'' if res['rc'] == 0 else '  FAILED'}",
                        flush=True,
                    )
                    if i == 0:
                        res["sanity"] = sanity_numbers(name, res)
                    runs[name].append(res)
                    # keep the last cartera warehouse for the incremental scenario; free the rest
                    if name == "cartera" and res["rc"] == 0 and label == inc_label and i == args.repeat - 1:
                        last_cartera_work = work
                    else:
                        shutil.rmtree(work / "w", ignore_errors=True)
                        shutil.rmtree(work / "pandas_out", ignore_errors=True)
                        shutil.rmtree(work / "polars_out", ignore_errors=True)
                        (work / "floor.duckdb").unlink(missing_ok=True)
            entry = {
                "orders": meta["orders"],
                "customers": customers,
                "csv_bytes": csv.stat().st_size,
                "contenders": {
                    name: {**summarize(rs), "runs": [{k: v for k, v in r.items() if k not in ("steps",)} for r in rs]}
                    for name, rs in runs.items()
                },
            }
            if "cartera" in runs:
                entry["cartera_steps"] = median_steps([r.get("steps") for r in runs["cartera"] if r.get("rc") == 0])
            sanity = {name: rs[0].get("sanity") for name, rs in runs.items()}
            entry["sanity"] = sanity
            for w in compare(sanity):
                msg = f"{label}: {w}"
                print(f"  WARNING: {msg}", flush=True)
                results["warnings"].append(msg)
            if not compare(sanity) and sum(v is not None for v in sanity.values()) >= 2:
                ref = next(v for v in sanity.values() if v)
                agreeing = ", ".join(k for k, v in sanity.items() if v)
                print(
                    f"  {agreeing} agree: status {ref['status']}, pareto top-80 {ref['pareto_top_80']:,} of "
                    f"{ref['pareto_customers']:,}, cohort rows {ref['cohort_rows']}",
                    flush=True,
                )
            results["sizes"][label] = entry

            if label == inc_label and last_cartera_work is not None:
                results["incremental"] = incremental(label, entry, csv, last_cartera_work, args.timeout)
                shutil.rmtree(last_cartera_work, ignore_errors=True)
            elif label == inc_label:
                msg = f"{label}: no successful full cartera run, so no incremental scenario"
                print(f"  WARNING: {msg}", flush=True)
                results["warnings"].append(msg)
            for name, rs in runs.items():
                if any(r["rc"] != 0 for r in rs):
                    results["warnings"].append(
                        f"{label}: {name} failed in {sum(r['rc'] != 0 for r in rs)} of {len(rs)} runs"
                    )
            save(results, stamp, final=False)  # partial results survive an interrupted run
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print("")
    save(results, stamp, final=True)
    if results["warnings"]:
        print("WARNINGS:\n  " + "\n  ".join(results["warnings"]))
    failed = any(c.get("failed") for r in results["sizes"].values() for c in r["contenders"].values())
    return 1 if failed or (results.get("incremental") or {}).get("rc", 0) != 0 else 0


def save(results: dict, stamp: str, *, final: bool) -> None:
    """JSON (+ PNG chart) under results/: bench_<stamp>.* and latest.*; the table is printed when final."""
    results["table"] = print_table(results) if final else None
    results["complete"] = final
    for name in (f"bench_{stamp}.json", "latest.json"):
        (RESULTS / name).write_text(json.dumps(results, indent=2, default=str))
    try:
        chart(results, RESULTS / f"bench_{stamp}.png")
        shutil.copy2(RESULTS / f"bench_{stamp}.png", RESULTS / "latest.png")
    except Exception as e:
        print(f"WARNING: chart not written: {e}")
    if final:
        print(f"\nresults: {RESULTS / f'bench_{stamp}.json'} (+ .png; also latest.json, latest.png)")


def incremental(label: str, entry: dict, csv: Path, work: Path, timeout: float) -> dict:
    """Nightly scenario: the full run's warehouse + one new file of next-day orders, `cartera run` again."""
    inc_landing = work / "landing"  # the full run's folder: its orders.csv is unchanged and skipped
    new_file, day = nightly_file(csv, inc_landing, INCREMENTAL_ROWS)
    warm_page_cache(csv)
    res = run_cartera(inc_landing, work, timeout, log_name="cartera_incremental.log")
    full = entry["contenders"]["cartera"]["seconds"]
    out = {
        "size": label,
        "orders": entry["orders"] + INCREMENTAL_ROWS,
        "file": new_file.name,
        "new_rows": INCREMENTAL_ROWS,
        "seconds": res["seconds"],
        "peak_rss_mb": res["peak_rss_mb"],
        "rc": res["rc"],
        "full_seconds": full,
        "ratio_to_full": res["seconds"] / full if full else None,
        "steps": res.get("steps"),
    }
    out["target_met"] = res["rc"] == 0 and out["ratio_to_full"] is not None and out["ratio_to_full"] <= 0.3
    try:
        import duckdb

        con = duckdb.connect(str(work / "w" / "cartera.duckdb"), read_only=True)
        out["as_of_after"] = str(con.sql("SELECT max(as_of) FROM marts.customer_status").fetchone()[0])
        con.close()
    except Exception as e:
        out["as_of_after"] = f"unreadable: {e}"
    print(
        f"  nightly incremental (+{INCREMENTAL_ROWS:,} orders on {day}): {res['seconds']:.2f} s "
        f"({out['ratio_to_full']:.2f} of full), as_of now {out['as_of_after']}"
        f"{'' if res['rc'] == 0 else '  FAILED'}",
        flush=True,
    )
    if out.get("steps"):
        print("    steps: " + ", ".join(f"{k} {v:.1f}" for k, v in out["steps"]["steps"].items()), flush=True)
    return out


if __name__ == "__main__":
    sys.exit(main())
