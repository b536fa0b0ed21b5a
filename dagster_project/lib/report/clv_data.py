"""Optional report sections from the customer-value marts (value and risk, next purchase, how sure, which model
and how accurate), read only when they exist."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from ..sql import fetch_row, scalar
from .warehouse import table_exists

AT_RISK_SHOWN = 10  # rows of marts.customer_value_alerts shown (the rule itself lives in that dbt model)
P_ALIVE_BINS = 10  # histogram bins of width 0.1


@dataclass
class ClvData:
    headline: dict = field(default_factory=dict)
    p_alive_hist: pd.DataFrame | None = None  # bin_start, bin_end, customers (all bins, 0 when empty)
    # customer_id, customer_name, p_alive, clv_12m, clv_12m_low, clv_12m_high, expected_occasions_365d,
    # expected_days_to_next_purchase, last_order_date
    at_risk: pd.DataFrame | None = None
    model_in_use: str | None = None  # bgnbd, mbgnbd, paretonbd
    value_method: str | None = None  # gamma_gamma, shrunk_mean
    next_purchase: dict = field(default_factory=dict)  # buyers, with_median, median_days, likely_90d
    # model, status, curve_error, customer_mae, model_rank, chosen (one row per purchase model)
    comparison: pd.DataFrame | None = None
    # model, week_number, week_start, actual_cumulative, predicted_cumulative (every model)
    holdout_curve: pd.DataFrame | None = None
    holdout_by_frequency: pd.DataFrame | None = None  # frequency_bucket, customers, mean_predicted, mean_actual
    not_fitted_reason: str | None = None  # set when the model could not be fitted this run (and why)

    @property
    def has_value(self) -> bool:
        return self.p_alive_hist is not None

    @property
    def has_accuracy(self) -> bool:
        return self.holdout_curve is not None or self.holdout_by_frequency is not None


def _p_alive_hist(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    counts = con.execute(
        "select least(floor(p_alive * ?), ? - 1)::int as bin, count(*) as customers "
        "from marts.customer_clv where p_alive is not null group by 1",
        [P_ALIVE_BINS, P_ALIVE_BINS],
    ).df()
    hist = pd.DataFrame({"bin": range(P_ALIVE_BINS)}).merge(counts, on="bin", how="left").fillna({"customers": 0})
    hist["bin_start"] = hist["bin"] / P_ALIVE_BINS
    hist["bin_end"] = (hist["bin"] + 1) / P_ALIVE_BINS
    return hist.astype({"customers": "int64"})[["bin_start", "bin_end", "customers"]]


def _value_headline(con: duckdb.DuckDBPyConnection) -> dict:
    headline = {
        "clv_total_12m": round(scalar(con, "select coalesce(sum(clv_12m), 0)::double from marts.customer_clv"), 2)
    }
    if table_exists(con, "marts", "customer_value_alerts"):
        at_risk, value = fetch_row(
            con, "select count(*), coalesce(sum(clv_12m), 0)::double from marts.customer_value_alerts"
        )
        headline.update(clv_customers_at_risk=int(at_risk), clv_at_risk_value_12m=round(value, 2))
    return headline


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    rows = con.execute(
        "select column_name from information_schema.columns where table_schema = 'marts' and table_name = ?", [table]
    ).fetchall()
    return {r[0] for r in rows}


def _optional(cols: set[str], name: str, cast: str, alias: str = "c") -> str:
    return f"{alias}.{name}::{cast} as {name}" if name in cols else f"null::{cast} as {name}"


def _at_risk(con: duckdb.DuckDBPyConnection, cols: set[str]) -> pd.DataFrame | None:
    """The first rows of marts.customer_value_alerts (valuable customers whose chance of still buying is low),
    in the model's priority order; None when that mart doesn't exist."""
    if not table_exists(con, "marts", "customer_value_alerts"):
        return None
    extra = ", ".join(
        _optional(cols, n, "double") for n in ("clv_12m_low", "clv_12m_high", "expected_days_to_next_purchase")
    )
    return con.execute(
        f"""select a.customer_id, a.customer_name, a.p_alive::double as p_alive, a.clv_12m::double as clv_12m,
                  c.expected_occasions_365d::double as expected_occasions_365d, {extra}, a.last_order_date
           from marts.customer_value_alerts a left join marts.customer_clv c using (customer_id)
           order by a.priority limit ?""",
        [AT_RISK_SHOWN],
    ).df()


def _next_purchase(con: duckdb.DuckDBPyConnection, cols: set[str]) -> dict:
    """How many buyers have a median wait, its median over them, and the expected buyers in the next 90 days."""
    if not {"expected_days_to_next_purchase", "p_no_purchase_90d"} <= cols:
        return {}
    buyers, with_median, median_days, likely = fetch_row(
        con,
        """select count(*), count(expected_days_to_next_purchase),
                  median(expected_days_to_next_purchase)::double, coalesce(sum(1 - p_no_purchase_90d), 0)::double
           from marts.customer_clv""",
    )
    return {"buyers": buyers, "with_median": with_median, "median_days": median_days, "likely_90d": likely}


def _bucket_key(bucket: object) -> tuple[float, str]:
    """Sort '0', '1', ..., '10+' by their number, not as text."""
    text = str(bucket)
    match = re.match(r"\s*(\d+(?:\.\d+)?)", text)
    return (float(match.group(1)) if match else float("inf"), text)


def _model_filter(cols: set[str], model: str | None) -> tuple[str, list]:
    return (" where model = ?", [model]) if "model" in cols and model else ("", [])


def _not_fitted_reason(con: duckdb.DuckDBPyConnection) -> str | None:
    """Why the model could not be fitted this run (audit.clv_model_run, written by the clv_model asset and
    published with the marts); None when it was fitted or nothing says otherwise."""
    if not table_exists(con, "audit", "clv_model_run"):
        return None
    row = con.execute("select fitted, reason from audit.clv_model_run limit 1").fetchone()
    if row is None or row[0]:
        return None
    return row[1] or "unknown reason"


def collect_clv_data(con: duckdb.DuckDBPyConnection) -> ClvData:
    data = ClvData()
    data.not_fitted_reason = _not_fitted_reason(con)
    # No value figures from a model that did not run (they would read "nobody at risk"); the comparison of the
    # models tried still shows.
    if data.not_fitted_reason is None and table_exists(con, "marts", "customer_clv"):
        cols = _columns(con, "customer_clv")
        data.headline = _value_headline(con)
        data.p_alive_hist = _p_alive_hist(con)
        data.at_risk = _at_risk(con, cols)
        data.next_purchase = _next_purchase(con, cols)
        if {"model", "value_method"} <= cols:
            data.model_in_use, data.value_method = fetch_row(
                con, "select min(model), min(value_method) from marts.customer_clv"
            )
    if table_exists(con, "marts", "clv_model_comparison"):
        comparison = con.execute(
            """select model, status, curve_error::double as curve_error, customer_mae::double as customer_mae,
                      model_rank, chosen from marts.clv_model_comparison order by model_rank"""
        ).df()
        data.comparison = comparison if len(comparison) else None
    if table_exists(con, "marts", "clv_holdout_curve"):
        cols = _columns(con, "clv_holdout_curve")
        model = "model" if "model" in cols else "null::varchar as model"
        curve = con.execute(
            f"""select {model}, week_number::int as week_number, week_start,
                       actual_cumulative::double as actual_cumulative,
                       predicted_cumulative::double as predicted_cumulative
                from marts.clv_holdout_curve order by model, week_number"""
        ).df()
        data.holdout_curve = curve if len(curve) else None
    if table_exists(con, "marts", "clv_holdout_by_frequency"):
        where, params = _model_filter(_columns(con, "clv_holdout_by_frequency"), data.model_in_use)
        by_freq = con.execute(
            f"""select frequency_bucket::varchar as frequency_bucket, customers::bigint as customers,
                      mean_predicted::double as mean_predicted, mean_actual::double as mean_actual
               from marts.clv_holdout_by_frequency{where}""",
            params,
        ).df()
        order = sorted(range(len(by_freq)), key=lambda i: _bucket_key(by_freq["frequency_bucket"].iat[i]))
        data.holdout_by_frequency = by_freq.iloc[order].reset_index(drop=True) if len(by_freq) else None
    return data
