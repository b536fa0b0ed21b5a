"""Read the figures of the weekly report from the marts with small aggregating queries.

Nothing here pulls a customer-level table into pandas: every query returns at most a few hundred rows
(distributions, a downsampled Pareto curve, 24 cohorts, top-N lists), so it stays fast at 1M customers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

from ..freshness import DEFAULT_STALE_AFTER_DAYS, Freshness, read_freshness
from ..sql import scalar
from .actions import ActionsData, collect_actions_data
from .clv_data import ClvData, collect_clv_data
from .data_quality import DataQuality, collect_data_quality
from .dynamics import DynamicsData, collect_dynamics_data
from .labels import FREQUENCY_TIER_ORDER, STATUS_ORDER, VOLUME_TIER_ORDER
from .vars_in_force import contract_defaults, read_vars_in_force
from .warehouse import table_exists

PARETO_MAX_POINTS = 200
COHORTS_SHOWN = 24


@dataclass
class ReportData:
    as_of: date
    headline: dict  # plain numbers (JSON-serializable); "as_of" as an ISO string
    status: pd.DataFrame  # code, customers, net_revenue
    volume: pd.DataFrame  # code, customers, net_revenue
    frequency: pd.DataFrame  # code, customers, net_revenue
    pareto: pd.DataFrame  # customer_share, revenue_share (starts at 0, 0)
    cohorts: pd.DataFrame  # cohort_month, period_number, cohort_size, active_customers, retention_rate
    clv: ClvData  # optional sections; fields are None when their marts do not exist
    freshness: Freshness | None = None  # as_of against the latest order (stale export warning)
    quality: DataQuality | None = field(default=None)  # rows read / loaded / rejected per source
    dynamics: DynamicsData | None = None  # portfolio dynamics sections (None when their marts do not exist)
    actions: ActionsData | None = None  # alerts, action list, results, NPS (lib/report/actions.py)
    # the vars the marts were built with (marts.vars_in_force): every window and threshold the text states
    vars_in_force: dict = field(default_factory=contract_defaults)


def _ordered(df: pd.DataFrame, order: tuple[str, ...]) -> pd.DataFrame:
    """Rows in the display order of the codes; every known code present (0 when absent), unknown codes last."""
    known = pd.DataFrame({"code": list(order)})
    extra = df.loc[~df["code"].isin(order), ["code"]]
    out = pd.concat([known, extra], ignore_index=True).merge(df, on="code", how="left")
    return out.fillna({"customers": 0, "net_revenue": 0.0}).astype({"customers": "int64", "net_revenue": "float64"})


def _distribution(con: duckdb.DuckDBPyConnection, sql: str, order: tuple[str, ...]) -> pd.DataFrame:
    return _ordered(con.execute(sql).df(), order)


STATUS_SQL = """
    select s.status as code, count(*) as customers, coalesce(sum(v.net_revenue), 0)::double as net_revenue
    from marts.customer_status s left join marts.customer_volume v using (customer_id)
    group by 1
"""
VOLUME_SQL = """
    select tier as code, count(*) as customers, coalesce(sum(net_revenue), 0)::double as net_revenue
    from marts.customer_volume group by 1
"""
FREQUENCY_SQL = """
    select f.tier as code, count(*) as customers, coalesce(sum(v.net_revenue), 0)::double as net_revenue
    from marts.customer_frequency f left join marts.customer_volume v using (customer_id)
    group by 1
"""


def _pareto_curve(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """(customer share, cumulative revenue share) every `step` ranks, the last rank included, from (0, 0)."""
    total = scalar(con, "select count(*) from marts.pareto_customers")
    step = max(1, math.ceil(total / (PARETO_MAX_POINTS - 2)))
    curve = con.execute(
        """
        with ranked as (
            select row_number() over (order by revenue_rank, customer_id) as n, cumulative_share
            from marts.pareto_customers
        )
        select n / ? as customer_share, cumulative_share::double as revenue_share
        from ranked where (n - 1) % ? = 0 or n = ? order by n
        """,
        [float(max(total, 1)), step, total],
    ).df()
    origin = pd.DataFrame({"customer_share": [0.0], "revenue_share": [0.0]})
    return pd.concat([origin, curve], ignore_index=True)


def _cohorts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        """
        select cohort_month, period_number::int as period_number, cohort_size::bigint as cohort_size,
               active_customers::bigint as active_customers, retention_rate::double as retention_rate
        from marts.cohort_retention
        where cohort_month in (
            select distinct cohort_month from marts.cohort_retention order by cohort_month desc limit ?
        )
        order by cohort_month, period_number
        """,
        [COHORTS_SHOWN],
    ).df()


def _as_of(con: duckdb.DuckDBPyConnection) -> date:
    value = scalar(con, "select max(as_of) from marts.customer_status")
    if value is None and table_exists(con, "intermediate", "int_as_of"):
        value = scalar(con, "select max(as_of) from intermediate.int_as_of")
    if value is None:
        raise ValueError("No as_of date: marts.customer_status is empty and intermediate.int_as_of has none.")
    return value if type(value) is date else pd.Timestamp(value).date()


def _headline(con: duckdb.DuckDBPyConnection, as_of: date, status: pd.DataFrame) -> dict:
    by_status = dict(zip(status["code"], status["customers"], strict=False))
    net_365 = scalar(con, "select coalesce(sum(net_revenue), 0)::double from marts.customer_volume")
    pareto = con.execute(
        """select top_80_customers, top_80_share_of_customers::double, net_revenue::double,
                  top_80_net_revenue::double from marts.pareto_summary limit 1"""
    ).fetchone() or (0, None, 0.0, 0.0)
    top_80, top_80_share_customers, pareto_revenue, top_80_revenue = pareto
    headline = {
        "as_of": as_of.isoformat(),
        "customers": int(status["customers"].sum()),
        "active_customers": int(by_status.get("current", 0) + by_status.get("active", 0)),
        **{f"customers_{code}": int(count) for code, count in by_status.items()},
        "net_revenue_365d": round(float(net_365), 2),
        "top_80_customers": int(top_80 or 0),
        "top_80_share_of_customers": _round_share(top_80_share_customers),
        "top_80_share_of_revenue": _round_share(top_80_revenue / pareto_revenue if pareto_revenue else None),
    }
    return headline


def _round_share(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 6)


def collect_report_data(con: duckdb.DuckDBPyConnection, stale_after_days: int = DEFAULT_STALE_AFTER_DAYS) -> ReportData:
    """All figures of the weekly report, from an open (read-only) connection to the warehouse."""
    as_of = _as_of(con)
    status = _distribution(con, STATUS_SQL, STATUS_ORDER)
    headline = _headline(con, as_of, status)
    clv = collect_clv_data(con)
    headline.update(clv.headline)
    return ReportData(
        as_of=as_of,
        headline=headline,
        status=status,
        volume=_distribution(con, VOLUME_SQL, VOLUME_TIER_ORDER),
        frequency=_distribution(con, FREQUENCY_SQL, FREQUENCY_TIER_ORDER),
        pareto=_pareto_curve(con),
        cohorts=_cohorts(con),
        clv=clv,
        freshness=read_freshness(con, as_of, stale_after_days),
        quality=collect_data_quality(con),
        dynamics=collect_dynamics_data(con),
        actions=collect_actions_data(con),
        vars_in_force=read_vars_in_force(con),
    )
