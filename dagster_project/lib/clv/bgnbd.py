"""BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005, "Counting your customers the easy way").

Each customer is summarised by (x, t_x, T) in one time unit (weeks in the paper):
x = number of repeat occasions, t_x = time of the last occasion since the first, T = time from the
first occasion to the end of the calibration period.

While alive a customer buys as a Poisson process with rate lambda ~ Gamma(r, alpha); after every
repeat occasion they drop out with probability p ~ Beta(a, b).

Individual likelihood (paper eq. 6):
    L = B(a, b+x)/B(a, b) * G(r+x) alpha^r / (G(r) (alpha+T)^(r+x))
      + [x > 0] B(a+1, b+x-1)/B(a, b) * G(r+x) alpha^r / (G(r) (alpha+t_x)^(r+x))
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.special import betaln, expit, gammaln, hyp2f1, psi

from ._common import ClvFitError, check_rft, compress_rows, maximize_log_likelihood

PARAM_NAMES = ("r", "alpha", "a", "b")


@dataclass(frozen=True)
class BgNbdParams:
    r: float
    alpha: float
    a: float
    b: float

    def as_dict(self) -> dict[str, float]:
        return {"r": self.r, "alpha": self.alpha, "a": self.a, "b": self.b}

    def p_alive(self, x, t_x, T) -> np.ndarray:
        return p_alive(self, x, t_x, T)

    def conditional_expected_occasions(self, t, x, t_x, T) -> np.ndarray:
        return conditional_expected_occasions(self, t, x, t_x, T)

    def expected_occasions(self, t) -> np.ndarray:
        return expected_occasions(self, t)


@dataclass(frozen=True)
class BgNbdFit:
    params: BgNbdParams
    log_likelihood: float  # total, in the fitted time unit
    customers: int
    repeat_customers: int
    distinct_rows: int  # (x, t_x, T) rows after compressing identical customers
    iterations: int
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------
# Likelihood


def _ll_terms(theta: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray, grad: bool):
    """Per-row log-likelihood and (optionally) its gradient w.r.t. (r, alpha, a, b)."""
    r, alpha, a, b = theta
    rep = x > 0
    xs = np.where(rep, x, 1.0)  # safe x for the repeat-only term
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha) - betaln(a, b)
    log_aT = np.log(alpha + T)
    log_at = np.log(alpha + t_x)
    b_term = betaln(a, b + x) - (r + x) * log_aT
    c_term = np.where(rep, betaln(a + 1, b + xs - 1) - (r + x) * log_at, -np.inf)
    mx = np.maximum(b_term, c_term)
    lse = mx + np.log(np.exp(b_term - mx) + np.exp(c_term - mx))
    ll = a1 + lse
    if not grad:
        return ll, None
    w = np.exp(c_term - lse)  # share of the "dropped out after the last occasion" term; 0 when x = 0
    wb = 1.0 - w
    psi_ab = psi(a + b)
    psi_abx = psi(a + b + x)
    d_r = psi(r + x) - psi(r) + np.log(alpha) - wb * log_aT - w * log_at
    d_alpha = r / alpha - wb * (r + x) / (alpha + T) - w * (r + x) / (alpha + t_x)
    d_a = -(psi(a) - psi_ab) + wb * (psi(a) - psi_abx) + w * (psi(a + 1) - psi_abx)
    d_b = -(psi(b) - psi_ab) + wb * (psi(b + x) - psi_abx) + w * np.where(rep, psi(b + xs - 1) - psi_abx, 0.0)
    return ll, np.vstack([d_r, d_alpha, d_a, d_b])


def log_likelihood(params: BgNbdParams, x, t_x, T) -> np.ndarray:
    """Per-customer log-likelihood."""
    x, t_x, T = check_rft(x, t_x, T)
    theta = np.array([params.r, params.alpha, params.a, params.b], dtype=float)
    return _ll_terms(theta, x, t_x, T, grad=False)[0]


def fit(x, t_x, T, *, min_customers: int = 50, min_repeat_customers: int = 10) -> BgNbdFit:
    """Maximum-likelihood fit of (r, alpha, a, b).

    Identical (x, t_x, T) rows are collapsed into weighted rows first, so the cost depends on the number
    of distinct rows, not customers. Raises ClvFitError on too little data or a failed optimisation.
    """
    x, t_x, T = check_rft(x, t_x, T)
    n = x.shape[0]
    n_rep = int(np.count_nonzero(x > 0))
    if n < min_customers:
        raise ClvFitError(f"BG/NBD needs at least {min_customers} customers; got {n}")
    if n_rep < min_repeat_customers:
        raise ClvFitError(
            f"BG/NBD needs at least {min_repeat_customers} customers with a repeat occasion; got {n_rep} of {n}"
        )
    (ux, ut, uT), wts, _ = compress_rows(x, t_x, T)
    total = wts.sum()

    def objective(log_theta):
        theta = np.exp(log_theta)
        ll, g = _ll_terms(theta, ux, ut, uT, grad=True)
        val = -(wts @ ll) / total
        gr = -(g @ wts) / total * theta  # chain rule for log-parameters
        if not np.isfinite(val):
            return np.inf, np.zeros_like(log_theta)
        return val, gr

    # Start: rate r/alpha near the observed repeat rate, a = b = 1.
    rate = max(x.sum() / max(T.sum(), 1e-12), 1e-6)
    x0 = np.log(np.array([1.0, 1.0 / rate, 1.0, 1.0]))
    log_theta, fun, iters, warnings = maximize_log_likelihood(objective, x0, "BG/NBD", PARAM_NAMES)
    theta = np.exp(log_theta)
    if not np.all(np.isfinite(theta)):
        raise ClvFitError(f"BG/NBD: non-finite parameters {theta}")
    params = BgNbdParams(*(float(v) for v in theta))
    return BgNbdFit(
        params=params,
        log_likelihood=float(-fun * total),
        customers=n,
        repeat_customers=n_rep,
        distinct_rows=int(ux.shape[0]),
        iterations=iters,
        warnings=warnings,
    )


# ---------------------------------------------------------------------------------------------------
# Predictions


def p_alive(params: BgNbdParams, x, t_x, T) -> np.ndarray:
    """P(alive | x, t_x, T) = 1 / (1 + [x > 0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)); 1 when x = 0."""
    x, t_x, T = check_rft(x, t_x, T)
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    rep = x > 0
    xs = np.where(rep, x, 1.0)
    log_odds = np.log(a) - np.log(b + xs - 1) + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
    return np.where(rep, expit(-log_odds), 1.0)


def _a_safe(a: float) -> float:
    # The closed forms divide by (a - 1); at a == 1 exactly use a neighbouring value (the limit is smooth).
    return a if abs(a - 1.0) > 1e-7 else 1.0 + 1e-7


def conditional_expected_occasions(params: BgNbdParams, t, x, t_x, T) -> np.ndarray:
    """E[Y(t) | x, t_x, T]: expected occasions in the next t time units (paper eq. 10).

        (a+b+x-1)/(a-1) * [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z)] * P(alive),
        z = t / (alpha+T+t).
    Evaluated through Euler's transformation 2F1(A,B;C;z) = (1-z)^(C-A-B) 2F1(C-A, C-B; C; z), which
    keeps the terms bounded for large x:  1 - (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z).
    """
    x, t_x, T = check_rft(x, t_x, T)
    t = np.broadcast_to(np.asarray(t, dtype=float), x.shape)
    if np.any(t < 0):
        raise ValueError("prediction horizon t must be >= 0")
    r, alpha, b = params.r, params.alpha, params.b
    a = _a_safe(params.a)
    one_minus_z = (alpha + T) / (alpha + T + t)
    z = t / (alpha + T + t)
    bracket = 1.0 - one_minus_z ** (a - 1.0) * hyp2f1(a + b - 1.0 - r, a - 1.0, a + b + x - 1.0, z)
    return (a + b + x - 1.0) / (a - 1.0) * bracket * p_alive(params, x, t_x, T)


def expected_occasions(params: BgNbdParams, t) -> np.ndarray:
    """Unconditional E[X(t)] for a customer who made the first purchase t time units ago (paper eq. 7)."""
    t = np.asarray(t, dtype=float)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    r, alpha, b = params.r, params.alpha, params.b
    a = _a_safe(params.a)
    one_minus_z = alpha / (alpha + t)
    z = t / (alpha + t)
    return (
        (a + b - 1.0) / (a - 1.0) * (1.0 - one_minus_z ** (a - 1.0) * hyp2f1(a + b - 1.0 - r, a - 1.0, a + b - 1.0, z))
    )
