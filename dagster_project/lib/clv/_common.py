"""Shared pieces of the CLV package: the error type, time units and input checks."""

from __future__ import annotations

import numpy as np

# Length of one model time unit in days. The BG/NBD paper works in weeks (days / 7).
UNIT_DAYS: dict[str, float] = {"week": 7.0, "day": 1.0}

# One month in days, used by the 12-month CLV (365.25 / 12).
MONTH_DAYS = 365.25 / 12.0


class ClvFitError(ValueError):
    """A CLV model could not be fitted (or scored) to a trustworthy result.

    Raised instead of returning parameters that would be silent nonsense: too few customers, too few
    repeat customers, an optimizer that did not converge, non-finite parameters or invalid inputs.
    """


def unit_days(unit: str) -> float:
    try:
        return UNIT_DAYS[unit]
    except KeyError:
        raise ValueError(f"unknown time unit {unit!r}; expected one of {sorted(UNIT_DAYS)}") from None


def as_float_array(name: str, values) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1:
        arr = arr.reshape(-1)
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


def compress_rows(*columns: np.ndarray) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Collapse identical rows: returns (unique columns, weights = row counts, inverse index)."""
    stacked = np.column_stack(columns)
    uniq, inverse, counts = np.unique(stacked, axis=0, return_inverse=True, return_counts=True)
    return [uniq[:, j].copy() for j in range(uniq.shape[1])], counts.astype(float), inverse.reshape(-1)


# Bounds on the log of every model parameter: parameters live in [1e-6, 1e6].
LOG_BOUND = float(np.log(1e6))


def maximize_log_likelihood(neg_mean_ll, log_x0: np.ndarray, model: str, names: tuple[str, ...]):
    """Minimise a mean negative log-likelihood over log-parameters.

    `neg_mean_ll(log_params) -> (value, gradient)` with an analytic gradient. L-BFGS-B first, then a
    polish from its optimum (restarting from a Nelder-Mead point when L-BFGS-B fails). Returns
    (log_params, mean_neg_ll, iterations, warnings); raises ClvFitError when nothing converges.
    """
    from scipy.optimize import minimize

    bounds = [(-LOG_BOUND, LOG_BOUND)] * len(log_x0)
    opts = {"maxiter": 2000, "ftol": 1e-14, "gtol": 1e-9}
    warnings: list[str] = []
    iterations = 0

    def lbfgs(start):
        nonlocal iterations
        with np.errstate(all="ignore"):
            res = minimize(neg_mean_ll, start, jac=True, method="L-BFGS-B", bounds=bounds, options=opts)
        iterations += int(res.nit)
        return res

    def grad_ok(res) -> bool:
        g = np.asarray(res.jac, dtype=float)
        at_bound = np.abs(np.abs(res.x) - LOG_BOUND) < 1e-6
        return bool(np.isfinite(res.fun) and np.all(np.isfinite(g)) and np.max(np.abs(g[~at_bound]), initial=0) < 1e-5)

    res = lbfgs(np.asarray(log_x0, dtype=float))
    if not (np.isfinite(res.fun) and grad_ok(res)):
        # Derivative-free restart, then gradient polish from there.
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
    else:
        res = lbfgs(res.x)  # polish
    if not np.all(np.isfinite(res.x)) or not np.isfinite(res.fun):
        raise ClvFitError(f"{model}: optimizer produced non-finite parameters or log-likelihood")
    if not grad_ok(res):
        g = np.max(np.abs(res.jac))
        raise ClvFitError(f"{model}: optimizer did not converge (max |gradient| {g:.3g}, message: {res.message})")
    at_bound = [n for n, v in zip(names, res.x, strict=False) if abs(abs(v) - LOG_BOUND) < 1e-6]
    if at_bound:
        warnings.append(
            f"{model}: parameter(s) {', '.join(at_bound)} at the optimizer bound [1e-6, 1e6]; "
            "the data do not identify them well"
        )
    return res.x, float(res.fun), iterations, warnings
