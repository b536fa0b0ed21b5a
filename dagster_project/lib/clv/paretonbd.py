"""Pareto/NBD (Schmittlein, Morrison & Colombo 1987; likelihood as in Fader & Hardie 2005, "A Note on
Deriving the Pareto/NBD Model and Related Expressions").

While alive a customer buys as a Poisson process with rate lambda ~ Gamma(r, alpha); the lifetime is
exponential with rate mu ~ Gamma(s, beta), so a customer can leave at any time, also before buying again.
In weeks since the first purchase:

    L = G(r+x) alpha^r beta^s / G(r) * [ (alpha+T)^-(r+x) (beta+T)^-s + s (G_x(t_x) - G_x(T)) ],
    G_x(u) = integral_u^inf (alpha+y)^-(r+x) (beta+y)^-(s+1) dy
           = (m+u)^-(r+s+x) / (r+s+x) * 2F1(.; r+s+x+1; |alpha-beta|/(m+u)),  m = max(alpha, beta),

the closed form of the note's A0. G_x is computed once per distinct (x, t_x) and (x, T) pair. Gradient:
analytic except dG/dr and dG/ds (central differences of log G on those pairs); checked against finite
differences of the likelihood, itself checked against direct integration.
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammaln, hyp2f1, psi

from ._common import Compressed

PARAM_NAMES = ("r", "alpha", "s", "beta")
_GRAD_STEP = 1e-5


def log_tail(p, q, A, B, u):
    """log of integral_u^inf (A+y)^-p (B+y)^-q dy (p + q > 1), through Euler's integral for 2F1."""
    p, q, A, B, u = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (p, q, A, B, u)))
    a_big = A >= B
    m = np.where(a_big, A, B)
    z = np.abs(A - B) / (m + u)
    first = np.where(a_big, q, p)
    c = p + q
    return (1.0 - c) * np.log(m + u) - np.log(c - 1.0) + np.log(hyp2f1(first, c - 1.0, c, z))


class _Pairs:
    """Distinct (x, t_x) and (x, T) pairs of a compressed data set, computed once per fit."""

    def __init__(self, d: Compressed):
        nt, nT = d.ut.shape[0], d.uT.shape[0]
        code_t, inv_t = np.unique(d.xi.astype(np.int64) * nt + d.ti, return_inverse=True)
        code_T, inv_T = np.unique(d.xi.astype(np.int64) * nT + d.Ti, return_inverse=True)
        self.x_t, self.u_t, self.inv_t = d.ux[code_t // nt], d.ut[code_t % nt], inv_t.reshape(-1)
        self.x_T, self.u_T, self.inv_T = d.ux[code_T // nT], d.uT[code_T % nT], inv_T.reshape(-1)


def _row_terms(theta: np.ndarray, x, t_x, T, log_g_t, log_g_T):
    """(log of the 'alive at T' term, log of the bracket) per row."""
    r, alpha, s, beta = theta
    log_t1 = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
    with np.errstate(divide="ignore"):
        log_a = log_g_t + np.log1p(-np.minimum(np.exp(log_g_T - log_g_t), 1.0))
    return log_t1, np.logaddexp(log_t1, np.log(s) + log_a)


def _total(theta: np.ndarray, d: Compressed, pairs: _Pairs) -> float:
    r, alpha, s, beta = theta
    log_g_t = log_tail(r + pairs.x_t, s + 1.0, alpha, beta, pairs.u_t)[pairs.inv_t]
    log_g_T = log_tail(r + pairs.x_T, s + 1.0, alpha, beta, pairs.u_T)[pairs.inv_T]
    _, log_bracket = _row_terms(theta, d.x, d.t_x, d.T, log_g_t, log_g_T)
    head = gammaln(r + d.ux) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
    return float(d.weight @ (head[d.xi] + log_bracket))


def _log_g(theta: np.ndarray, x, u, shift_p: float = 0.0, shift_q: float = 0.0):
    """log G_x(u) (shift_p / shift_q raise the exponents of (alpha+y) / (beta+y) by one: for d/dalpha, d/dbeta)."""
    r, alpha, s, beta = theta
    return log_tail(r + x + shift_p, s + 1.0 + shift_q, alpha, beta, u)


def _dlog_g(theta: np.ndarray, x, u) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """log G_x(u) and its derivatives in (r, alpha, s, beta): alpha and beta in closed form
    (dG/dalpha = -(r+x) G with the (alpha+y) exponent raised by one, likewise beta), r and s by central
    differences of log G (relative step 1e-5)."""
    r, alpha, s, beta = theta
    lg = _log_g(theta, x, u)
    d_alpha = -(r + x) * np.exp(_log_g(theta, x, u, shift_p=1.0) - lg)
    d_beta = -(s + 1.0) * np.exp(_log_g(theta, x, u, shift_q=1.0) - lg)
    out = []
    for j in (0, 2):
        h = theta[j] * _GRAD_STEP
        up, down = theta.copy(), theta.copy()
        up[j] += h
        down[j] -= h
        out.append((_log_g(up, x, u) - _log_g(down, x, u)) / (2 * h))
    return lg, out[0], d_alpha, out[1], d_beta


def make_log_likelihood(d: Compressed):
    """log_likelihood(theta, grad) -> (total, gradient in theta) for this data set."""
    pairs = _Pairs(d)

    def log_likelihood(theta: np.ndarray, grad: bool):
        theta = np.asarray(theta, dtype=float)
        if not grad:
            return _total(theta, d, pairs), None
        r, alpha, s, beta = theta
        gt = [v[pairs.inv_t] for v in _dlog_g(theta, pairs.x_t, pairs.u_t)]
        gT = [v[pairs.inv_T] for v in _dlog_g(theta, pairs.x_T, pairs.u_T)]
        log_t1, lb = _row_terms(theta, d.x, d.t_x, d.T, gt[0], gT[0])
        head = gammaln(r + d.ux) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
        total = float(d.weight @ (head[d.xi] + lb))
        w1 = np.exp(log_t1 - lb)  # share of the "alive at T" term (= P(alive))
        wt = np.exp(np.log(s) + gt[0] - lb)
        wT = np.exp(np.log(s) + gT[0] - lb)
        rx = r + d.x
        d_r = (psi(r + d.ux) - psi(r))[d.xi] + np.log(alpha) - w1 * np.log(alpha + d.T) + wt * gt[1] - wT * gT[1]
        d_alpha = r / alpha - w1 * rx / (alpha + d.T) + wt * gt[2] - wT * gT[2]
        d_s = np.log(beta) - w1 * np.log(beta + d.T) + (1.0 - w1) / s + wt * gt[3] - wT * gT[3]
        d_beta = s / beta - w1 * s / (beta + d.T) + wt * gt[4] - wT * gT[4]
        g = np.array([d.weight @ v for v in (d_r, d_alpha, d_s, d_beta)])
        return total, g

    return log_likelihood


def start(d: Compressed) -> np.ndarray:
    rate = max(float(d.weight @ d.x) / max(float(d.weight @ d.T), 1e-12), 1e-6)
    return np.log(np.array([1.0, 1.0 / rate, 1.0, float(np.mean(d.uT))]))


def p_alive(theta: np.ndarray, x, t_x, T) -> np.ndarray:
    """P(alive | x, t_x, T) = ((alpha+T)^-(r+x) (beta+T)^-s) / bracket (see the module docstring)."""
    r, alpha, s, beta = theta
    x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
    log_g_t = log_tail(r + x, s + 1.0, alpha, beta, t_x)
    log_g_T = log_tail(r + x, s + 1.0, alpha, beta, T)
    log_t1, log_bracket = _row_terms(theta, x, t_x, T, log_g_t, log_g_T)
    return np.exp(log_t1 - log_bracket)


def alive_occasions(theta: np.ndarray, t, x, T) -> np.ndarray:
    """E[Y(t) | alive, x, T] = (r+x)(beta+T) / ((alpha+T)(s-1)) * [1 - ((beta+T)/(beta+T+t))^(s-1)]
    (the note's eq. 19 without P(alive); its s -> 1 limit is (r+x)(beta+T)/(alpha+T) log((beta+T+t)/(beta+T)))."""
    r, alpha, s, beta = theta
    x, T, t = (np.asarray(v, dtype=float) for v in (x, T, t))
    log_rho = np.log(beta + T) - np.log(beta + T + t)
    factor = -log_rho if abs(s - 1.0) < 1e-8 else -np.expm1((s - 1.0) * log_rho) / (s - 1.0)
    return (r + x) * (beta + T) / (alpha + T) * factor


def _purchase_within(theta: np.ndarray, t, x, T) -> np.ndarray:
    """P(at least one purchase in the next t weeks | alive now). Given alive, lambda ~ Gamma(r+x, alpha+T) and
    mu ~ Gamma(s, beta+T); the first purchase comes before the drop-out with sub-density
    k A^k B^s (A+y)^-(k+1) (B+y)^-s, k = r+x, A = alpha+T, B = beta+T, integrated over (0, t]."""
    r, alpha, s, beta = theta
    x, T, t = (np.asarray(v, dtype=float) for v in (x, T, t))
    k, A, B = r + x, alpha + T, beta + T
    log_c = np.log(k) + k * np.log(A) + s * np.log(B)
    log_h0 = log_tail(k + 1.0, s, A, B, 0.0)
    with np.errstate(over="ignore"):
        log_ht = np.where(np.isinf(t), -np.inf, log_tail(k + 1.0, s, A, B, np.where(np.isinf(t), 0.0, t)))
    return np.exp(log_c + log_h0) * -np.expm1(np.minimum(log_ht - log_h0, 0.0))


def p_no_purchase_alive(theta: np.ndarray, t, x, T) -> np.ndarray:
    """P(no purchase in the next t weeks | alive now) = 1 - P(purchase before dropping out, within t)."""
    return 1.0 - _purchase_within(theta, t, x, T)


_GRID = np.logspace(-2, 4, 121)  # weeks: 1.7 hours .. 192 years


def median_weeks_to_next(theta: np.ndarray, pa: np.ndarray, x, T) -> np.ndarray:
    """The t with P(purchase within t | history) = pa * P(purchase within t | alive) = 1/2, interpolated in log t on
    a grid of 121 horizons per distinct (x, T). NaN when the customer more likely never buys again
    (pa * P(purchase ever | alive) <= 1/2) or the median lies beyond 10,000 weeks."""
    x, T = np.asarray(x, dtype=float), np.asarray(T, dtype=float)
    pa = np.asarray(pa, dtype=float)
    target = 0.5 / np.maximum(pa, 1e-300)
    code_x, xi = np.unique(x, return_inverse=True)
    code_T, Ti = np.unique(T, return_inverse=True)
    pair_code, inv = np.unique(xi.reshape(-1).astype(np.int64) * code_T.shape[0] + Ti.reshape(-1), return_inverse=True)
    px, pT = code_x[pair_code // code_T.shape[0]], code_T[pair_code % code_T.shape[0]]
    curve = _purchase_within(theta, _GRID[None, :], px[:, None], pT[:, None])  # pairs x grid, increasing
    rows = curve[inv.reshape(-1)]
    k_raw = np.sum(rows < target[:, None], axis=1)
    ok = (k_raw > 0) & (k_raw < _GRID.shape[0])
    k = np.clip(k_raw, 1, _GRID.shape[0] - 1)
    lo, hi = rows[np.arange(rows.shape[0]), k - 1], rows[np.arange(rows.shape[0]), k]
    frac = np.clip((target - lo) / np.where(hi > lo, hi - lo, 1.0), 0.0, 1.0)
    log_t = np.log(_GRID[k - 1]) + frac * (np.log(_GRID[k]) - np.log(_GRID[k - 1]))
    return np.where(ok, np.exp(log_t), np.where(k_raw == 0, _GRID[0], np.nan)).reshape(x.shape)
