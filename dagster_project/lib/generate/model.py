"""Latent customer model: the generation window and per-chunk customer parameters.

Customers are processed in fixed chunks of ``CHUNK_CUSTOMERS``; a chunk's latent parameters
are identical in full and orders-only runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import numpy as np
import pyarrow as pa

from .sampling import S_CONTACTS, S_CUSTOMER, choice, stream_rng

CHUNK_CUSTOMERS = 100_000
DAYS_PER_YEAR = 365.25
EPOCH = date(1970, 1, 1)

ANNUAL_GROWTH = 1.30  # new contacts per year grow 30 %
FIRST_ORDER_LAG_DAYS = 21.0  # mean days from first contact to first order
NEVER_BUY_SHARE = 0.06  # contacts that never order (besides those contacted too late)
RATE_SHAPE, RATE_MEAN_PER_YEAR = 0.85, 14.0  # Gamma heterogeneity of repeat purchase rate
RATE_CAP_PER_YEAR = 200.0
CHURN_SHAPE, CHURN_MEAN_PER_YEAR = 2.0, 0.65  # Gamma heterogeneity of dropout rate
VALUE_MEDIAN_EUR, VALUE_CUSTOMER_SIGMA = 95.0, 0.75
ACTION_TARGET_SHARE, ACTION_LOOKBACK_DAYS = 0.30, 365
TREATMENT_EXTRA_LIFE_DAYS = 240.0
# Retention actions and how well each truly works: the probability that a treated customer who is still a
# customer at the action date stays on for longer. Calls and discounts work; visits and e-mail campaigns
# barely do (action_results should find exactly that).
ACTION_TYPES = ["call", "discount", "visit", "email_campaign"]
ACTION_TYPE_P = [0.35, 0.25, 0.15, 0.25]
ACTION_RETAIN_PROB = np.array([0.60, 0.45, 0.05, 0.0])
# ... and the probability that it brings a treated customer back to buy within ACTION_RESPONSE_DAYS.
ACTION_RESPONSE_PROB = np.array([0.30, 0.25, 0.0, 0.02])
ACTION_RESPONSE_DAYS = 25

# month 1..12 and weekday Mon..Sun purchase multipliers
_MONTH_FACTOR = np.array([0.9, 0.95, 1.0, 1.0, 1.05, 1.0, 0.85, 0.55, 1.0, 1.05, 1.3, 1.4])
_WEEKDAY_FACTOR = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 0.4, 0.15])

SEGMENTS = ["hostelería", "retail", "construcción", "salud", "educación", "industria", "servicios"]
_SEGMENT_P = [0.22, 0.20, 0.14, 0.11, 0.08, 0.12, 0.13]
_SEGMENT_VALUE = np.array([0.8, 0.9, 1.6, 1.2, 0.9, 1.8, 1.0])

ACQ_CHANNELS = ["web", "referral", "trade_fair", "sales_rep", "social_media"]
_ACQ_P = [0.32, 0.18, 0.12, 0.23, 0.15]
_ACQ_RATE = np.array([1.0, 1.15, 1.1, 1.2, 0.8])  # purchase-rate multiplier
_ACQ_CHURN = np.array([1.0, 0.7, 0.9, 0.85, 1.4])  # churn-rate multiplier


class Context:
    """Run-wide state: seed, window in epoch days, seasonality and sorted first contacts."""

    def __init__(self, customers: int, seed: int, start: date, end: date):
        self.customers, self.seed = customers, seed
        self.start_day = (start - EPOCH).days
        self.end_day = (end - EPOCH).days
        self.id_width = max(5, len(str(customers)))
        span = self.end_day - self.start_day + 1
        days = np.arange(self.start_day, self.end_day + 1)
        months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12
        season = _MONTH_FACTOR[months] * _WEEKDAY_FACTOR[(days + 3) % 7]
        self.accept = season / season.max()  # thinning probability per day of the window
        self.season_peak = season.max() / season.mean()
        # first contacts: exponential growth over the window, sorted -> ids in contact order
        g = np.log(ANNUAL_GROWTH) / DAYS_PER_YEAR * span
        u = stream_rng(self, S_CONTACTS).random(customers)
        frac = np.log1p(u * np.expm1(g)) / g
        self.contacts = np.sort(self.start_day + frac * span)
        self.contacts = np.minimum(self.contacts, self.end_day + 0.999)

    def chunks(self) -> Iterator[Chunk]:
        for index, lo in enumerate(range(0, self.customers, CHUNK_CUSTOMERS)):
            yield Chunk(self, index, lo, min(lo + CHUNK_CUSTOMERS, self.customers))


class Chunk:
    """Customer-level latent parameters of one chunk (identical in full and orders-only runs)."""

    def __init__(self, ctx: Context, index: int, lo: int, hi: int):
        self.index, self.n = index, hi - lo
        width = ctx.id_width
        self.ids = pa.array([f"{i:0{width}d}" for i in range(lo + 1, hi + 1)], type=pa.string())
        self.contact = ctx.contacts[lo:hi]  # float days since epoch, sorted
        rng = stream_rng(ctx, S_CUSTOMER, index)
        n = self.n
        self.segment = choice(rng, _SEGMENT_P, n)
        self.acq = choice(rng, _ACQ_P, n)
        lag = rng.exponential(FIRST_ORDER_LAG_DAYS, n)
        never = rng.random(n) < NEVER_BUY_SHARE
        rate = rng.gamma(RATE_SHAPE, RATE_MEAN_PER_YEAR / RATE_SHAPE, n) * _ACQ_RATE[self.acq]
        self.rate = np.minimum(rate, RATE_CAP_PER_YEAR) / DAYS_PER_YEAR  # per day
        churn = rng.gamma(CHURN_SHAPE, CHURN_MEAN_PER_YEAR / CHURN_SHAPE, n) * _ACQ_CHURN[self.acq]
        life = rng.exponential(1.0, n) / churn * DAYS_PER_YEAR
        self.value = VALUE_MEDIAN_EUR * _SEGMENT_VALUE[self.segment] * np.exp(rng.normal(0.0, VALUE_CUSTOMER_SIGMA, n))
        targeted_u, group_u, action_u, retain_u = rng.random((4, n))
        extra_life = rng.exponential(TREATMENT_EXTRA_LIFE_DAYS, n)
        # drawn last, so every earlier draw (and the orders-only projection) stays as it was
        self.first_action_type = choice(rng, ACTION_TYPE_P, n)
        self.response_u = rng.random(n)
        self.response_lag = rng.integers(1, ACTION_RESPONSE_DAYS + 1, n)

        first = np.floor(self.contact + lag)
        # move a weekend first order to Monday
        wd = (first.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday (weekday 3)
        first = first + np.where(wd >= 5, 7 - wd, 0)
        self.buyer = (~never) & (first <= ctx.end_day)
        self.first_order = np.where(self.buyer, first, np.nan)
        self.dropout = first + life

        # retention actions during the last year, randomised treatment/control per customer
        lo_day = np.maximum(first, ctx.end_day - ACTION_LOOKBACK_DAYS)
        self.targeted = self.buyer & (targeted_u < ACTION_TARGET_SHARE)
        self.treatment = group_u < 0.5
        self.action_day = np.floor(lo_day + action_u * (ctx.end_day - lo_day + 1)).clip(max=ctx.end_day)
        retained = (
            self.targeted
            & self.treatment
            & (self.dropout > self.action_day)
            & (retain_u < ACTION_RETAIN_PROB[self.first_action_type])
        )
        self.dropout = np.where(retained, self.dropout + extra_life, self.dropout)
        # a purchase in answer to the action (its day, or NaN when the action brought none)
        responded = (
            self.targeted
            & self.treatment
            & (self.dropout > self.action_day)
            & (self.response_u < ACTION_RESPONSE_PROB[self.first_action_type])
        )
        response_day = self.action_day + self.response_lag
        self.response_day = np.where(responded & (response_day <= ctx.end_day), response_day, np.nan)
        self.churned = self.buyer & (self.dropout < ctx.end_day)
