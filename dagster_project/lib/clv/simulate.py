"""Customers simulated from known parameters: parameter-recovery tests, interval coverage and the benchmark.

Each customer's first purchase falls uniformly in the first `spread_weeks`; they are observed until `end_weeks`
(so T = end - first), and buy while alive as a Poisson process. BG/NBD: drop out after each repeat purchase
with probability p; MBG/NBD: also right after the first; Pareto/NBD: an exponential lifetime. Spend per
occasion is Gamma(p, nu) with nu ~ Gamma(q, gamma). Returns one row per customer with frequency, recency,
age (weeks) and monetary_value (mean of the repeat occasions; NaN when x = 0), as scoring expects.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def simulate(
    model: str,
    params: dict[str, float],
    n: int,
    *,
    seed: int = 0,
    spread_weeks: float = 52.0,
    end_weeks: float = 104.0,
    gamma_gamma: dict[str, float] | None = None,
    day_resolution: bool = True,
) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    first = rng.uniform(0, spread_weeks, n)
    if day_resolution:
        first = np.floor(first * 7) / 7
    T = end_weeks - first
    lam = rng.gamma(params["r"], 1.0 / params["alpha"], n)
    if model == "paretonbd":
        mu = rng.gamma(params["s"], 1.0 / params["beta"], n)
        alive_for = np.minimum(rng.exponential(1.0 / mu), T)
        x = rng.poisson(lam * alive_for)
        t_x = np.where(x > 0, alive_for * rng.beta(np.maximum(x, 1), 1.0), 0.0)
    else:
        p = rng.beta(params["a"], params["b"], n)
        events = rng.poisson(lam * T)  # repeat purchases a customer who never left would make in (0, T]
        drops_after = rng.geometric(p) - (1 if model == "mbgnbd" else 0)  # repeat purchases before leaving
        x = np.minimum(events, drops_after)
        rep = x > 0
        t_x = np.zeros(n)
        t_x[rep] = T[rep] * rng.beta(x[rep], events[rep] - x[rep] + 1)  # the x-th of `events` uniform times
    if day_resolution:
        t_x = np.minimum(np.floor(t_x * 7) / 7, T)
    gg = gamma_gamma or {"p": 6.0, "q": 3.5, "gamma": 15.0}
    nu = rng.gamma(gg["q"], 1.0 / gg["gamma"], n)
    xs = np.maximum(x, 1)
    m = np.where(x > 0, rng.gamma(gg["p"] * xs, 1.0 / (xs * nu)), np.nan)
    return pd.DataFrame(
        {
            "customer_id": [f"C{i:07d}" for i in range(n)],
            "frequency": x.astype(np.int64),
            "recency": t_x,
            "age": T,
            "monetary_value": m,
        }
    )
