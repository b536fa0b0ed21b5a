"""CLV on the warehouse: RFM summary in DuckDB, BG/NBD + Gamma-Gamma fit, scored and holdout marts.

Every function takes an open read-write DuckDB connection. Source: intermediate.int_purchase_occasions
(order_id, customer_id, occasion_date, revenue), all history. As in the BG/NBD paper, purchases are
counted as occasion DAYS: several occasions of one customer on one day are one (their revenue summed).

Tables written (CREATE OR REPLACE, one transaction per call):
  fit_and_score -> marts.clv_model_params, marts.customer_clv
  holdout       -> marts.clv_holdout, marts.clv_holdout_by_frequency, marts.clv_holdout_curve
"""

from __future__ import annotations

import math
import re
import uuid
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta, timezone

import numpy as np
import pandas as pd

from . import bgnbd, gamma_gamma
from ._common import ClvFitError, compress_rows, unit_days
from .bgnbd import BgNbdFit
from .gamma_gamma import GammaGammaFit
from .value import discounted_expected_occasions

OCCASIONS_TABLE = "intermediate.int_purchase_occasions"
HOLDOUT_FREQUENCY_CAP = 7  # by-frequency buckets '0' .. '6', '7+'

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _table_ref(name: str) -> str:
    """Validated, quoted [schema.]table reference (identifiers cannot be query parameters)."""
    parts = name.split(".")
    if not 1 <= len(parts) <= 2 or not all(_IDENT.match(p) for p in parts):
        raise ValueError(f"invalid table name {name!r}")
    return ".".join(f'"{p}"' for p in parts)


def _as_date(value, what: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"{what} must be a datetime.date; got {type(value).__name__}")


# ---------------------------------------------------------------------------------------------------
# RFM summary

_RFM_SQL = """
WITH days AS (
    SELECT CAST(customer_id AS VARCHAR) AS customer_id,
           CAST(occasion_date AS DATE) AS day,
           CAST(SUM(revenue) AS DOUBLE) AS revenue
    FROM {table}
    WHERE occasion_date <= $end
    GROUP BY 1, 2
), flagged AS (
    SELECT *, day > MIN(day) OVER (PARTITION BY customer_id) AS is_repeat
    FROM days
)
SELECT customer_id,
       CAST(COUNT(*) - 1 AS INTEGER) AS frequency,
       date_diff('day', MIN(day), MAX(day)) / $unit_days AS recency,
       date_diff('day', MIN(day), $end) / $unit_days AS age,
       SUM(revenue) FILTER (WHERE is_repeat) / NULLIF(COUNT(*) - 1, 0) AS monetary_value,
       MIN(day) AS first_purchase,
       MAX(day) AS last_purchase
FROM flagged
GROUP BY customer_id
ORDER BY customer_id
"""


def rfm_summary(con, calibration_end: date, unit: str = "week", *,
                occasions_table: str = OCCASIONS_TABLE) -> pd.DataFrame:
    """Per customer with a purchase on or before `calibration_end` (computed in DuckDB):

    frequency x = distinct purchase days - 1; recency t_x = last day - first day; age T = calibration_end -
    first day (both in `unit`: weeks = days / 7); monetary_value m_x = mean revenue of the repeat days (revenue
    summed per day, first day excluded; NULL when x = 0); first_purchase, last_purchase (DATE).
    """
    end = _as_date(calibration_end, "calibration_end")
    sql = _RFM_SQL.format(table=_table_ref(occasions_table))
    df = con.execute(sql, {"end": end, "unit_days": unit_days(unit)}).df()
    df["customer_id"] = df["customer_id"].astype(object)
    return df


# ---------------------------------------------------------------------------------------------------
# Fit and score


@dataclass(frozen=True)
class FitResult:
    as_of: date
    time_unit: str
    discount_rate_monthly: float
    bgnbd: BgNbdFit
    gamma_gamma: GammaGammaFit
    customers_scored: int
    total_clv_12m: float
    warnings: list[str] = field(default_factory=list)

    def metadata(self) -> dict:
        """Plain JSON-able summary for orchestrator metadata."""
        return {
            "as_of": self.as_of.isoformat(),
            "time_unit": self.time_unit,
            "discount_rate_monthly": self.discount_rate_monthly,
            "customers_scored": self.customers_scored,
            "total_clv_12m": round(self.total_clv_12m, 2),
            "bgnbd_params": self.bgnbd.params.as_dict(),
            "bgnbd_log_likelihood": self.bgnbd.log_likelihood,
            "bgnbd_customers": self.bgnbd.customers,
            "bgnbd_repeat_customers": self.bgnbd.repeat_customers,
            "gamma_gamma_params": self.gamma_gamma.params.as_dict(),
            "gamma_gamma_log_likelihood": self.gamma_gamma.log_likelihood,
            "gamma_gamma_customers": self.gamma_gamma.customers,
            "frequency_value_correlation": self.gamma_gamma.frequency_value_correlation,
            "warnings": list(self.warnings),
        }


def _replace_table(con, name: str, df: pd.DataFrame, select: str) -> None:
    """CREATE OR REPLACE TABLE name AS SELECT <select> FROM a registered DataFrame."""
    view = f"_clv_{uuid.uuid4().hex}"
    con.register(view, df)
    try:
        con.execute(f"CREATE OR REPLACE TABLE {_table_ref(name)} AS SELECT {select} FROM {view}")
    finally:
        con.unregister(view)


def _write_tables(con, tables: list[tuple[str, pd.DataFrame, str]]) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS marts")
    con.execute("BEGIN TRANSACTION")
    try:
        for name, df, select in tables:
            _replace_table(con, name, df, select)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _rft(rfm: pd.DataFrame):
    return (rfm["frequency"].to_numpy(dtype=float), rfm["recency"].to_numpy(dtype=float),
            rfm["age"].to_numpy(dtype=float))


def fit_and_score(con, as_of: date, discount_rate_monthly: float = 0.01, unit: str = "week", *,
                  occasions_table: str = OCCASIONS_TABLE) -> FitResult:
    """Fit BG/NBD and Gamma-Gamma on all history up to `as_of` and score every customer who bought by then.

    marts.customer_clv columns: frequency/recency/age = x, t_x, T in `unit`; p_alive; expected occasions
    in the next 90 and 365 days; expected_value_per_occasion (Gamma-Gamma); clv_12m (see value.py:
    E[Z] * sum_k discounted expected occasions in month k, k = 1..12); value_rank (1 = highest clv_12m).
    Raises ClvFitError when either model cannot be fitted.
    """
    as_of = _as_date(as_of, "as_of")
    udays = unit_days(unit)
    rfm = rfm_summary(con, as_of, unit, occasions_table=occasions_table)
    if rfm.empty:
        raise ClvFitError(f"no purchase occasions on or before {as_of.isoformat()}")
    x, t_x, T = _rft(rfm)
    warnings: list[str] = []

    bg = bgnbd.fit(x, t_x, T)
    m = rfm["monetary_value"].to_numpy(dtype=float)
    nonpositive = (x > 0) & ~(m > 0)
    if nonpositive.any():
        warnings.append(f"{int(nonpositive.sum())} repeat customer(s) with net repeat-occasion value <= 0 were left "
                        "out of the Gamma-Gamma fit; their value per occasion uses m_x = 0")
    gg = gamma_gamma.fit(np.where(nonpositive, 0.0, x), m)
    warnings += bg.warnings + gg.warnings

    # Predictions on distinct (x, t_x, T) rows, expanded back to customers.
    (ux, ut, uT), _, inverse = compress_rows(x, t_x, T)
    p = bg.params
    with np.errstate(all="ignore"):
        scores = {
            "p_alive": bgnbd.p_alive(p, ux, ut, uT),
            "expected_occasions_90d": bgnbd.conditional_expected_occasions(p, 90.0 / udays, ux, ut, uT),
            "expected_occasions_365d": bgnbd.conditional_expected_occasions(p, 365.0 / udays, ux, ut, uT),
            "discounted_occasions": discounted_expected_occasions(
                p, ux, ut, uT, months=12, discount_rate_monthly=discount_rate_monthly, unit_days=udays),
        }
    for name, values in scores.items():
        if not np.all(np.isfinite(values)):
            raise ClvFitError(f"non-finite {name} for {int((~np.isfinite(values)).sum())} distinct customer row(s)")
    value = gamma_gamma.conditional_expected_value(gg.params, x, np.where(x > 0, np.maximum(np.nan_to_num(m), 0.0), 0.0))
    out = pd.DataFrame({
        "customer_id": rfm["customer_id"],
        "frequency": rfm["frequency"].astype("int64"),
        "recency": t_x,
        "age": T,
        "p_alive": scores["p_alive"][inverse],
        "expected_occasions_90d": scores["expected_occasions_90d"][inverse],
        "expected_occasions_365d": scores["expected_occasions_365d"][inverse],
        "expected_value_per_occasion": value,
    })
    out["clv_12m"] = value * scores["discounted_occasions"][inverse]
    order = np.lexsort((out["customer_id"].to_numpy(), -out["clv_12m"].to_numpy()))
    rank = np.empty(len(out), dtype=np.int64)
    rank[order] = np.arange(1, len(out) + 1)
    out["value_rank"] = rank

    fitted_at = datetime.now(timezone.utc).replace(tzinfo=None)
    params = pd.DataFrame(
        [("bgnbd", k, v, bg.log_likelihood, bg.customers) for k, v in p.as_dict().items()]
        + [("gamma_gamma", k, v, gg.log_likelihood, gg.customers) for k, v in gg.params.as_dict().items()],
        columns=["model", "parameter", "value", "log_likelihood", "customers_fitted"])
    params["calibration_end"] = as_of
    params["time_unit"] = unit
    params["fitted_at"] = fitted_at
    _write_tables(con, [
        ("marts.clv_model_params", params,
         "CAST(model AS VARCHAR) AS model, CAST(parameter AS VARCHAR) AS parameter, CAST(value AS DOUBLE) AS value, "
         "CAST(log_likelihood AS DOUBLE) AS log_likelihood, CAST(customers_fitted AS BIGINT) AS customers_fitted, "
         "CAST(calibration_end AS DATE) AS calibration_end, CAST(time_unit AS VARCHAR) AS time_unit, "
         "CAST(fitted_at AS TIMESTAMP) AS fitted_at"),
        ("marts.customer_clv", out,
         "CAST(customer_id AS VARCHAR) AS customer_id, CAST(frequency AS INTEGER) AS frequency, "
         "recency, age, p_alive, expected_occasions_90d, expected_occasions_365d, expected_value_per_occasion, "
         "clv_12m, CAST(value_rank AS BIGINT) AS value_rank"),
    ])
    return FitResult(as_of=as_of, time_unit=unit, discount_rate_monthly=discount_rate_monthly, bgnbd=bg,
                     gamma_gamma=gg, customers_scored=len(out), total_clv_12m=float(out["clv_12m"].sum()),
                     warnings=warnings)


# ---------------------------------------------------------------------------------------------------
# Holdout validation


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
        d.update(calibration_end=self.calibration_end.isoformat(), holdout_end=self.holdout_end.isoformat(),
                 bgnbd_params=self.bgnbd.params.as_dict(), bgnbd_log_likelihood=self.bgnbd.log_likelihood,
                 relative_error=self.relative_error)
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

_HOLDOUT_ACTUAL_SQL = _HOLDOUT_DAYS_SQL + """
SELECT f.customer_id, CAST(COUNT(d.day) AS BIGINT) AS actual_occasions
FROM firsts f LEFT JOIN days d ON d.customer_id = f.customer_id AND d.day > $cal_end
GROUP BY f.customer_id
"""

_HOLDOUT_WEEKLY_SQL = _HOLDOUT_DAYS_SQL + """
SELECT CAST(date_diff('day', $start, d.day) // 7 + 1 AS INTEGER) AS week_number, COUNT(*) AS repeats
FROM days d JOIN firsts f ON f.customer_id = d.customer_id AND d.day > f.first_day
GROUP BY 1
"""


def frequency_bucket(x: np.ndarray, cap: int = HOLDOUT_FREQUENCY_CAP) -> np.ndarray:
    """'0', '1', ..., f'{cap - 1}', f'{cap}+' labels for calibration frequencies."""
    x = np.asarray(x, dtype=np.int64)
    return np.where(x >= cap, f"{cap}+", x.astype(str))


def holdout(con, calibration_end: date, holdout_end: date, unit: str = "week", *,
            occasions_table: str = OCCASIONS_TABLE) -> HoldoutResult:
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
    cal_end = _as_date(calibration_end, "calibration_end")
    hold_end = _as_date(holdout_end, "holdout_end")
    if hold_end <= cal_end:
        raise ValueError(f"holdout_end {hold_end} must be after calibration_end {cal_end}")
    udays = unit_days(unit)
    table = _table_ref(occasions_table)
    warnings: list[str] = []

    rfm = rfm_summary(con, cal_end, unit, occasions_table=occasions_table)
    if rfm.empty:
        raise ClvFitError(f"no purchase occasions on or before {cal_end.isoformat()}")
    x, t_x, T = _rft(rfm)
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
    per_customer = pd.DataFrame({"customer_id": rfm["customer_id"], "frequency_cal": rfm["frequency"].astype("int64"),
                                 "predicted_occasions": predicted})
    per_customer = per_customer.merge(actual, on="customer_id", how="left", validate="one_to_one")
    if per_customer["actual_occasions"].isna().any():  # cannot happen: both come from the same customers
        raise ClvFitError("holdout: calibration customers and actual occasions do not match")
    per_customer["actual_occasions"] = per_customer["actual_occasions"].astype("int64")

    # By calibration frequency.
    per_customer["frequency_bucket"] = frequency_bucket(per_customer["frequency_cal"].to_numpy())
    by_freq = (per_customer.groupby("frequency_bucket", sort=False)
               .agg(customers=("customer_id", "size"), mean_predicted=("predicted_occasions", "mean"),
                    mean_actual=("actual_occasions", "mean"))
               .reset_index())
    by_freq["_order"] = by_freq["frequency_bucket"].str.rstrip("+").astype(int)
    by_freq = by_freq.sort_values("_order").drop(columns="_order")
    per_customer = per_customer.drop(columns="frequency_bucket")

    # Tracking curve over calendar weeks.
    start = rfm["first_purchase"].min()
    start = start.date() if isinstance(start, (pd.Timestamp, datetime)) else start
    n_weeks = ((hold_end - start).days + 1 + 6) // 7
    week_start = np.array([start + timedelta(days=7 * k) for k in range(n_weeks)])
    week_end_days = np.minimum(np.arange(1, n_weeks + 1) * 7 - 1, (hold_end - start).days)  # days since start
    weekly = con.execute(_HOLDOUT_WEEKLY_SQL.format(table=table),
                         {"cal_end": cal_end, "hold_end": hold_end, "start": start}).df()
    repeats = np.zeros(n_weeks, dtype=np.int64)
    repeats[weekly["week_number"].to_numpy(dtype=np.int64) - 1] = weekly["repeats"].to_numpy(dtype=np.int64)
    first_offset = (pd.to_datetime(rfm["first_purchase"]) - pd.Timestamp(start)).dt.days.to_numpy()
    offsets, counts = np.unique(first_offset, return_counts=True)
    elapsed = np.clip(week_end_days[:, None] - offsets[None, :], 0, None) / udays  # weeks x first-purchase days
    predicted_curve = bgnbd.expected_occasions(bg.params, elapsed) @ counts
    curve = pd.DataFrame({"week_number": np.arange(1, n_weeks + 1), "week_start": week_start,
                          "actual_cumulative": np.cumsum(repeats), "predicted_cumulative": predicted_curve})

    _write_tables(con, [
        ("marts.clv_holdout", per_customer,
         "CAST(customer_id AS VARCHAR) AS customer_id, CAST(frequency_cal AS INTEGER) AS frequency_cal, "
         "CAST(predicted_occasions AS DOUBLE) AS predicted_occasions, "
         "CAST(actual_occasions AS BIGINT) AS actual_occasions"),
        ("marts.clv_holdout_by_frequency", by_freq,
         "CAST(frequency_bucket AS VARCHAR) AS frequency_bucket, CAST(customers AS BIGINT) AS customers, "
         "CAST(mean_predicted AS DOUBLE) AS mean_predicted, CAST(mean_actual AS DOUBLE) AS mean_actual"),
        ("marts.clv_holdout_curve", curve,
         "CAST(week_number AS INTEGER) AS week_number, CAST(week_start AS DATE) AS week_start, "
         "CAST(actual_cumulative AS BIGINT) AS actual_cumulative, "
         "CAST(predicted_cumulative AS DOUBLE) AS predicted_cumulative"),
    ])
    return HoldoutResult(calibration_end=cal_end, holdout_end=hold_end, time_unit=unit, bgnbd=bg,
                         customers=len(per_customer), predicted_total=float(predicted.sum()),
                         actual_total=int(per_customer["actual_occasions"].sum()), weeks=n_weeks, warnings=warnings)
