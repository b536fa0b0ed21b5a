"""Gamma-Gamma model of spend per occasion (Fader, Hardie & Lee 2005 "RFM and CLV"; Fader & Hardie 2013
note "The Gamma-Gamma Model of Monetary Value").

A customer's occasion values z_i ~ Gamma(p, nu) with nu ~ Gamma(q, gamma) across customers. The model is
fitted on customers with x > 0 repeat occasions from their mean repeat-occasion value m_x:

    L(p, q, gamma | m_x, x) = G(px+q) / (G(px) G(q)) * gamma^q m_x^(px-1) x^(px) / (gamma + m_x x)^(px+q)

It assumes spend per occasion is independent of the number of occasions; `fit` reports the Pearson
correlation between x and m_x so that assumption can be checked (the CDNOW note reports 0.11).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import gammaln, psi

from ._common import ClvFitError, as_float_array, laplace_covariance, maximize_log_likelihood, numeric_hessian

PARAM_NAMES = ("p", "q", "gamma")


@dataclass(frozen=True)
class GammaGammaParams:
    p: float
    q: float
    gamma: float

    def as_dict(self) -> dict[str, float]:
        return {"p": self.p, "q": self.q, "gamma": self.gamma}

    @property
    def population_mean(self) -> float:
        """E[Z] = p gamma / (q - 1): expected value per occasion of a customer with no repeat history."""
        return self.p * self.gamma / (self.q - 1.0)

    def conditional_expected_value(self, x, m_x) -> np.ndarray:
        return conditional_expected_value(self, x, m_x)


@dataclass(frozen=True)
class GammaGammaFit:
    params: GammaGammaParams
    log_likelihood: float
    customers: int  # customers with x > 0 used in the fit
    frequency_value_correlation: float  # Pearson corr(x, m_x) over those customers
    iterations: int
    covariance: np.ndarray | None = None  # of the log-parameters (Laplace)
    at_bound: list[str] = field(default_factory=list)

    @property
    def std_errors(self) -> dict[str, float]:
        if self.covariance is None:
            return {n: float("nan") for n in PARAM_NAMES}
        sd = np.sqrt(np.diag(self.covariance))
        return {n: float(v * s) for n, v, s in zip(PARAM_NAMES, self.params.as_dict().values(), sd, strict=True)}


def _ll_terms(theta: np.ndarray, x: np.ndarray, m: np.ndarray, log_m: np.ndarray, log_x: np.ndarray, grad: bool):
    """Per-customer log-likelihood and gradient; gamma functions once per distinct x."""
    p, q, g = theta
    xi, ux = pd.factorize(x)
    pux = p * ux
    px = p * x
    log_gm = np.log(g + m * x)
    ll = (gammaln(pux + q) - gammaln(pux) - gammaln(q))[xi] + q * np.log(g) + (px - 1.0) * log_m + px * log_x
    ll = ll - (px + q) * log_gm
    if not grad:
        return ll, None
    psi_pxq = psi(pux + q)[xi]
    d_p = x * (psi_pxq - psi(pux)[xi] + log_m + log_x - log_gm)
    d_q = psi_pxq - psi(q) + np.log(g) - log_gm
    d_g = q / g - (px + q) / (g + m * x)
    return ll, np.vstack([d_p, d_q, d_g])


def fit(x, m_x, *, min_customers: int = 20) -> GammaGammaFit:
    """Fit (p, q, gamma) on the customers with x > 0.

    Parameters
    ----------
    x : array of int
        Repeat purchase occasions per customer (customers with x = 0 are ignored).
    m_x : array of float
        Mean value of the repeat occasions, in the currency of the orders; finite and > 0 where x > 0.

    Raises ClvFitError on too few repeat customers, invalid m_x, no convergence, or q <= 1 (infinite mean).
    """
    x = as_float_array("frequency (x)", x)
    m_x = np.asarray(m_x, dtype=float).reshape(-1)
    if x.shape != m_x.shape:
        raise ClvFitError(f"x and m_x differ in length: {x.shape[0]} and {m_x.shape[0]}")
    rep = x > 0
    x, m = x[rep], m_x[rep]
    n = int(x.shape[0])
    if n < min_customers:
        raise ClvFitError(f"Gamma-Gamma needs at least {min_customers} customers with a repeat occasion; got {n}")
    bad = ~np.isfinite(m) | (m <= 0)
    if np.any(bad):
        raise ClvFitError(
            f"Gamma-Gamma needs a positive mean repeat-occasion value; {int(bad.sum())} of {n} "
            "repeat customers have m_x <= 0 or missing (exclude them before fitting)"
        )
    log_m, log_x = np.log(m), np.log(x)

    def objective(log_theta):
        theta = np.exp(log_theta)
        ll, g = _ll_terms(theta, x, m, log_m, log_x, grad=True)
        val = -ll.mean()
        if not np.isfinite(val):
            return np.inf, np.zeros_like(log_theta)
        return val, -g.mean(axis=1) * theta

    # Start from moment-ish values: p = 1, q = 2, gamma = mean spend (so E[Z] = mean spend).
    x0 = np.log(np.array([1.0, 2.0, float(np.mean(m))]))
    log_theta, fun, iters, at_bound = maximize_log_likelihood(objective, x0, "Gamma-Gamma", PARAM_NAMES)
    params = GammaGammaParams(*(float(v) for v in np.exp(log_theta)))
    with np.errstate(all="ignore"):
        cov = None if at_bound else laplace_covariance(numeric_hessian(lambda v: objective(v)[1] * n, log_theta))
    if params.q <= 1.0:
        raise ClvFitError(
            f"Gamma-Gamma: fitted q = {params.q:.4g} <= 1, so the mean value per occasion is "
            "infinite (spend too heavy-tailed for this model)"
        )
    return GammaGammaFit(
        params=params,
        log_likelihood=float(-fun * n),
        customers=n,
        frequency_value_correlation=frequency_value_correlation(x, m),
        iterations=iters,
        covariance=cov,
        at_bound=at_bound,
    )


def frequency_value_correlation(x, m_x) -> float:
    """Pearson correlation of x and m_x over customers with x > 0 and m_x > 0 (NaN when undefined). Gamma-Gamma
    assumes spend per occasion is independent of frequency; a large |correlation| says it is not."""
    x = np.asarray(x, dtype=float)
    m = np.asarray(m_x, dtype=float)
    keep = (x > 0) & np.isfinite(m) & (m > 0)
    x, m = x[keep], m[keep]
    if x.shape[0] < 3 or np.std(x) == 0 or np.std(m) == 0:
        return float("nan")
    return float(np.corrcoef(x, m)[0, 1])


def shrunk_mean_value(x, m_x) -> tuple[np.ndarray, float, float]:
    """Value per occasion without a spend model: each customer's mean shrunk toward the population mean.

        value = (x m_x + k mean) / (x + k),  mean = sum(x m_x) / sum(x) over repeat customers with m_x > 0,

    k = sigma_within^2 / sigma_between^2 from Var(m_x | x) = sigma_between^2 + sigma_within^2 / x, fitted by
    least squares over x = 1..10 (k clipped to [0.5, 50]; 2 when that cannot be estimated). x = 0 (or
    m_x <= 0) customers get the population mean / x m_x counted as 0. Returns (values, k, mean).
    """
    x = np.asarray(x, dtype=float)
    m = np.where((x > 0) & np.isfinite(np.asarray(m_x, dtype=float)), np.asarray(m_x, dtype=float), 0.0)
    m = np.maximum(m, 0.0)
    pos = (x > 0) & (m > 0)
    if not pos.any():
        raise ClvFitError("no repeat customer with a positive mean repeat value: value per occasion unknown")
    mean = float((x[pos] * m[pos]).sum() / x[pos].sum())
    k = 2.0
    xs, vs, ws = [], [], []
    for f in range(1, 11):
        grp = m[pos & (x == f)]
        if grp.shape[0] >= 5:
            xs.append(1.0 / f)
            vs.append(float(np.var(grp, ddof=1)))
            ws.append(float(grp.shape[0]))
    if len(xs) >= 2:
        between, within = np.polyfit(xs, vs, 1, w=np.sqrt(ws))[::-1]
        if between > 0 and within > 0:
            k = float(np.clip(within / between, 0.5, 50.0))
    return (x * m + k * mean) / (x + k), k, mean


def conditional_expected_value(params: GammaGammaParams, x, m_x) -> np.ndarray:
    """E[Z | x, m_x] = (gamma + m_x x) p / (p x + q - 1): a weighted mean of the population mean
    p gamma/(q-1) and the customer's observed mean m_x. For x = 0 it is the population mean (m_x unused)."""
    x = as_float_array("frequency (x)", x)
    m = np.asarray(m_x, dtype=float).reshape(-1)
    m = np.where(x > 0, m, 0.0)
    if np.any(~np.isfinite(m)):
        raise ClvFitError("m_x is missing for a customer with repeat occasions")
    p, q, g = params.p, params.q, params.gamma
    if q <= 1.0:
        raise ClvFitError(f"Gamma-Gamma q = {q:.4g} <= 1: the expected value per occasion is infinite")
    return (g + m * x) * p / (p * x + q - 1.0)
