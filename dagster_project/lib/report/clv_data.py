"""Optional report sections from the CLV marts (customer value, model accuracy), read only when they exist."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from .warehouse import column_exists, table_exists

AT_RISK_P_ALIVE = 0.5  # "at risk": less than this chance of still buying
AT_RISK_SHOWN = 10
P_ALIVE_BINS = 10  # histogram bins of width 0.1


@dataclass
class ClvData:
    headline: dict = field(default_factory=dict)
    p_alive_hist: pd.DataFrame | None = None  # bin_start, bin_end, customers (all bins, 0 when empty)
    at_risk: pd.DataFrame | None = None  # customer_id, p_alive, clv_12m, expected_occasions_365d[, last_order_date]
    holdout_curve: pd.DataFrame | None = None  # week_number, week_start, actual_cumulative, predicted_cumulative
    holdout_by_frequency: pd.DataFrame | None = None  # frequency_bucket, customers, mean_predicted, mean_actual

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
    total, at_risk, at_risk_value = con.execute(
        """select coalesce(sum(clv_12m), 0)::double,
                  count(*) filter (where p_alive < ?),
                  coalesce(sum(clv_12m) filter (where p_alive < ?), 0)::double
           from marts.customer_clv""",
        [AT_RISK_P_ALIVE, AT_RISK_P_ALIVE],
    ).fetchone()
    return {
        "clv_total_12m": round(total, 2),
        "clv_customers_at_risk": int(at_risk),
        "clv_at_risk_value_12m": round(at_risk_value, 2),
    }


def _at_risk(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The most valuable customers (highest expected 12-month value) whose chance of still buying is low."""
    with_profile = table_exists(con, "marts", "customer_profile") and column_exists(
        con, "marts", "customer_profile", "last_order_date")
    with_name = with_profile and column_exists(con, "marts", "customer_profile", "customer_name")
    last_order = (", p.last_order_date" if with_profile else "") + (", p.customer_name" if with_name else "")
    join = " left join marts.customer_profile p using (customer_id)" if with_profile else ""
    return con.execute(
        f"""select c.customer_id, c.p_alive::double as p_alive, c.clv_12m::double as clv_12m,
                   c.expected_occasions_365d::double as expected_occasions_365d{last_order}
            from marts.customer_clv c{join}
            where c.p_alive < ? and c.clv_12m > 0
            order by c.clv_12m desc, c.customer_id limit ?""",
        [AT_RISK_P_ALIVE, AT_RISK_SHOWN],
    ).df()


def _bucket_key(bucket: object) -> tuple[float, str]:
    """Sort '0', '1', ..., '10+' by their number, not as text."""
    text = str(bucket)
    match = re.match(r"\s*(\d+(?:\.\d+)?)", text)
    return (float(match.group(1)) if match else float("inf"), text)


def collect_clv_data(con: duckdb.DuckDBPyConnection) -> ClvData:
    data = ClvData()
    if table_exists(con, "marts", "customer_clv"):
        data.headline = _value_headline(con)
        data.p_alive_hist = _p_alive_hist(con)
        data.at_risk = _at_risk(con)
    if table_exists(con, "marts", "clv_holdout_curve"):
        data.holdout_curve = con.execute(
            """select week_number::int as week_number, week_start, actual_cumulative::double as actual_cumulative,
                      predicted_cumulative::double as predicted_cumulative
               from marts.clv_holdout_curve order by week_number"""
        ).df()
    if table_exists(con, "marts", "clv_holdout_by_frequency"):
        by_freq = con.execute(
            """select frequency_bucket::varchar as frequency_bucket, customers::bigint as customers,
                      mean_predicted::double as mean_predicted, mean_actual::double as mean_actual
               from marts.clv_holdout_by_frequency"""
        ).df()
        order = sorted(range(len(by_freq)), key=lambda i: _bucket_key(by_freq["frequency_bucket"].iat[i]))
        data.holdout_by_frequency = by_freq.iloc[order].reset_index(drop=True)
    return data
