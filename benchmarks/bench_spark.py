"""The same orders file through `cartera run --engine duckdb` and `--engine spark`, times per step side by side
(`make bench-spark`, README "Running on Spark").

    .venv/bin/python benchmarks/bench_spark.py [--orders 10M] [--master local[2]] [--timeout S]

The orders-only landing folder is the one `make bench` generates and caches (benchmarks/bench.py, seed 42,
~11 orders per customer). Each engine runs `cartera run` as a user runs it, in a fresh warehouse and
DAGSTER_HOME; the time per step comes from the run's Dagster event log. Both runs must publish the same
customer_status counts (a quick sanity check; tests/spark proves full parity). Results go to
benchmarks/results/spark_<stamp>.json and a table on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (benchmarks/bench.py: data cache, timing, Dagster step times)

STEP_ORDER = ("raw_orders", "dbt_models", "clv_model", "dbt_models_after_clv", "published_warehouse")


def run_engine(engine: str, landing: Path, work: Path, master: str, timeout: float) -> dict:
    env = {**os.environ, "DAGSTER_HOME": str(work / "dh"), "CARTERA_SPARK_MASTER": master}
    (work / "dh").mkdir(parents=True, exist_ok=True)
    warehouse = work / "w" / "cartera.duckdb"
    cmd = [str(bench.BIN / "cartera"), "run", "--engine", engine, "--landing", str(landing)]
    cmd += ["--warehouse", str(warehouse), "--reports", str(work / "r")]
    res = bench.timed(cmd, env=env, timeout=timeout, log=work / f"{engine}.log")
    m = re.findall(r"\(run ([0-9a-f-]{36})\)", Path(res["log"]).read_text(errors="replace"))
    if res["rc"] != 0:
        print(f"  {engine}: cartera run failed (rc {res['rc']}):\n{bench.tail(res['log'])}", flush=True)
        bench.keep_log(res, f"spark_bench_{engine}")
    elif m:
        res["steps"] = bench.dagster_steps(work / "dh", m[-1], res["started_epoch"], res["ended_epoch"])["steps"]
        con = duckdb.connect(str(warehouse), read_only=True)
        res["status_counts"] = dict(
            con.execute("SELECT status, count(*) FROM marts.customer_status GROUP BY 1").fetchall()
        )
        con.close()
    return res


def table(label: str, orders: int, runs: dict) -> str:
    steps = [s for s in STEP_ORDER if any(s in (r.get("steps") or {}) for r in runs.values())]
    others = sorted({k for r in runs.values() for k in (r.get("steps") or {})} - set(steps))
    lines = [f"{label} ({orders:,} orders), seconds", f"{'step':<40}{'duckdb':>10}{'spark':>10}"]
    for step in [*steps, *others]:
        cells = [f"{(r.get('steps') or {}).get(step, float('nan')):>10.1f}" for r in runs.values()]
        lines.append(f"{step:<40}{''.join(cells)}")
    total = "".join(f"{r['seconds']:>10.1f}" for r in runs.values())
    peak = "".join(f"{r['peak_rss_mb']:>10}" for r in runs.values())
    lines.append(f"{'cartera run, end to end':<40}{total}")
    lines.append(f"{'peak memory (MB)':<40}{peak}")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--orders", default="10M", help="size of the orders file: 10M, 1M, 500k ... (default 10M)")
    p.add_argument("--master", default="local[2]", help="Spark master URL (default local[2])")
    p.add_argument("--timeout", type=float, default=3 * 3600, help="seconds per run before it is stopped")
    args = p.parse_args(argv)
    label, customers = bench.parse_size(args.orders)
    landing, meta = bench.landing_for(customers)
    bench.warm_page_cache(landing / "orders.csv")
    scratch = Path(tempfile.mkdtemp(prefix="cartera_bench_spark_"))
    runs = {}
    try:
        for engine in ("duckdb", "spark"):
            print(f"{engine}: cartera run on {meta['orders']:,} orders ...", flush=True)
            runs[engine] = run_engine(engine, landing, scratch / engine, args.master, args.timeout)
            print(f"  {runs[engine]['seconds']:.1f} s (rc {runs[engine]['rc']})", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    text = table(label, meta["orders"], runs)
    print(text)
    same = runs["duckdb"].get("status_counts") == runs["spark"].get("status_counts")
    print(f"customer_status counts equal on both engines: {same} {runs['duckdb'].get('status_counts')}")
    bench.RESULTS.mkdir(parents=True, exist_ok=True)
    out = bench.RESULTS / f"spark_{datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({"size": label, "orders": meta["orders"], "master": args.master, "runs": runs}, indent=2))
    print(f"results: {out}")
    return 0 if same and all(r["rc"] == 0 for r in runs.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
