"""Shared pieces of the CLV package: the error type, time units, input checks, compressed customer rows,
the optimizer and the numeric Hessian used for parameter uncertainty."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

# Length of one model time unit in days. The papers work in weeks (days / 7); so does Cartera.
WEEK_DAYS = 7.0
# One month in days, used by the 12-month CLV (365.25 / 12).
MONTH_DAYS = 365.25 / 12.0
# Bounds on the log of every model parameter: parameters live in [1e-6, 1e6].
LOG_BOUND = float(np.log(1e6))


class ClvFitError(ValueError):
    """A CLV model could not be fitted (or scored) to a trustworthy result.

    Raised instead of returning parameters that would be silent nonsense: too few customers, too few
    repeat customers, an optimizer that did not converge, non-finite parameters or invalid inputs.
    """


def check_columns(df: pd.DataFrame, required: Iterable[str], what: str) -> None:
    """Raise ClvFitError naming the missing columns of `df` (the library's input contract)."""
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise ClvFitError(f"{what} is missing column(s) {', '.join(missing)} (has: {', '.join(map(str, df.columns))})")


def as_float_array(name: str, values) -> np.ndarray:
    arr = np.asarray(values, dtype=float).reshape(-1)
    if not np.all(np.isfinite(arr)):
        bad = int(np.count_nonzero(~np.isfinite(arr)))
        raise ClvFitError(f"{name} has {bad} non-finite value(s) (NaN or infinite)")
    return arr


def check_rft(x, t_x, T) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate frequency / recency / age arrays: x integer >= 0, 0 <= t_x <= T, t_x = 0 when x = 0."""
    x = as_float_array("frequency (x)", x)
    t_x = as_float_array("recency (t_x)", t_x)
    T = as_float_array("age (T)", T)
    if not (x.shape == t_x.shape == T.shape):
        raise ClvFitError(f"x, t_x and T differ in length: {x.shape[0]}, {t_x.shape[0]}, {T.shape[0]}")
    problems = []
    if np.any(x < 0) or np.any(x != np.round(x)):
        problems.append("frequency (x) must be a non-negative integer")
    if np.any(t_x < 0):
        problems.append("recency (t_x) must be >= 0")
    n_after = int(np.count_nonzero(t_x > T * (1 + 1e-12) + 1e-12))
    if n_after:
        problems.append(f"recency (t_x) exceeds age (T) for {n_after} customer(s)")
    n_zero = int(np.count_nonzero((x == 0) & (t_x > 0)))
    if n_zero:
        problems.append(f"{n_zero} customer(s) have no repeat occasion but recency > 0")
    if problems:
        raise ClvFitError("invalid RFM input: " + "; ".join(problems))
    return x, t_x, T


@dataclass(frozen=True)
class Compressed:
    """Customers collapsed to distinct (x, t_x, T) rows, with the distinct values of each column.

    Model code evaluates special functions once per distinct x (or t_x, T, (x, T) pair) and indexes them,
    so the cost follows the number of distinct values, not customers.
    """

    x: np.ndarray  # per distinct row
    t_x: np.ndarray
    T: np.ndarray
    weight: np.ndarray  # customers per distinct row
    inverse: np.ndarray  # customer -> distinct row
    ux: np.ndarray  # distinct x values; x == ux[xi]
    xi: np.ndarray
    ut: np.ndarray  # distinct t_x values; t_x == ut[ti]
    ti: np.ndarray
    uT: np.ndarray  # distinct T values; T == uT[Ti]
    Ti: np.ndarray

    @property
    def customers(self) -> int:
        return int(self.inverse.shape[0])

    def pairs_xT(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Distinct (x, T) pairs: (x values, T values, row -> pair index)."""
        code = self.xi.astype(np.int64) * self.uT.shape[0] + self.Ti
        inv, uniq = pd.factorize(code)
        return self.ux[uniq // self.uT.shape[0]], self.uT[uniq % self.uT.shape[0]], inv.reshape(-1)

    @classmethod
    def of(cls, x, t_x, T) -> Compressed:
        x, t_x, T = check_rft(x, t_x, T)
        # Hash-based factorisation (pandas) is O(n); the distinct values need no order.
        xi, ux = pd.factorize(x)
        ti, ut = pd.factorize(t_x)
        Ti, uT = pd.factorize(T)
        code = (xi.astype(np.int64) * ut.shape[0] + ti) * uT.shape[0] + Ti
        inverse, uniq = pd.factorize(code)
        counts = np.bincount(inverse, minlength=uniq.shape[0])
        first = np.full(uniq.shape[0], -1, dtype=np.int64)
        first[inverse[::-1]] = np.arange(inverse.shape[0] - 1, -1, -1)
        rxi, rti, rTi = xi[first], ti[first], Ti[first]
        return cls(
            x=ux[rxi],
            t_x=ut[rti],
            T=uT[rTi],
            weight=counts.astype(float),
            inverse=inverse.reshape(-1),
            ux=np.asarray(ux, dtype=float),
            xi=rxi.reshape(-1),
            ut=np.asarray(ut, dtype=float),
            ti=rti.reshape(-1),
            uT=np.asarray(uT, dtype=float),
            Ti=rTi.reshape(-1),
        )


Objective = Callable[[np.ndarray], tuple[float, np.ndarray]]


def maximize_log_likelihood(neg_mean_ll: Objective, log_x0: np.ndarray, model: str, names: tuple[str, ...]):
    """Minimise a mean negative log-likelihood over log-parameters.

    `neg_mean_ll(log_params) -> (value, gradient)`. L-BFGS-B, restarted from a Nelder-Mead point when it
    fails. Returns (log_params, mean_neg_ll, iterations, at_bound names); raises ClvFitError when nothing
    converges.
    """
    from scipy.optimize import minimize

    bounds = [(-LOG_BOUND, LOG_BOUND)] * len(log_x0)
    opts = {"maxiter": 2000, "ftol": 1e-13, "gtol": 1e-8}
    iterations = 0

    def lbfgs(start):
        nonlocal iterations
        with np.errstate(all="ignore"):
            res = minimize(neg_mean_ll, start, jac=True, method="L-BFGS-B", bounds=bounds, options=opts)
        iterations += int(res.nit)
        return res

    def at_bound(v) -> np.ndarray:
        return np.abs(np.abs(v) - LOG_BOUND) < 1e-6

    def grad_ok(res) -> bool:
        g = np.asarray(res.jac, dtype=float)
        free = ~at_bound(res.x)
        return bool(np.isfinite(res.fun) and np.all(np.isfinite(g)) and np.max(np.abs(g[free]), initial=0) < 1e-5)

    res = lbfgs(np.asarray(log_x0, dtype=float))
    if not grad_ok(res):
        with np.errstate(all="ignore"):
            nm = minimize(
                lambda v: neg_mean_ll(v)[0],
                np.clip(res.x if np.all(np.isfinite(res.x)) else log_x0, -LOG_BOUND, LOG_BOUND),
                method="Nelder-Mead",
                bounds=bounds,
                options={"maxiter": 4000, "xatol": 1e-8, "fatol": 1e-12},
            )
        iterations += int(nm.nit)
        res = lbfgs(nm.x)
    if not np.all(np.isfinite(res.x)) or not np.isfinite(res.fun):
        raise ClvFitError(f"{model}: optimizer produced non-finite parameters or log-likelihood")
    if not grad_ok(res):
        g = np.max(np.abs(res.jac))
        raise ClvFitError(f"{model}: optimizer did not converge (max |gradient| {g:.3g}, message: {res.message})")
    bound_names = [n for n, hit in zip(names, at_bound(res.x), strict=True) if hit]
    return res.x, float(res.fun), iterations, bound_names


def numeric_hessian(gradient: Callable[[np.ndarray], np.ndarray], x: np.ndarray, step: float = 1e-4) -> np.ndarray:
    """Symmetrised central-difference Hessian of a function from its gradient."""
    k = x.shape[0]
    h = np.empty((k, k))
    for j in range(k):
        e = np.zeros(k)
        e[j] = step
        h[:, j] = (gradient(x + e) - gradient(x - e)) / (2 * step)
    return (h + h.T) / 2


def laplace_covariance(hessian_total: np.ndarray) -> np.ndarray | None:
    """Covariance of the log-parameters: the inverse of the Hessian of the total negative log-likelihood at
    the maximum (Laplace approximation). None when it is not positive definite."""
    try:
        cov = np.linalg.inv(hessian_total)
    except np.linalg.LinAlgError:
        return None
    if not np.all(np.isfinite(cov)) or np.any(np.linalg.eigvalsh((cov + cov.T) / 2) <= 0):
        return None
    return (cov + cov.T) / 2
