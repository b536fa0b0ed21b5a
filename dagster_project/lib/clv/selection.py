"""Choose the purchase model for a business on its own history: fit every model on a calibration period and
compare their predictions with what happened in the holdout period that follows.

Criterion (documented in README, "Customer value"): among the models that converged with no parameter at a
bound, rank by (1) the curve error, the mean absolute gap between the predicted and actual cumulative repeat
purchases over the holdout weeks as a share of the actual holdout total, and (2) the per-customer mean
absolute error of the holdout purchases; the lowest sum of the two ranks wins, ties broken by the higher
calibration log-likelihood. Without a holdout (short history) the highest log-likelihood on all history wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._common import WEEK_DAYS, check_columns
from .purchase import PurchaseFit

CALIBRATION_COLUMNS = ("customer_id", "frequency", "recency", "age", "holdout_occasions", "first_purchase_day")
WEEKLY_COLUMNS = ("week_number", "repeats")
FREQUENCY_CAP = 7  # by-frequency buckets '0' .. '6', '7+'


@dataclass(frozen=True)
class Comparison:
    table: pd.DataFrame  # one row per model: status, errors, rank, chosen
    per_customer: pd.DataFrame  # customer_id, frequency_cal, predicted_occasions (chosen model), actual_occasions
    by_frequency: pd.DataFrame  # model, frequency_bucket, customers, mean_predicted, mean_actual
    curve: pd.DataFrame  # model, week_number, week_start_day, actual_cumulative, predicted_cumulative
    chosen: str | None


def frequency_bucket(x: np.ndarray, cap: int = FREQUENCY_CAP) -> np.ndarray:
    """'0', '1', ..., f'{cap - 1}', f'{cap}+' labels for calibration frequencies."""
    x = np.asarray(x, dtype=np.int64)
    return np.where(x >= cap, f"{cap}+", x.astype(str))


def status_of(fit: PurchaseFit | str) -> str:
    """ok, at_bound, or not_converged (a string is the error of a fit that failed)."""
    if isinstance(fit, str):
        return "not_converged"
    return "ok" if fit.usable else "at_bound"


def compare(
    calibration: pd.DataFrame,
    weekly: pd.DataFrame,
    fits: Mapping[str, PurchaseFit | str],
    *,
    calibration_days: int,
    holdout_days: int,
) -> Comparison:
    """Compare calibration fits on the holdout.

    calibration: one row per customer who bought by the calibration end: frequency / recency / age (weeks at
    the calibration end), holdout_occasions (repeat purchase days in the holdout), first_purchase_day (days from
    the first day in the data). weekly: repeat purchase days of those customers per calendar week from the first
    day in the data (week_number 1 = days 0-6), through the holdout end. calibration_days: days from the first
    day in the data to the calibration end; holdout_days: length of the holdout.
    """
    check_columns(calibration, CALIBRATION_COLUMNS, "calibration summary")
    check_columns(weekly, WEEKLY_COLUMNS, "weekly repeat purchases")
    x = calibration["frequency"].to_numpy(dtype=float)
    t_x = calibration["recency"].to_numpy(dtype=float)
    T = calibration["age"].to_numpy(dtype=float)
    actual = calibration["holdout_occasions"].to_numpy(dtype=float)
    horizon = holdout_days / WEEK_DAYS
    total_days = calibration_days + holdout_days
    n_weeks = total_days // 7 + 1
    repeats = np.zeros(n_weeks)
    wk = weekly["week_number"].to_numpy(dtype=np.int64)
    keep = (wk >= 1) & (wk <= n_weeks)
    np.add.at(repeats, wk[keep] - 1, weekly["repeats"].to_numpy(dtype=float)[keep])
    actual_cum = np.cumsum(repeats)
    week_end_day = np.minimum(np.arange(1, n_weeks + 1) * 7 - 1, total_days)
    in_holdout = week_end_day > calibration_days
    offsets, counts = np.unique(calibration["first_purchase_day"].to_numpy(dtype=np.int64), return_counts=True)
    elapsed = np.clip(week_end_day[:, None] - offsets[None, :], 0, None) / WEEK_DAYS
    cal_elapsed = np.clip(calibration_days - offsets, 0, None) / WEEK_DAYS
    actual_total = float(actual.sum())

    rows, by_freq, curves, predictions = [], [], [], {}
    buckets = frequency_bucket(x)
    for name, fit in fits.items():
        status = status_of(fit)
        row = {"model": name, "status": status, "calibration_log_likelihood": np.nan, "holdout_predicted": np.nan}
        row.update(holdout_actual=actual_total, curve_error=np.nan, customer_mae=np.nan)
        if isinstance(fit, str):
            row["note"] = fit
            rows.append(row)
            continue
        row["note"] = "" if fit.usable else f"parameter(s) {', '.join(fit.at_bound)} at the optimizer bound"
        with np.errstate(all="ignore"):
            predicted = fit.expected_occasions(horizon, x, t_x, T)
            pred_cum = fit.expected_occasions_new_customer(elapsed) @ counts
            pred_at_cal = fit.expected_occasions_new_customer(cal_elapsed) @ counts
        predictions[name] = predicted
        act_inc = actual_cum[in_holdout] - x.sum()  # repeat purchases since the calibration end
        pred_inc = pred_cum[in_holdout] - pred_at_cal
        row.update(
            calibration_log_likelihood=fit.log_likelihood,
            holdout_predicted=float(predicted.sum()),
            curve_error=float(np.mean(np.abs(pred_inc - act_inc)) / actual_total) if actual_total else np.nan,
            customer_mae=float(np.mean(np.abs(predicted - actual))),
        )
        rows.append(row)
        frame = pd.DataFrame({"bucket": buckets, "predicted": predicted, "actual": actual})
        g = frame.groupby("bucket", sort=False).agg(
            customers=("actual", "size"), mean_predicted=("predicted", "mean"), mean_actual=("actual", "mean")
        )
        g = g.reset_index().rename(columns={"bucket": "frequency_bucket"})
        g.insert(0, "model", name)
        by_freq.append(g)
        curves.append(
            pd.DataFrame(
                {
                    "model": name,
                    "week_number": np.arange(1, n_weeks + 1),
                    "week_start_day": np.arange(n_weeks) * 7,
                    "actual_cumulative": actual_cum,
                    "predicted_cumulative": pred_cum,
                }
            )
        )
    table = pd.DataFrame(rows)
    usable = table["status"] == "ok"
    table["rank_score"] = np.nan
    if usable.any():
        sub = table[usable]
        score = sub["curve_error"].rank(method="min") + sub["customer_mae"].rank(method="min")
        table.loc[usable, "rank_score"] = score
    order = table.assign(_ll=(-table["calibration_log_likelihood"]).fillna(np.inf)).sort_values(
        ["rank_score", "_ll"], na_position="last"
    )
    chosen = str(order["model"].iloc[0]) if usable.any() else None
    table["rank"] = pd.Series(np.arange(1, len(order) + 1), index=order.index)
    table["chosen"] = table["model"] == chosen
    per_customer = pd.DataFrame(
        {
            "customer_id": calibration["customer_id"].to_numpy(),
            "frequency_cal": x.astype(np.int64),
            "predicted_occasions": predictions.get(chosen or "", np.full(x.shape[0], np.nan)),
            "actual_occasions": actual.astype(np.int64),
        }
    )
    empty_bf = pd.DataFrame(columns=["model", "frequency_bucket", "customers", "mean_predicted", "mean_actual"])
    empty_curve = pd.DataFrame(
        columns=["model", "week_number", "week_start_day", "actual_cumulative", "predicted_cumulative"]
    )
    return Comparison(
        table=table,
        per_customer=per_customer,
        by_frequency=pd.concat(by_freq, ignore_index=True) if by_freq else empty_bf,
        curve=pd.concat(curves, ignore_index=True) if curves else empty_curve,
        chosen=chosen,
    )


def choose_by_likelihood(fits: Mapping[str, PurchaseFit | str]) -> str | None:
    """Without a holdout: the usable model with the highest log-likelihood (all have four parameters)."""
    usable = {n: f for n, f in fits.items() if not isinstance(f, str) and f.usable}
    return max(usable, key=lambda n: usable[n].log_likelihood) if usable else None
