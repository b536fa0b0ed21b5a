"""Benchmark the CLV fit on 1,000,000 BG/NBD-simulated customers (not a test).

    .venv/bin/python benchmarks/bench_clv.py [--customers N] [--pipeline]

Simulates customers whose first purchase falls uniformly over one year, observed until two years after the
start (ages 1-2 years, in days), with BG/NBD purchasing (r, alpha, a, b in weeks) and Gamma-Gamma spend.
Prints fit seconds and predict seconds for the library; --pipeline also times rfm_summary + fit_and_score
on an in-memory DuckDB warehouse holding the simulated occasions.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dagster_project.lib.clv import bgnbd, gamma_gamma, pipeline  # noqa: E402
from dagster_project.lib.clv._common import compress_rows  # noqa: E402
from dagster_project.lib.clv.value import discounted_expected_occasions  # noqa: E402

TRUE_BG = {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5}  # weeks
TRUE_GG = {"p": 6.0, "q": 3.5, "gamma": 15.0}
START = date(2023, 1, 1)
CAL_DAYS = 730


def simulate(n: int, seed: int = 7):
    """Per customer: first-purchase day, repeat days (list via flat arrays), and value per occasion."""
    rng = np.random.default_rng(seed)
    first = rng.integers(0, 365, n)
    T_days = CAL_DAYS - first
    T = T_days / 7.0
    lam = rng.gamma(TRUE_BG["r"], 1.0 / TRUE_BG["alpha"], n)
    p = rng.beta(TRUE_BG["a"], TRUE_BG["b"], n)
    events = rng.poisson(lam * T)  # repeat events a never-dying customer would make in (0, T]
    dies_after = rng.geometric(p)  # dies right after this repeat occasion
    x = np.minimum(events, dies_after)
    rep = x > 0
    # The x-th of `events` uniform times on (0, T] is T * Beta(x, events - x + 1).
    t_x = np.zeros(n)
    t_x[rep] = T[rep] * rng.beta(x[rep], events[rep] - x[rep] + 1)
    nu = rng.gamma(TRUE_GG["q"], 1.0 / TRUE_GG["gamma"], n)
    return first, T_days, t_x, x, nu, rng


def library_inputs(first, T_days, t_x, x, nu, rng):
    t_x_days = np.minimum(np.floor(t_x * 7.0), T_days)
    m_x = np.where(x > 0, rng.gamma(TRUE_GG["p"] * np.maximum(x, 1), 1.0 / (np.maximum(x, 1) * nu)), np.nan)
    return x.astype(float), t_x_days / 7.0, T_days / 7.0, m_x


def occasions_frame(first, T_days, t_x, x, nu, rng) -> pd.DataFrame:
    """All occasions: the first purchase, x-1 repeat times uniform on (0, t_x), and the last at t_x."""
    n = first.shape[0]
    ids = np.char.add("C", np.char.zfill(np.arange(n).astype(str), 7))
    rep_idx = np.repeat(np.arange(n), x)
    within = np.concatenate([[0], np.cumsum(x)[:-1]])
    last = (np.arange(rep_idx.shape[0]) - within[rep_idx]) == (x[rep_idx] - 1)
    times = np.where(last, t_x[rep_idx], rng.uniform(0, 1, rep_idx.shape[0]) * t_x[rep_idx])
    cust = np.concatenate([np.arange(n), rep_idx])
    day = np.concatenate([first, first[rep_idx] + np.minimum(np.floor(times * 7.0), T_days[rep_idx]).astype(int)])
    revenue = np.round(rng.gamma(TRUE_GG["p"], 1.0 / nu[cust]), 2)
    base = np.datetime64(START.isoformat())
    return pd.DataFrame(
        {
            "occasion_id": np.arange(cust.shape[0]).astype(str),
            "customer_id": ids[cust],
            "occasion_date": base + day.astype("timedelta64[D]"),
            "revenue": revenue,
        }
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--pipeline", action="store_true", help="also time fit_and_score on DuckDB")
    args = ap.parse_args()

    t0 = time.perf_counter()
    sim = simulate(args.customers)
    x, t_x, T, m_x = library_inputs(*sim)
    print(
        f"simulated {args.customers:,} customers ({int((x > 0).sum()):,} repeaters) in {time.perf_counter() - t0:.1f}s"
    )

    t0 = time.perf_counter()
    bg = bgnbd.fit(x, t_x, T)
    t_bg = time.perf_counter() - t0
    t0 = time.perf_counter()
    gg = gamma_gamma.fit(x, m_x)
    t_gg = time.perf_counter() - t0
    print(
        f"BG/NBD fit {t_bg:.2f}s ({bg.distinct_rows:,} distinct rows, {bg.iterations} iterations): "
        + ", ".join(f"{k}={v:.3f} (true {TRUE_BG[k]})" for k, v in bg.params.as_dict().items())
    )
    print(
        f"Gamma-Gamma fit {t_gg:.2f}s ({gg.customers:,} customers): "
        + ", ".join(f"{k}={v:.3f} (true {TRUE_GG[k]})" for k, v in gg.params.as_dict().items())
    )
    print(f"fit seconds: {t_bg + t_gg:.2f}")

    t0 = time.perf_counter()
    (ux, ut, uT), _, inverse = compress_rows(x, t_x, T)
    p_alive = bgnbd.p_alive(bg.params, ux, ut, uT)[inverse]
    e90 = bgnbd.conditional_expected_occasions(bg.params, 90 / 7, ux, ut, uT)[inverse]
    e365 = bgnbd.conditional_expected_occasions(bg.params, 365 / 7, ux, ut, uT)[inverse]
    disc = discounted_expected_occasions(bg.params, ux, ut, uT)[inverse]
    value = gamma_gamma.conditional_expected_value(gg.params, x, np.nan_to_num(m_x))
    clv = value * disc
    t_pred = time.perf_counter() - t0
    assert np.all(np.isfinite(clv)) and np.all(np.isfinite(p_alive + e90 + e365))
    print(f"predict seconds: {t_pred:.2f} (p_alive, 90d/365d occasions, 12-month CLV; total CLV {clv.sum():,.0f})")

    if args.pipeline:
        import duckdb

        occ = occasions_frame(*sim)
        con = duckdb.connect()
        con.execute("CREATE SCHEMA intermediate")
        con.register("occ", occ)
        con.execute(
            "CREATE TABLE intermediate.int_purchase_occasions AS SELECT occasion_id, customer_id, "
            "CAST(occasion_date AS DATE) AS occasion_date, CAST(revenue AS DECIMAL(18,2)) AS revenue FROM occ"
        )
        con.unregister("occ")
        as_of = START + timedelta(days=CAL_DAYS)
        t0 = time.perf_counter()
        pipeline.rfm_summary(con, as_of)
        t_rfm = time.perf_counter() - t0
        t0 = time.perf_counter()
        res = pipeline.fit_and_score(con, as_of)
        t_all = time.perf_counter() - t0
        print(
            f"pipeline: {len(occ):,} occasions; rfm_summary {t_rfm:.2f}s; fit_and_score (rfm + fits + scoring + "
            f"writes) {t_all:.2f}s for {res.customers_scored:,} customers; warnings: {res.warnings}"
        )


if __name__ == "__main__":
    main()
