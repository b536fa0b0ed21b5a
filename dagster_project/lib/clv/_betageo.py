"""The beta-geometric family: BG/NBD (Fader, Hardie & Lee 2005) and MBG/NBD (Batislam, Denizel & Filiztekin
2007) share every formula up to one shift.

While alive a customer buys as a Poisson process with rate lambda ~ Gamma(r, alpha) (per week); they drop out
with probability p ~ Beta(a, b) right after a repeat purchase (BG/NBD, shift 0) or also right after the first
purchase (MBG/NBD, shift 1, so a one-time buyer can have left). With s = shift:

    L = B(a, b+x+s)/B(a, b) * G(r+x) alpha^r / (G(r) (alpha+T)^(r+x))
      + [x > 0 or s = 1] B(a+1, b+x+s-1)/B(a, b) * G(r+x) alpha^r / (G(r) (alpha+t_x)^(r+x))

x = repeat purchases, t_x = time of the last purchase, T = age, all in weeks since the first purchase.
"""

from __future__ import annotations

import numpy as np
from scipy.special import betaln, expit, gammaln, hyp2f1, psi

from ._common import Compressed

PARAM_NAMES = ("r", "alpha", "a", "b")


def log_likelihood(theta: np.ndarray, d: Compressed, shift: int, grad: bool):
    """Total log-likelihood over the compressed rows (weights = customers) and its gradient in (r, alpha, a, b).

    Special functions are evaluated once per distinct x, t_x and T and indexed per row.
    """
    r, alpha, a, b = theta
    X = d.ux
    has_c = (X > 0) | (shift == 1)
    Xs = np.where(has_c, X, 1.0)
    # per distinct x
    head = gammaln(r + X) - gammaln(r) + r * np.log(alpha) - betaln(a, b)
    b_x = betaln(a, b + X + shift)
    c_x = np.where(has_c, betaln(a + 1, b + Xs + shift - 1), -np.inf)
    laT = np.log(alpha + d.uT)[d.Ti]
    lat = np.log(alpha + d.ut)[d.ti]
    rx = r + d.x
    b_term = b_x[d.xi] - rx * laT
    c_term = c_x[d.xi] - rx * lat
    mx = np.maximum(b_term, c_term)
    lse = mx + np.log(np.exp(b_term - mx) + np.exp(c_term - mx))
    ll = head[d.xi] + lse
    total = float(d.weight @ ll)
    if not grad:
        return total, None
    w = np.exp(c_term - lse)  # share of the "dropped out after the last purchase" term
    wb = 1.0 - w
    psi_ab = psi(a + b)
    psi_abx = psi(a + b + X + shift)
    dr_x = psi(r + X) - psi(r) + np.log(alpha)
    da_b = psi(a) - psi_abx
    da_c = psi(a + 1) - psi_abx
    db_b = psi(b + X + shift) - psi_abx
    db_c = np.where(has_c, psi(b + Xs + shift - 1) - psi_abx, 0.0)
    xi = d.xi
    d_r = dr_x[xi] - wb * laT - w * lat
    d_alpha = r / alpha - wb * rx / (alpha + d.T) - w * rx / (alpha + d.t_x)
    d_a = -(psi(a) - psi_ab) + wb * da_b[xi] + w * da_c[xi]
    d_b = -(psi(b) - psi_ab) + wb * db_b[xi] + w * db_c[xi]
    g = np.array([d.weight @ d_r, d.weight @ d_alpha, d.weight @ d_a, d.weight @ d_b])
    return total, g


def start(d: Compressed) -> np.ndarray:
    """Log starting point: r = 1, r/alpha = the observed repeat rate, a = b = 1."""
    rate = max(float(d.weight @ d.x) / max(float(d.weight @ d.T), 1e-12), 1e-6)
    return np.log(np.array([1.0, 1.0 / rate, 1.0, 1.0]))


def p_alive(theta: np.ndarray, shift: int, x, t_x, T) -> np.ndarray:
    """P(alive | x, t_x, T) = 1 / (1 + [x > 0 or s = 1] a/(b+x+s-1) ((alpha+T)/(alpha+t_x))^(r+x))."""
    r, alpha, a, b = theta
    x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
    has_c = (x > 0) | (shift == 1)
    xs = np.where(has_c, x, 1.0)
    log_odds = np.log(a) - np.log(b + xs + shift - 1) + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
    return np.where(has_c, expit(-log_odds), 1.0)


def _a_safe(a: float) -> float:
    # The closed forms divide by (a - 1); at a == 1 exactly use a neighbouring value (the limit is smooth).
    return a if abs(a - 1.0) > 1e-7 else 1.0 + 1e-7


def alive_occasions(theta: np.ndarray, shift: int, t, x, T) -> np.ndarray:
    """E[Y(t) | alive, x, T]: expected purchases in the next t weeks of a customer alive now; the conditional
    expectation is this times P(alive) (BG/NBD paper eq. 10, MBG/NBD eq. 14).

        (a+b+x+s-1)/(a-1) * [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x+s; a+b+x+s-1; z)],
        z = t/(alpha+T+t), evaluated through Euler's transformation (bounded terms for large x):
        1 - (1-z)^(a-1) 2F1(a+b+s-1-r, a-1; a+b+x+s-1; z).
    """
    r, alpha, _, b = theta
    a = _a_safe(float(theta[2]))
    x, T = np.asarray(x, dtype=float), np.asarray(T, dtype=float)
    t = np.asarray(t, dtype=float)
    one_minus_z = (alpha + T) / (alpha + T + t)
    z = t / (alpha + T + t)
    c = a + b + x + shift - 1.0
    return c / (a - 1.0) * (1.0 - one_minus_z ** (a - 1.0) * hyp2f1(a + b + shift - 1.0 - r, a - 1.0, c, z))


def p_no_purchase_alive(theta: np.ndarray, t, x, T) -> np.ndarray:
    """P(no purchase in the next t weeks | alive now): an alive customer cannot drop out before buying again,
    and lambda | x, T ~ Gamma(r+x, alpha+T), so it is ((alpha+T)/(alpha+T+t))^(r+x)."""
    r, alpha = theta[0], theta[1]
    x, T = np.asarray(x, dtype=float), np.asarray(T, dtype=float)
    return ((alpha + T) / (alpha + T + t)) ** (r + x)


def median_weeks_to_next(theta: np.ndarray, pa: np.ndarray, x, T) -> np.ndarray:
    """Median waiting time to the next purchase: the t with P(purchase within t) = 1/2, i.e.
    pa (1 - ((alpha+T)/(alpha+T+t))^(r+x)) = 1/2, so t = (alpha+T) ((1 - 1/(2 pa))^(-1/(r+x)) - 1).
    NaN when pa <= 1/2: the customer more likely never buys again, so there is no median."""
    r, alpha = theta[0], theta[1]
    x, T = np.asarray(x, dtype=float), np.asarray(T, dtype=float)
    ok = pa > 0.5
    base = np.where(ok, 1.0 - 0.5 / np.where(ok, pa, 1.0), 1.0)
    with np.errstate(divide="ignore", over="ignore"):
        t = (alpha + T) * np.expm1(-np.log(base) / (r + x))
    return np.where(ok, t, np.nan)
