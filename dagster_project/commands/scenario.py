"""`cartera scenario`: the growth arithmetic (and what retention is worth) with its terms in words.

Without flags the churn and price change are the published warehouse's (marts.growth_scenarios); flags
override them, and with all three growth flags no warehouse is needed.
"""

from __future__ import annotations

import sys
from pathlib import Path


def register(sub, common) -> None:
    p = sub.add_parser("scenario", help="new customers needed to grow revenue, and what retention is worth")
    common(p)
    p.add_argument("--churn", type=float, help="yearly churn, e.g. 0.25 (default: the warehouse's observed)")
    p.add_argument("--price-change", type=float, help="price change per purchase, e.g. 0.02 (default: observed)")
    p.add_argument("--target-growth", type=float, default=0.05, help="revenue growth wanted, e.g. 0.05 (default)")
    p.add_argument("--retention-gain", type=float, help="also show what this many points of retention are worth")
    p.set_defaults(func=cmd_scenario)


def _observed(warehouse: Path) -> dict | None:
    import duckdb

    if not warehouse.exists():
        return None
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        growth = con.execute(
            "SELECT churn_rate, price_change, observed_new_customer_rate, customers_now "
            "FROM marts.growth_scenarios ORDER BY scenario LIMIT 1"
        ).fetchone()
        value = con.execute(
            "SELECT base_customers, revenue_per_customer_year, discount_rate_yearly, acquisition_cost_ratio, "
            "acquisition_cost_per_customer FROM marts.retention_value ORDER BY retention_gain_points LIMIT 1"
        ).fetchone()
    except duckdb.Error:
        return None
    finally:
        con.close()
    if growth is None:
        return None
    keys = ["churn_rate", "price_change", "observed_new_customer_rate", "customers_now"]
    out = dict(zip(keys, growth, strict=True))
    if value is not None:
        keys = ["base_customers", "revenue_per_customer_year", "discount_rate", "ratio", "acquisition_cost"]
        out |= dict(zip(keys, value, strict=True))
    return out


def cmd_scenario(args) -> int:
    from ..cli import _settings
    from ..lib.dynamics import required_new_customer_rate, retention_value
    from ..lib.report.formatting import format_money, format_number, format_pct
    from ..lib.report.labels import label

    settings = _settings(args)
    lang = settings.lang
    observed = _observed(settings.warehouse) if args.churn is None or args.price_change is None else None
    if observed is None and (args.churn is None or args.price_change is None):
        print(label("scenario.needs_warehouse", lang, path=settings.warehouse), file=sys.stderr)
        return 2
    churn = args.churn if args.churn is not None else observed["churn_rate"]
    price = args.price_change if args.price_change is not None else observed["price_change"]
    if churn is None:
        print(label("scenario.no_history", lang), file=sys.stderr)
        return 2
    price = 0.0 if price is None else float(price)
    churn, growth = float(churn), args.target_growth
    try:
        n = required_new_customer_rate(churn, price, growth)
    except ValueError as e:
        print(f"cartera scenario: {e}", file=sys.stderr)
        return 2

    def pct(x):
        return format_pct(x, 1, lang)

    print(label("scenario.required", lang, n=pct(n)))
    print(
        f"  n = (1 + g) / (1 + p) − (1 − c) = (1 + {pct(growth)}) / (1 + {pct(price)}) − (1 − {pct(churn)}) = {pct(n)}"
    )
    print("  " + label("scenario.term_g", lang, g=pct(growth)))
    print("  " + label("scenario.term_p", lang, p=pct(price)))
    print("  " + label("scenario.term_c", lang, c=pct(churn)))
    print("  " + label("scenario.without_new", lang, change=pct((1 - churn) * (1 + price) - 1)))
    if observed is not None and observed.get("observed_new_customer_rate") is not None:
        print("  " + label("scenario.observed", lang, w=pct(observed["observed_new_customer_rate"])))

    if args.retention_gain is not None:
        if observed is None or observed.get("base_customers") is None:
            observed = _observed(settings.warehouse)
        if observed is None or observed.get("base_customers") is None:
            print(label("scenario.needs_warehouse", lang, path=settings.warehouse), file=sys.stderr)
            return 2
        try:
            value = retention_value(
                base_customers=float(observed["base_customers"]),
                churn_rate=churn,
                revenue_per_customer_year=float(observed["revenue_per_customer_year"] or 0),
                retention_gain=args.retention_gain,
                discount_rate=float(observed["discount_rate"]),
                acquisition_cost_ratio=float(observed["ratio"]),
                acquisition_cost=None if observed["acquisition_cost"] is None else float(observed["acquisition_cost"]),
            )
        except ValueError as e:
            print(f"cartera scenario: {e}", file=sys.stderr)
            return 2

        def money(x):
            return format_money(x, settings.currency, lang)

        print()
        print(
            label(
                "scenario.retention",
                lang,
                gain=format_number(args.retention_gain * 100, 0, lang),
                kept=format_number(value.customers_kept_per_year, 1, lang),
                r=pct(value.retention_rate),
                r2=pct(value.improved_retention_rate),
            )
        )
        print("  " + label("scenario.retention_12m", lang, revenue=money(value.revenue_next_12m)))
        print(
            "  "
            + label(
                "scenario.retention_lifetime",
                lang,
                revenue=money(value.revenue_lifetime),
                d=pct(float(observed["discount_rate"])),
            )
        )
        print(
            "  "
            + label(
                "scenario.retention_new",
                lang,
                new=format_number(value.new_customers_equivalent, 1, lang),
                ratio=format_number(float(observed["ratio"]), 1, lang),
                effort=format_number(value.acquisition_effort_in_retention_units, 1, lang),
                kept=format_number(value.customers_kept_per_year, 1, lang),
            )
        )
        if value.acquisition_cost_equivalent is not None:
            print(
                "  "
                + label(
                    "scenario.retention_cost",
                    lang,
                    acquisition=money(value.acquisition_cost_equivalent),
                    retention=money(value.retention_cost_of_kept),
                )
            )
    return 0
