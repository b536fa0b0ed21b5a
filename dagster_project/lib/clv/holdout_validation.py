"""Holdout validation: fit BG/NBD on a calibration period and compare predicted with actual repeat occasions.

Writes (CREATE OR REPLACE, one transaction) marts.clv_holdout, marts.clv_holdout_by_frequency and
marts.clv_holdout_curve.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from . import bgnbd
from ._common import ClvFitError, compress_rows, unit_days
from ._warehouse import OCCASIONS_TABLE, as_date, table_ref, write_tables
from .bgnbd import BgNbdFit
from .rfm import rfm_arrays, rfm_summary

HOLDOUT_FREQUENCY_CAP = 7  # by-frequency buckets '0' .. '6', '7+'


@dataclass(frozen=True)
class HoldoutResult:
    calibration_end: date
    holdout_end: date
    time_unit: str
    bgnbd: BgNbdFit
    customers: int
    predicted_total: float  # sum of predicted repeat occasion days in the holdout period
    actual_total: int
    weeks: int  # rows of marts.clv_holdout_curve
    warnings: list[str] = field(default_factory=list)

    @property
    def relative_error(self) -> float:
        return (self.predicted_total - self.actual_total) / self.actual_total if self.actual_total else math.nan

    def metadata(self) -> dict:
        d = asdict(self)
        d.pop("bgnbd")
        d.update(
            calibration_end=self.calibration_end.isoformat(),
            holdout_end=self.holdout_end.isoformat(),
            bgnbd_params=self.bgnbd.params.as_dict(),
            bgnbd_log_likelihood=self.bgnbd.log_likelihood,
            relative_error=self.relative_error,
        )
        return d


# Repeat occasion days of the calibration customers (first purchase <= $cal_end) up to $hold_end.
_HOLDOUT_DAYS_SQL = """
WITH days AS (
    SELECT DISTINCT CAST(customer_id AS VARCHAR) AS customer_id, CAST(occasion_date AS DATE) AS day
    FROM {table}
    WHERE occasion_date <= $hold_end
), firsts AS (
    SELECT customer_id, MIN(day) AS first_day FROM days GROUP BY customer_id HAVING MIN(day) <= $cal_end
)
"""

_HOLDOUT_ACTUAL_SQL = (
    _HOLDOUT_DAYS_SQL
    + """
SELECT f.customer_id, CAST(COUNT(d.day) AS BIGINT) AS actual_occasions
FROM firsts f LEFT JOIN days d ON d.customer_id = f.customer_id AND d.day > $cal_end
GROUP BY f.customer_id
"""
)

_HOLDOUT_WEEKLY_SQL = (
    _HOLDOUT_DAYS_SQL
    + """
SELECT CAST(date_diff('day', $start, d.day) // 7 + 1 AS INTEGER) AS week_number, COUNT(*) AS repeats
FROM days d JOIN firsts f ON f.customer_id = d.customer_id AND d.day > f.first_day
GROUP BY 1
"""
)


def frequency_bucket(x: np.ndarray, cap: int = HOLDOUT_FREQUENCY_CAP) -> np.ndarray:
    """'0', '1', ..., f'{cap - 1}', f'{cap}+' labels for calibration frequencies."""
    x = np.asarray(x, dtype=np.int64)
    return np.where(x >= cap, f"{cap}+", x.astype(str))


def holdout(
    con, calibration_end: date, holdout_end: date, unit: str = "week", *, occasions_table: str = OCCASIONS_TABLE
) -> HoldoutResult:
    """Fit BG/NBD on the calibration period and compare predicted with actual repeat occasion days.

    Customers: those with a first purchase on or before calibration_end. Writes
      marts.clv_holdout(customer_id, frequency_cal, predicted_occasions, actual_occasions)
      marts.clv_holdout_by_frequency(frequency_bucket '0'..'6','7+', customers, mean_predicted, mean_actual)
        (buckets with no customers are left out)
      marts.clv_holdout_curve(week_number, week_start, actual_cumulative, predicted_cumulative):
        calendar weeks from the first purchase day in the data through holdout_end; cumulative repeat
        occasion days up to each week's last day, predicted as sum_i E[X(week_end - first_purchase_i)]
        (the unconditional BG/NBD curve, as in the paper's tracking plot).
    """
    cal_end = as_date(calibration_end, "calibration_end")
    hold_end = as_date(holdout_end, "holdout_end")
    if hold_end <= cal_end:
        raise ValueError(f"holdout_end {hold_end} must be after calibration_end {cal_end}")
    udays = unit_days(unit)
    table = table_ref(occasions_table)
    warnings: list[str] = []

    rfm = rfm_summary(con, cal_end, unit, occasions_table=occasions_table)
    if rfm.empty:
        raise ClvFitError(f"no purchase occasions on or before {cal_end.isoformat()}")
    x, t_x, T = rfm_arrays(rfm)
    bg = bgnbd.fit(x, t_x, T)
    warnings += bg.warnings
    last_day = con.execute(f"SELECT MAX(occasion_date) FROM {table}").fetchone()[0]
    if last_day is not None and last_day < hold_end:
        warnings.append(f"the data end on {last_day}, before holdout_end {hold_end}: actual occasions are incomplete")

    # Per customer.
    horizon = (hold_end - cal_end).days / udays
    (ux, ut, uT), _, inverse = compress_rows(x, t_x, T)
    predicted = bgnbd.conditional_expected_occasions(bg.params, horizon, ux, ut, uT)[inverse]
    actual = con.execute(_HOLDOUT_ACTUAL_SQL.format(table=table), {"cal_end": cal_end, "hold_end": hold_end}).df()
    per_customer = pd.DataFrame(
        {
            "customer_id": rfm["customer_id"],
            "frequency_cal": rfm["frequency"].astype("int64"),
            "predicted_occasions": predicted,
        }
    )
    per_customer = per_customer.merge(actual, on="customer_id", how="left", validate="one_to_one")
    if per_customer["actual_occasions"].isna().any():  # cannot happen: both come from the same customers
        raise ClvFitError("holdout: calibration customers and actual occasions do not match")
    per_customer["actual_occasions"] = per_customer["actual_occasions"].astype("int64")

    # By calibration frequency.
    per_customer["frequency_bucket"] = frequency_bucket(per_customer["frequency_cal"].to_numpy())
    by_freq = (
        per_customer.groupby("frequency_bucket", sort=False)
        .agg(
            customers=("customer_id", "size"),
            mean_predicted=("predicted_occasions", "mean"),
            mean_actual=("actual_occasions", "mean"),
        )
        .reset_index()
    )
    by_freq["_order"] = by_freq["frequency_bucket"].str.rstrip("+").astype(int)
    by_freq = by_freq.sort_values("_order").drop(columns="_order")
    per_customer = per_customer.drop(columns="frequency_bucket")

    # Tracking curve over calendar weeks.
    start = rfm["first_purchase"].min()
    start = start.date() if isinstance(start, (pd.Timestamp, datetime)) else start
    n_weeks = ((hold_end - start).days + 1 + 6) // 7
    week_start = np.array([start + timedelta(days=7 * k) for k in range(n_weeks)])
    week_end_days = np.minimum(np.arange(1, n_weeks + 1) * 7 - 1, (hold_end - start).days)  # days since start
    weekly = con.execute(
        _HOLDOUT_WEEKLY_SQL.format(table=table), {"cal_end": cal_end, "hold_end": hold_end, "start": start}
    ).df()
    repeats = np.zeros(n_weeks, dtype=np.int64)
    repeats[weekly["week_number"].to_numpy(dtype=np.int64) - 1] = weekly["repeats"].to_numpy(dtype=np.int64)
    first_offset = (pd.to_datetime(rfm["first_purchase"]) - pd.Timestamp(start)).dt.days.to_numpy()
    offsets, counts = np.unique(first_offset, return_counts=True)
    elapsed = np.clip(week_end_days[:, None] - offsets[None, :], 0, None) / udays  # weeks x first-purchase days
    predicted_curve = bgnbd.expected_occasions(bg.params, elapsed) @ counts
    curve = pd.DataFrame(
        {
            "week_number": np.arange(1, n_weeks + 1),
            "week_start": week_start,
            "actual_cumulative": np.cumsum(repeats),
            "predicted_cumulative": predicted_curve,
        }
    )

    write_tables(
        con,
        [
            (
                "marts.clv_holdout",
                per_customer,
                "CAST(customer_id AS VARCHAR) AS customer_id, CAST(frequency_cal AS INTEGER) AS frequency_cal, "
                "CAST(predicted_occasions AS DOUBLE) AS predicted_occasions, "
                "CAST(actual_occasions AS BIGINT) AS actual_occasions",
            ),
            (
                "marts.clv_holdout_by_frequency",
                by_freq,
                "CAST(frequency_bucket AS VARCHAR) AS frequency_bucket, CAST(customers AS BIGINT) AS customers, "
                "CAST(mean_predicted AS DOUBLE) AS mean_predicted, CAST(mean_actual AS DOUBLE) AS mean_actual",
            ),
            (
                "marts.clv_holdout_curve",
                curve,
                "CAST(week_number AS INTEGER) AS week_number, CAST(week_start AS DATE) AS week_start, "
                "CAST(actual_cumulative AS BIGINT) AS actual_cumulative, "
                "CAST(predicted_cumulative AS DOUBLE) AS predicted_cumulative",
            ),
        ],
    )
    return HoldoutResult(
        calibration_end=cal_end,
        holdout_end=hold_end,
        time_unit=unit,
        bgnbd=bg,
        customers=len(per_customer),
        predicted_total=float(predicted.sum()),
        actual_total=int(per_customer["actual_occasions"].sum()),
        weeks=n_weeks,
        warnings=warnings,
    )
