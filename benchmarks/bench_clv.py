"""Benchmark the customer-value model on simulated customers (not a test).

    .venv/bin/python benchmarks/bench_clv.py [--customers 1000000] [--sample 250000]

Simulates customers from known BG/NBD (and Pareto/NBD) parameters in weeks with Gamma-Gamma spend (first
purchases spread over a year, observed for two, day resolution), then prints: each purchase model's fit time on
all customers (targets: <= 8 s at 1M), the Gamma-Gamma fit, scoring every customer with p_alive, the chance of
no purchase in 90 days, expected purchases, the median wait and the 12-month CLV with its 90% interval
(target <= 3 s at 1M), and the parameters of a fit on a repeatable sample next to the full fit.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dagster_project.lib.clv import purchase, scoring, workflow  # noqa: E402
from dagster_project.lib.clv.simulate import simulate  # noqa: E402

TRUE = {
    "bgnbd": {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5},
    "paretonbd": {"r": 0.55, "alpha": 10.0, "s": 0.6, "beta": 12.0},
}


class Seconds(float):
    """Wall seconds that print with the CPU seconds beside them (the machine is shared: both tell the story)."""

    cpu: float = 0.0

    def __format__(self, spec: str) -> str:
        return f"{format(float(self), spec)} ({self.cpu:4.1f} cpu)"


def timed(fn, *args, **kwargs):
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn(*args, **kwargs)
    secs = Seconds(time.perf_counter() - t0)
    secs.cpu = time.process_time() - c0
    return out, secs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--sample", type=int, default=250_000, help="repeatable sample size for the side-by-side fit")
    args = ap.parse_args()

    print(f"{'step':<44} {'wall s':>8} (cpu s)  result")
    fits = {}
    for truth_model, truth in TRUE.items():
        sim, secs = timed(simulate, truth_model, truth, args.customers, seed=7)
        print(
            f"{'simulate ' + truth_model + ' customers':<44} {secs:8.2f}  {len(sim):,} ({(sim.frequency > 0).mean():.0%} repeat)"
        )
        x, t_x, T = (sim[c].to_numpy(float) for c in ("frequency", "recency", "age"))
        for model in purchase.MODELS:
            fit, secs = timed(purchase.fit, model, x, t_x, T)
            fits[(truth_model, model)] = (fit, secs)
            params = ", ".join(f"{k} {v:.3f}" for k, v in fit.params.items())
            print(
                f"{'  fit ' + model:<44} {secs:8.2f}  {params}; {fit.distinct_rows:,} distinct rows; LL {fit.log_likelihood:,.0f}"
            )
        value, secs = timed(scoring.choose_value_model, sim["frequency"], sim["monetary_value"], max_correlation=0.3)
        gg = value.gamma_gamma.params.as_dict() if value.gamma_gamma else {}
        print(f"{'  fit gamma_gamma':<44} {secs:8.2f}  " + ", ".join(f"{k} {v:.3f}" for k, v in gg.items()))
        for model in purchase.MODELS:
            scores, secs = timed(scoring.score_customers, sim, fits[(truth_model, model)][0], value)
            print(
                f"{'  score with intervals, ' + model:<44} {secs:8.2f}  total clv_12m {scores.clv_12m.sum():,.0f} "
                f"[{scores.clv_12m_low.sum():,.0f}, {scores.clv_12m_high.sum():,.0f}]; "
                f"median wait known for {scores.expected_days_to_next_purchase.notna().mean():.0%}"
            )
        sample = workflow.sample_customers(sim, args.sample)
        fit_s, secs = timed(
            purchase.fit, truth_model, *(sample[c].to_numpy(float) for c in ("frequency", "recency", "age"))
        )
        full = fits[(truth_model, truth_model)][0]
        print(
            f"{'  fit ' + truth_model + f' on a sample of {len(sample):,}':<44} {secs:8.2f}  side by side (true / full / sample):"
        )
        for k in full.params:
            print(
                f"{'':<56}{k:>6} {truth[k]:8.3f} {full.params[k]:8.3f} {fit_s.params[k]:8.3f} (se {fit_s.std_errors[k]:.3f})"
            )


if __name__ == "__main__":
    main()
