"""Score customers with a fitted purchase model and a value model: p_alive, the chance of no purchase in 90
days, expected purchases, the median waiting time to the next purchase, and a 12-month CLV with a 90%
interval from the parameters' uncertainty.

Input (one row per customer): customer_id, frequency (x, repeat purchase days), recency (t_x, weeks),
age (T, weeks), monetary_value (mean value of the repeat days, in the orders' currency; NaN when x = 0).

    clv_12m = E[value per occasion] * sum_{k=1..12} (E[Y(kM)] - E[Y((k-1)M)]) / (1 + d)^k

M = one month (365.25/12 days), d = the monthly discount rate; occasions expected in month k are
discounted by k months. Interval: the delta method on log clv_12m with the Laplace covariance of the
log-parameters of both models (independent fits), clv_12m * exp(-/+ 1.645 sd): a 90% interval for the
expected value given the customer's history (parameter uncertainty, not the customer's own randomness).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import gamma_gamma
from ._common import MONTH_DAYS, WEEK_DAYS, ClvFitError, Compressed, check_columns
from .gamma_gamma import GammaGammaFit
from .purchase import PurchaseFit

RFM_COLUMNS = ("customer_id", "frequency", "recency", "age", "monetary_value")
INTERVAL_LEVEL = 0.90  # the clv_12m_low / clv_12m_high interval (the report states it from here)
Z90 = 1.6448536269514722  # standard normal 95% quantile: a two-sided 90% interval (= INTERVAL_LEVEL)
_STEP = 1e-4  # forward-difference step in the log-parameters


@dataclass(frozen=True)
class ValueModel:
    """Expected value per occasion: Gamma-Gamma, or each customer's shrunk mean when Gamma-Gamma's
    independence assumption does not hold (or it could not be fitted)."""

    method: str  # gamma_gamma | shrunk_mean
    gamma_gamma: GammaGammaFit | None = None
    shrinkage_k: float | None = None
    population_mean: float | None = None
    correlation: float = float("nan")
    reason: str = ""

    def values(self, x: np.ndarray, m: np.ndarray) -> np.ndarray:
        if self.method == "gamma_gamma" and self.gamma_gamma is not None:
            return gamma_gamma.conditional_expected_value(self.gamma_gamma.params, x, m)
        k, mean = float(self.shrinkage_k or 2.0), float(self.population_mean or 0.0)
        return (x * m + k * mean) / (x + k)

    def log_value_gradient(self, x: np.ndarray, m: np.ndarray) -> np.ndarray | None:
        """d log value / d log (p, q, gamma), shape (3, customers); None without Gamma-Gamma."""
        if self.method != "gamma_gamma" or self.gamma_gamma is None:
            return None
        p, q, g = self.gamma_gamma.params.p, self.gamma_gamma.params.q, self.gamma_gamma.params.gamma
        denom = p * x + q - 1.0
        return np.vstack([1.0 - p * x / denom, -q / denom, g / (g + m * x)])


def choose_value_model(x, m_x, *, max_correlation: float) -> ValueModel:
    """Gamma-Gamma when |corr(x, m_x)| <= max_correlation and it fits; else the shrunk mean (reason given)."""
    x = np.asarray(x, dtype=float)
    m = np.asarray(m_x, dtype=float)
    corr = gamma_gamma.frequency_value_correlation(x, m)
    usable = (x > 0) & np.isfinite(m) & (m > 0)
    reason = ""
    if np.isfinite(corr) and abs(corr) > max_correlation:
        reason = (
            f"frequency and value per occasion are correlated (r = {corr:.2f} > {max_correlation:g}): "
            "Gamma-Gamma's independence assumption does not hold"
        )
    else:
        try:
            gg = gamma_gamma.fit(np.where(usable, x, 0.0), np.where(usable, m, np.nan))
            if not gg.at_bound:
                return ValueModel("gamma_gamma", gamma_gamma=gg, correlation=corr)
            reason = f"Gamma-Gamma parameter(s) {', '.join(gg.at_bound)} at the optimizer bound"
        except ClvFitError as e:
            reason = f"Gamma-Gamma not fitted: {e}"
    _, k, mean = gamma_gamma.shrunk_mean_value(x, m)
    return ValueModel("shrunk_mean", shrinkage_k=k, population_mean=mean, correlation=corr, reason=reason)


def _purchase_parts(fit: PurchaseFit, theta: np.ndarray, d: Compressed, pairs, rate: float, months: int):
    """Per distinct row: p_alive, and the discounted purchases expected in `months` months if alive."""
    spec = fit.spec
    px, pT, pinv = pairs
    pa = spec.p_alive(theta, d.x, d.t_x, d.T)
    month = MONTH_DAYS / WEEK_DAYS
    disc = np.zeros(px.shape[0])
    previous = np.zeros(px.shape[0])
    for k in range(1, months + 1):
        cumulative = spec.alive_occasions(theta, k * month, px, pT)
        disc += (cumulative - previous) / (1.0 + rate) ** k
        previous = cumulative
    return pa, disc[pinv]


def score_customers(
    rfm: pd.DataFrame,
    purchase: PurchaseFit,
    value: ValueModel,
    *,
    discount_rate_monthly: float = 0.01,
    months: int = 12,
) -> pd.DataFrame:
    """One row per customer of `rfm` (see the module docstring for units and formulas), ranked by clv_12m
    (value_rank 1 = highest, ties by customer_id). clv_12m_low/high are NaN when a covariance is missing."""
    check_columns(rfm, RFM_COLUMNS, "RFM summary")
    if not 0.0 <= discount_rate_monthly < 1.0:
        raise ValueError(f"monthly discount rate must be in [0, 1); got {discount_rate_monthly}")
    x = rfm["frequency"].to_numpy(dtype=float)
    d = Compressed.of(x, rfm["recency"], rfm["age"])
    pairs = d.pairs_xT()
    px, pT, pinv = pairs
    spec, theta = purchase.spec, purchase.theta
    with np.errstate(all="ignore"):
        pa, disc = _purchase_parts(purchase, theta, d, pairs, discount_rate_monthly, months)
        e90 = pa * spec.alive_occasions(theta, 90.0 / WEEK_DAYS, px, pT)[pinv]
        e365 = pa * spec.alive_occasions(theta, 365.0 / WEEK_DAYS, px, pT)[pinv]
        none90 = 1.0 - pa + pa * spec.p_no_purchase_alive(theta, 90.0 / WEEK_DAYS, px, pT)[pinv]
        median_days = spec.median_weeks_to_next(theta, pa, d.x, d.T) * WEEK_DAYS
    for name, arr in (("p_alive", pa), ("expected occasions", e365), ("discounted occasions", disc)):
        if not np.all(np.isfinite(arr)):
            raise ClvFitError(f"non-finite {name} for {int((~np.isfinite(arr)).sum())} distinct customer row(s)")

    # Parameter uncertainty of the purchase part, per distinct row: forward differences of log(pa * disc).
    var_rows = np.full(d.x.shape[0], np.nan)
    if purchase.covariance is not None:
        base = np.log(pa * disc)
        grads = []
        for j in range(theta.shape[0]):
            shifted = theta * np.exp(_STEP * np.eye(theta.shape[0])[j])
            with np.errstate(all="ignore"):
                pa_j, disc_j = _purchase_parts(purchase, shifted, d, pairs, discount_rate_monthly, months)
            grads.append((np.log(pa_j * disc_j) - base) / _STEP)
        g = np.vstack(grads)
        var_rows = np.einsum("in,ij,jn->n", g, purchase.covariance, g)

    m = rfm["monetary_value"].to_numpy(dtype=float)
    m = np.where((x > 0) & np.isfinite(m), np.maximum(m, 0.0), 0.0)
    per_occasion = value.values(x, m)
    clv = per_occasion * (pa * disc)[d.inverse]
    var = var_rows[d.inverse]
    gv = value.log_value_gradient(x, m)
    if value.method == "gamma_gamma":
        cov_v = value.gamma_gamma.covariance if value.gamma_gamma is not None else None
        var = var + (np.einsum("in,ij,jn->n", gv, cov_v, gv) if cov_v is not None and gv is not None else np.nan)
    sd = np.sqrt(np.maximum(var, 0.0))
    out = pd.DataFrame(
        {
            "customer_id": rfm["customer_id"].to_numpy(),
            "frequency": x.astype(np.int64),
            "recency": rfm["recency"].to_numpy(dtype=float),
            "age": rfm["age"].to_numpy(dtype=float),
            "p_alive": pa[d.inverse],
            "p_no_purchase_90d": np.clip(none90[d.inverse], 0.0, 1.0),
            "expected_occasions_90d": e90[d.inverse],
            "expected_occasions_365d": e365[d.inverse],
            "expected_days_to_next_purchase": median_days[d.inverse],
            "expected_value_per_occasion": per_occasion,
            "clv_12m": clv,
            "clv_12m_low": clv * np.exp(-Z90 * sd),
            "clv_12m_high": clv * np.exp(Z90 * sd),
        }
    )
    ids = out["customer_id"].astype(str)
    # Ties by customer_id: the row position when the input is already in id order (the SQL orders it).
    tie = np.arange(len(out)) if ids.is_monotonic_increasing else pd.factorize(ids, sort=True)[0]
    order = np.lexsort((tie, -out["clv_12m"].to_numpy()))
    rank = np.empty(len(out), dtype=np.int64)
    rank[order] = np.arange(1, len(out) + 1)
    out["value_rank"] = rank
    return out
