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
from scipy.special import gammaln, psi

from ._common import ClvFitError, as_float_array, maximize_log_likelihood

PARAM_NAMES = ("p", "q", "gamma")

# |corr(x, m_x)| above this is reported as a warning: the independence assumption looks doubtful.
CORRELATION_WARNING = 0.3


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
    warnings: list[str] = field(default_factory=list)


def _ll_terms(theta: np.ndarray, x: np.ndarray, m: np.ndarray, log_m: np.ndarray, log_x: np.ndarray, grad: bool):
    p, q, g = theta
    px = p * x
    log_gm = np.log(g + m * x)
    ll = (
        gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(g) + (px - 1.0) * log_m + px * log_x - (px + q) * log_gm
    )
    if not grad:
        return ll, None
    psi_pxq = psi(px + q)
    d_p = x * (psi_pxq - psi(px) + log_m + log_x - log_gm)
    d_q = psi_pxq - psi(q) + np.log(g) - log_gm
    d_g = q / g - (px + q) / (g + m * x)
    return ll, np.vstack([d_p, d_q, d_g])


def fit(x, m_x, *, min_customers: int = 20) -> GammaGammaFit:
    """Fit (p, q, gamma) on the customers with x > 0; m_x of those must be finite and > 0."""
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
    log_theta, fun, iters, warnings = maximize_log_likelihood(objective, x0, "Gamma-Gamma", PARAM_NAMES)
    params = GammaGammaParams(*(float(v) for v in np.exp(log_theta)))
    if params.q <= 1.0:
        raise ClvFitError(
            f"Gamma-Gamma: fitted q = {params.q:.4g} <= 1, so the mean value per occasion is "
            "infinite (spend too heavy-tailed for this model)"
        )
    corr = float(np.corrcoef(x, m)[0, 1]) if n > 2 and np.std(x) > 0 and np.std(m) > 0 else float("nan")
    if np.isfinite(corr) and abs(corr) > CORRELATION_WARNING:
        warnings.append(
            f"Gamma-Gamma: frequency and value per occasion are correlated (r = {corr:.2f}); the "
            "model assumes independence"
        )
    return GammaGammaFit(
        params=params,
        log_likelihood=float(-fun * n),
        customers=n,
        frequency_value_correlation=corr,
        iterations=iters,
        warnings=warnings,
    )


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
