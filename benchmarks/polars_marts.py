"""The slice's marts in polars, as an analyst in 2026 might write them (benchmark contender, not product code).

    .venv/bin/python benchmarks/polars_marts.py ORDERS_CSV OUT_DIR

Same input, definitions and outputs as benchmarks/pandas_marts.py (read that docstring): an orders-only export
(customer_id, order_date, amount) in, one parquet file per slice mart out. Lazy frames, one scan of the CSV.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import polars as pl
import slice_rules as rules


def main(csv_path: str, out_dir: str) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    orders = pl.scan_csv(
        csv_path, schema_overrides={"customer_id": pl.Utf8, "order_date": pl.Date, "amount": pl.Float64}
    )
    # purchase occasions: one per (customer, day), revenue = net amount of the day
    occ = (
        orders.group_by("customer_id", "order_date")
        .agg(pl.col("amount").sum().alias("revenue"))
        .rename({"order_date": "occasion_date"})
        .collect()
    )
    as_of = occ["occasion_date"].max()

    def after(days: int) -> pl.Expr:
        return pl.col("occasion_date") > pl.lit(as_of - timedelta(days=days))

    summary = (
        occ.lazy()
        .group_by("customer_id")
        .agg(
            pl.col("occasion_date").min().alias("first_order_date"),
            pl.col("occasion_date").max().alias("last_order_date"),
            pl.len().alias("occasions"),
            pl.col("revenue").sum().round(2).alias("net_revenue"),
            after(rules.ACTIVE_DAYS).sum().alias("occasions_active_window"),
            after(rules.RECURRENCE_DAYS).sum().alias("occasions_recurrence_window"),
            pl.col("revenue").filter(after(rules.VOLUME_DAYS)).sum().round(2).alias("net_revenue_volume_window"),
            pl.col("revenue").filter(after(rules.PARETO_DAYS)).sum().round(2).alias("net_revenue_pareto_window"),
        )
        .with_columns(pl.lit(as_of).alias("as_of"))
        .sort("customer_id")
        .collect()
    )

    # status
    recent = pl.col("last_order_date") > pl.lit(as_of - timedelta(days=rules.ACTIVE_DAYS))
    status = summary.select(
        "customer_id",
        "as_of",
        "occasions_active_window",
        "occasions_recurrence_window",
        "last_order_date",
        pl.when(recent & (pl.col("occasions_recurrence_window") >= rules.RECURRENCE_MIN))
        .then(pl.lit("current"))
        .when(recent)
        .then(pl.lit("active"))
        .otherwise(pl.lit("inactive"))
        .alias("status"),
        (pl.lit(as_of) - pl.col("last_order_date")).dt.total_days().alias("days_since_last_order"),
    )
    status.write_parquet(out / "customer_status.parquet")

    # volume
    rev = pl.col("net_revenue_volume_window")
    mean = summary.filter(rev > 0)["net_revenue_volume_window"].mean()
    volume = summary.select(
        "customer_id",
        "as_of",
        rev.alias("net_revenue"),
        pl.lit(mean).alias("mean_revenue"),
        (rev / mean).alias("ratio_to_mean"),
        pl.when(rev <= 0)
        .then(None)
        .when(rev >= rules.VERY_HIGH * mean)
        .then(pl.lit("very_high"))
        .when(rev >= rules.HIGH * mean)
        .then(pl.lit("high"))
        .when(rev >= rules.MEDIUM * mean)
        .then(pl.lit("medium"))
        .otherwise(pl.lit("low"))
        .alias("tier"),
    )
    volume.write_parquet(out / "customer_volume.parquet")

    # frequency
    span = (pl.col("last_order_date") - pl.col("first_order_date")).dt.total_days()
    mdb = pl.when(pl.col("occasions") > 1).then(span / (pl.col("occasions") - 1)).otherwise(None)
    freq = summary.select(
        "customer_id", "as_of", "occasions", "first_order_date", "last_order_date", mdb.alias("mean_days_between")
    ).with_columns(
        pl.when(pl.col("mean_days_between").is_null())
        .then(pl.lit("occasional"))
        .when(pl.col("mean_days_between") <= rules.FREQUENT_MAX)
        .then(pl.lit("frequent"))
        .when(pl.col("mean_days_between") <= rules.HABITUAL_MAX)
        .then(pl.lit("habitual"))
        .otherwise(pl.lit("occasional"))
        .alias("tier")
    )
    freq.write_parquet(out / "customer_frequency.parquet")

    # pareto: rank by revenue (ties by customer_id); top group up to and including the first reaching the share
    pareto = (
        summary.filter(pl.col("net_revenue_pareto_window") > 0)
        .select("customer_id", pl.col("net_revenue_pareto_window").alias("net_revenue"))
        .sort(["net_revenue", "customer_id"], descending=[True, False])
        .with_columns(
            pl.lit(as_of).alias("as_of"),
            pl.int_range(1, pl.len() + 1).alias("revenue_rank"),
            (pl.col("net_revenue") * 100).round().cast(pl.Int64).alias("cents"),
        )
        .with_columns(pl.col("cents").cum_sum().alias("cum_cents"))
    )
    total_cents = int(pareto["cents"].sum())
    pareto = pareto.with_columns(
        (pl.col("cum_cents") / 100).alias("cumulative_revenue"),
        (pl.col("cum_cents") / total_cents).alias("cumulative_share"),
        ((pl.col("cum_cents") - pl.col("cents")) * rules.PARETO_SHARE_DEN < rules.PARETO_SHARE_NUM * total_cents).alias(
            "is_top_80"
        ),
    ).drop("cents", "cum_cents")
    pareto.write_parquet(out / "pareto_customers.parquet")
    top = pareto.filter(pl.col("is_top_80"))
    n = pareto.height
    pl.DataFrame(
        {
            "as_of": [as_of],
            "customers": [n],
            "top_80_customers": [top.height],
            "top_80_share_of_customers": [top.height / n if n else None],
            "net_revenue": [round(total_cents / 100, 2)],
            "top_80_net_revenue": [round(float(top["net_revenue"].sum()), 2)],
        }
    ).write_parquet(out / "pareto_summary.parquet")

    # cohort retention: cohort = month of first occasion; activity = customer-months with an occasion
    def month_idx(col: str) -> pl.Expr:
        return pl.col(col).dt.year() * 12 + pl.col(col).dt.month() - 1

    as_of_month = as_of.year * 12 + as_of.month - 1
    cohort_of = summary.select("customer_id", month_idx("first_order_date").alias("cohort_idx"))
    cohorts = cohort_of.group_by("cohort_idx").agg(pl.len().alias("cohort_size"))
    periods = cohorts.with_columns(pl.int_ranges(0, as_of_month - pl.col("cohort_idx") + 1).alias("period_number"))
    periods = periods.explode("period_number").with_columns(pl.col("period_number").cast(pl.Int64))
    activity = (
        occ.lazy()
        .with_columns(month_idx("occasion_date").alias("activity_idx"))
        .group_by("customer_id", "activity_idx")
        .agg(pl.col("revenue").sum())
        .join(cohort_of.lazy(), on="customer_id")
        .with_columns((pl.col("activity_idx") - pl.col("cohort_idx")).cast(pl.Int64).alias("period_number"))
        .group_by("cohort_idx", "period_number")
        .agg(pl.len().alias("active_customers"), pl.col("revenue").sum())
        .collect()
    )

    def month_start(idx: pl.Expr) -> pl.Expr:
        return pl.date((idx // 12).cast(pl.Int32), (idx % 12 + 1).cast(pl.Int8), 1)

    ret = (
        periods.join(activity, on=["cohort_idx", "period_number"], how="left")
        .with_columns(
            pl.col("active_customers").fill_null(0).cast(pl.Int64),
            pl.col("revenue").fill_null(0.0).round(2),
        )
        .with_columns(
            (pl.col("active_customers") / pl.col("cohort_size")).alias("retention_rate"),
            month_start(pl.col("cohort_idx")).alias("cohort_month"),
            month_start(pl.col("cohort_idx") + pl.col("period_number")).alias("period_month"),
        )
        .sort("cohort_month", "period_number")
    )
    ret.select(
        "cohort_month", "period_number", "period_month", "cohort_size", "active_customers", "retention_rate", "revenue"
    ).write_parquet(out / "cohort_retention.parquet")

    # profile (buyers only in this slice)
    top_ids = pareto.filter(pl.col("is_top_80")).select("customer_id", pl.lit(True).alias("is_top_80"))
    profile = (
        summary.select("customer_id", "as_of", "first_order_date", "last_order_date", "occasions", "net_revenue")
        .with_columns(
            (pl.col("net_revenue") / pl.col("occasions")).alias("avg_order_value"),
            (pl.lit(as_of) - pl.col("first_order_date")).dt.total_days().alias("tenure_days"),
        )
        .join(status.select("customer_id", "status"), on="customer_id", how="left")
        .join(volume.select("customer_id", pl.col("tier").alias("volume_tier")), on="customer_id", how="left")
        .join(freq.select("customer_id", pl.col("tier").alias("frequency_tier")), on="customer_id", how="left")
        .join(top_ids, on="customer_id", how="left")
        .with_columns(pl.col("is_top_80").fill_null(False))
    )
    profile.write_parquet(out / "customer_profile.parquet")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
