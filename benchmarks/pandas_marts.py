"""The slice's marts in plain pandas, as an analyst would write them (benchmark contender, not product code).

    .venv/bin/python benchmarks/pandas_marts.py ORDERS_CSV OUT_DIR

Reads an orders-only export (customer_id, order_date, amount) and writes one parquet file per mart into
OUT_DIR: customer_profile, customer_status, customer_volume, customer_frequency, pareto_customers,
pareto_summary, cohort_retention. Business definitions follow docs/CONTRACTS.md and dbt/models with the
default vars: as_of = latest order date, active window 90 days, recurrence 2 occasions in 365 days,
volume and Pareto windows 365 days, Pareto share 0.8, frequency tiers 30/90 days. With no order_id an
occasion is a distinct (customer_id, order_date); "in the last N days" = date > as_of - N and <= as_of.
There are no CRM customers or prospects in this slice, so the universe is the buyers.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import slice_rules as rules


def main(csv_path: str, out_dir: str) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    orders = pd.read_csv(csv_path, dtype={"customer_id": str}, parse_dates=["order_date"])

    # purchase occasions: one per (customer, day), revenue = net amount of the day
    occ = orders.groupby(["customer_id", "order_date"], as_index=False, sort=False)["amount"].sum()
    occ = occ.rename(columns={"order_date": "occasion_date", "amount": "revenue"})
    as_of = occ["occasion_date"].max()
    occ = occ[occ["occasion_date"] <= as_of]

    def in_last(days: int) -> pd.Series:
        return occ["occasion_date"] > as_of - pd.Timedelta(days=days)

    occ["active_w"] = in_last(rules.ACTIVE_DAYS)
    occ["recurrence_w"] = in_last(rules.RECURRENCE_DAYS)
    occ["volume_rev"] = occ["revenue"].where(in_last(rules.VOLUME_DAYS), 0.0)
    occ["pareto_rev"] = occ["revenue"].where(in_last(rules.PARETO_DAYS), 0.0)
    summary = (
        occ.groupby("customer_id")
        .agg(
            first_order_date=("occasion_date", "min"),
            last_order_date=("occasion_date", "max"),
            occasions=("occasion_date", "size"),
            net_revenue=("revenue", "sum"),
            occasions_active_window=("active_w", "sum"),
            occasions_recurrence_window=("recurrence_w", "sum"),
            net_revenue_volume_window=("volume_rev", "sum"),
            net_revenue_pareto_window=("pareto_rev", "sum"),
        )
        .reset_index()
    )
    for col in ["net_revenue", "net_revenue_volume_window", "net_revenue_pareto_window"]:
        summary[col] = summary[col].round(2)  # cents, like DECIMAL(18,2)
    summary["as_of"] = as_of

    # status
    bought_recently = summary["last_order_date"] > as_of - pd.Timedelta(days=rules.ACTIVE_DAYS)
    current = bought_recently & (summary["occasions_recurrence_window"] >= rules.RECURRENCE_MIN)
    status = summary[
        ["customer_id", "as_of", "occasions_active_window", "occasions_recurrence_window", "last_order_date"]
    ].copy()
    status["status"] = np.select([current, bought_recently], ["current", "active"], "inactive")
    status["days_since_last_order"] = (as_of - summary["last_order_date"]).dt.days
    status.to_parquet(out / "customer_status.parquet", index=False)

    # volume
    rev = summary["net_revenue_volume_window"]
    mean = rev[rev > 0].mean()
    volume = pd.DataFrame(
        {
            "customer_id": summary["customer_id"],
            "as_of": as_of,
            "net_revenue": rev,
            "mean_revenue": mean,
            "ratio_to_mean": rev / mean,
        }
    )
    tier = np.select(
        [rev >= rules.VERY_HIGH * mean, rev >= rules.HIGH * mean, rev >= rules.MEDIUM * mean],
        ["very_high", "high", "medium"],
        "low",
    )
    volume["tier"] = pd.Series(tier, index=volume.index).where(rev > 0, None)  # no positive revenue: no tier
    volume.to_parquet(out / "customer_volume.parquet", index=False)

    # frequency
    freq = summary[["customer_id", "as_of", "occasions", "first_order_date", "last_order_date"]].copy()
    span = (freq["last_order_date"] - freq["first_order_date"]).dt.days
    freq["mean_days_between"] = span / (freq["occasions"] - 1).replace(0, np.nan)
    mdb = freq["mean_days_between"]
    freq["tier"] = np.select(
        [mdb.isna(), mdb <= rules.FREQUENT_MAX, mdb <= rules.HABITUAL_MAX],
        ["occasional", "frequent", "habitual"],
        "occasional",
    )
    freq.to_parquet(out / "customer_frequency.parquet", index=False)

    # pareto
    pareto = summary.loc[summary["net_revenue_pareto_window"] > 0, ["customer_id", "net_revenue_pareto_window"]]
    pareto = pareto.rename(columns={"net_revenue_pareto_window": "net_revenue"})
    pareto = pareto.sort_values(["net_revenue", "customer_id"], ascending=[False, True], ignore_index=True)
    pareto["as_of"] = as_of
    pareto["revenue_rank"] = np.arange(1, len(pareto) + 1)
    cents = (pareto["net_revenue"] * 100).round().astype("int64")  # exact sums, like DECIMAL
    cum_cents = cents.cumsum()
    total_cents = int(cents.sum())
    total = total_cents / 100
    pareto["cumulative_revenue"] = cum_cents / 100
    pareto["cumulative_share"] = cum_cents / total_cents
    # top group: everyone up to and including the first customer whose cumulative share reaches the share
    pareto["is_top_80"] = (cum_cents - cents) * rules.PARETO_SHARE_DEN < rules.PARETO_SHARE_NUM * total_cents
    pareto.to_parquet(out / "pareto_customers.parquet", index=False)
    top = pareto["is_top_80"]
    pd.DataFrame(
        [
            {
                "as_of": as_of,
                "customers": len(pareto),
                "top_80_customers": int(top.sum()),
                "top_80_share_of_customers": top.sum() / len(pareto) if len(pareto) else None,
                "net_revenue": round(total, 2),
                "top_80_net_revenue": round(pareto.loc[top, "net_revenue"].sum(), 2),
            }
        ]
    ).to_parquet(out / "pareto_summary.parquet", index=False)

    # cohort retention: cohort = month of first occasion; activity = customer-months with an occasion
    def month_index(s: pd.Series) -> pd.Series:
        return s.dt.year * 12 + s.dt.month - 1

    cohort_of = pd.Series(month_index(summary["first_order_date"]).values, index=summary["customer_id"])
    as_of_month = as_of.year * 12 + as_of.month - 1
    cohorts = cohort_of.value_counts().rename("cohort_size").rename_axis("cohort_idx").reset_index()
    periods = cohorts.loc[cohorts.index.repeat(as_of_month - cohorts["cohort_idx"] + 1)].copy()
    periods["period_number"] = periods.groupby("cohort_idx").cumcount()
    cm = occ[["customer_id", "revenue"]].copy()
    cm["activity_idx"] = month_index(occ["occasion_date"])
    cm = cm.groupby(["customer_id", "activity_idx"], as_index=False, sort=False)["revenue"].sum()
    cm["cohort_idx"] = cm["customer_id"].map(cohort_of)
    cm["period_number"] = cm["activity_idx"] - cm["cohort_idx"]
    activity = cm.groupby(["cohort_idx", "period_number"], as_index=False).agg(
        active_customers=("customer_id", "size"), revenue=("revenue", "sum")
    )
    ret = periods.merge(activity, on=["cohort_idx", "period_number"], how="left")
    ret["active_customers"] = ret["active_customers"].fillna(0).astype("int64")
    ret["revenue"] = ret["revenue"].fillna(0.0).round(2)
    ret["retention_rate"] = ret["active_customers"] / ret["cohort_size"]

    def month_start(idx: pd.Series) -> pd.Series:
        return pd.to_datetime(pd.DataFrame({"year": idx // 12, "month": idx % 12 + 1, "day": 1}))

    ret["cohort_month"] = month_start(ret["cohort_idx"])
    ret["period_month"] = month_start(ret["cohort_idx"] + ret["period_number"])
    ret = ret.sort_values(["cohort_month", "period_number"], ignore_index=True)
    ret[
        [
            "cohort_month",
            "period_number",
            "period_month",
            "cohort_size",
            "active_customers",
            "retention_rate",
            "revenue",
        ]
    ].to_parquet(out / "cohort_retention.parquet", index=False)

    # profile (buyers only in this slice)
    profile = summary[
        ["customer_id", "as_of", "first_order_date", "last_order_date", "occasions", "net_revenue"]
    ].copy()
    profile["avg_order_value"] = profile["net_revenue"] / profile["occasions"]
    profile["tenure_days"] = (as_of - profile["first_order_date"]).dt.days
    profile["status"] = status["status"].values
    profile["volume_tier"] = volume["tier"].values
    profile["frequency_tier"] = freq["tier"].values
    profile["is_top_80"] = profile["customer_id"].isin(pareto.loc[pareto["is_top_80"], "customer_id"])
    profile.to_parquet(out / "customer_profile.parquet", index=False)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
