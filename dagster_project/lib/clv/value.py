"""Customer lifetime value over a finite horizon from a BG/NBD and a Gamma-Gamma model.

    CLV_12m = E[Z | x, m_x] * sum_{k=1..12} ( E[Y(k M) | x, t_x, T] - E[Y((k-1) M) | x, t_x, T] ) / (1 + d)^k

E[Z | x, m_x]: Gamma-Gamma expected value per occasion; E[Y(t) | x, t_x, T]: BG/NBD expected occasions in
the next t time units; M: one month in the model's time unit (365.25/12 days); d: monthly discount rate.
Occasions expected in month k are discounted by k full months (end-of-month convention).
"""

from __future__ import annotations

import numpy as np

from ._common import MONTH_DAYS
from .bgnbd import BgNbdParams, conditional_expected_occasions


def discounted_expected_occasions(
    params: BgNbdParams, x, t_x, T, *, months: int = 12, discount_rate_monthly: float = 0.01, unit_days: float = 7.0
) -> np.ndarray:
    """sum_{k=1..months} (E[Y(kM)] - E[Y((k-1)M)]) / (1+d)^k, per customer."""
    if months < 1:
        raise ValueError("months must be >= 1")
    if not (0.0 <= discount_rate_monthly < 1.0):
        raise ValueError(f"monthly discount rate must be in [0, 1); got {discount_rate_monthly}")
    month = MONTH_DAYS / unit_days
    total = np.zeros(np.shape(x), dtype=float)
    previous = np.zeros_like(total)
    for k in range(1, months + 1):
        cumulative = conditional_expected_occasions(params, k * month, x, t_x, T)
        total += (cumulative - previous) / (1.0 + discount_rate_monthly) ** k
        previous = cumulative
    return total


def customer_lifetime_value(
    params: BgNbdParams,
    expected_value_per_occasion,
    x,
    t_x,
    T,
    *,
    months: int = 12,
    discount_rate_monthly: float = 0.01,
    unit_days: float = 7.0,
) -> np.ndarray:
    """Expected value per occasion times discounted expected occasions over `months` months."""
    occasions = discounted_expected_occasions(
        params, x, t_x, T, months=months, discount_rate_monthly=discount_rate_monthly, unit_days=unit_days
    )
    return np.asarray(expected_value_per_occasion, dtype=float) * occasions
