"""The growth and retention arithmetic of issue 11, as plain functions of plain numbers.

Growth: revenue next year = (customers kept + new customers) x (price per purchase). With churn c (the share
of this year's customers gone a year later), price change p and a target revenue growth g, the new
customers needed, as a share of the customers you start with, are n = (1 + g) / (1 + p) - (1 - c).

Retention: a gain of k points of retention keeps K = N x k more customers a year (N customers at the start,
retention r = 1 - c rising to r' = min(r + k, 1)). Each spends R a year and, at retention x and yearly
discount rate d, stays an expected L(x) = (1 + d) / (1 + d - x) discounted years (the geometric series
1 + x/(1+d) + (x/(1+d))^2 + ...). Their revenue: K x R over the next 12 months, K x R x L(r') over their
lifetime; the new customers (spending R, staying like today's) that would bring the same: K x L(r') / L(r).
"""

from __future__ import annotations

from dataclasses import dataclass


def required_new_customer_rate(churn_rate: float, price_change: float, target_growth: float) -> float:
    """n = (1 + g) / (1 + p) - (1 - c); e.g. c 0.25, p 0.02, g 0.05 -> 0.2794 (27.9%)."""
    if not 0 <= churn_rate <= 1:
        raise ValueError(f"churn must be between 0 and 1, not {churn_rate}")
    if price_change <= -1 or target_growth <= -1:
        raise ValueError("price change and target growth must be above -1 (-100%)")
    return (1 + target_growth) / (1 + price_change) - (1 - churn_rate)


def lifetime_factor(retention_rate: float, discount_rate: float) -> float:
    """Expected discounted years a customer stays: sum over t >= 0 of (r / (1 + d))^t = (1 + d) / (1 + d - r)."""
    return (1 + discount_rate) / (1 + discount_rate - retention_rate)


@dataclass(frozen=True)
class RetentionValue:
    retention_gain: float
    retention_rate: float
    improved_retention_rate: float
    customers_kept_per_year: float
    revenue_next_12m: float
    revenue_lifetime: float
    new_customers_equivalent: float
    acquisition_effort_in_retention_units: float
    acquisition_cost_equivalent: float | None
    retention_cost_of_kept: float | None


def retention_value(
    *,
    base_customers: float,
    churn_rate: float,
    revenue_per_customer_year: float,
    retention_gain: float,
    discount_rate: float,
    acquisition_cost_ratio: float = 5.0,
    acquisition_cost: float | None = None,
) -> RetentionValue:
    """What `retention_gain` points of retention are worth (see the module docstring for the formula)."""
    if not 0 <= churn_rate <= 1:
        raise ValueError(f"churn must be between 0 and 1, not {churn_rate}")
    if not 0 < retention_gain <= 1:
        raise ValueError(f"retention gain must be above 0 and at most 1, not {retention_gain}")
    if discount_rate < 0 or acquisition_cost_ratio <= 0:
        raise ValueError("the discount rate must be >= 0 and the acquisition-to-retention cost ratio > 0")
    retention = 1 - churn_rate
    improved = min(retention + retention_gain, 1.0)
    kept = base_customers * (improved - retention)
    lifetime_improved = lifetime_factor(improved, discount_rate)
    new_equivalent = kept * lifetime_improved / lifetime_factor(retention, discount_rate)
    return RetentionValue(
        retention_gain=retention_gain,
        retention_rate=retention,
        improved_retention_rate=improved,
        customers_kept_per_year=kept,
        revenue_next_12m=kept * revenue_per_customer_year,
        revenue_lifetime=kept * revenue_per_customer_year * lifetime_improved,
        new_customers_equivalent=new_equivalent,
        acquisition_effort_in_retention_units=new_equivalent * acquisition_cost_ratio,
        acquisition_cost_equivalent=None if acquisition_cost is None else new_equivalent * acquisition_cost,
        retention_cost_of_kept=None if acquisition_cost is None else kept * acquisition_cost / acquisition_cost_ratio,
    )
