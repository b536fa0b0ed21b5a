# mypy: disable-error-code="arg-type"
# (values read from pandas rows are typed as any scalar; the formatters take numbers, as the marts give)
"""The report's portfolio-dynamics sections (issue 11): churn by month, the growth arithmetic, what retention
is worth, lifecycle phases with the maturity warning, last month's migration and leaks, the top group.

Every number in the text comes from the marts (and the vars they carry); every word from labels.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import duckdb
import pandas as pd

from .formatting import format_date, format_int, format_money, format_number, format_pct
from .html import table
from .labels import STATUS_ORDER, code_label, label
from .warehouse import table_exists

MONTHS_SHOWN = 12
LEAKS_SHOWN = 3
TABLES = ("churn_by_period", "growth_scenarios", "retention_value", "lifecycle_summary", "segment_migration")


@dataclass
class DynamicsData:
    churn: pd.DataFrame  # the last months of churn_by_period (month grain), oldest first
    growth: dict | None  # the growth_scenarios row closest to +5% (the owner's usual question)
    retention: dict | None  # the retention_value row of the largest gain (5 points)
    lifecycle: pd.DataFrame  # lifecycle_summary
    migration: pd.DataFrame  # status moves into the last month end
    leaks: pd.DataFrame  # the leakiest segments
    insights: pd.DataFrame  # pareto_insights


def collect_dynamics_data(con: duckdb.DuckDBPyConnection) -> DynamicsData | None:
    """The figures of the dynamics sections (a few hundred rows at most); None when the marts are absent."""
    if not all(table_exists(con, "marts", t) for t in TABLES):
        return None

    def rows(sql: str) -> pd.DataFrame:
        return con.execute(sql).df()

    def first(sql: str) -> dict | None:
        df = rows(sql)
        return None if df.empty else df.iloc[0].to_dict()

    return DynamicsData(
        churn=rows(
            "select * from (select * from marts.churn_by_period where period_grain = 'month' "
            f"order by period_start desc limit {MONTHS_SHOWN}) order by period_start"
        ),
        growth=first("select * from marts.growth_scenarios order by abs(target_growth - 0.05), scenario limit 1"),
        retention=first("select * from marts.retention_value order by retention_gain_points desc limit 1"),
        lifecycle=rows("select * from marts.lifecycle_summary order by stage_order"),
        migration=rows(
            "select from_month_end, to_month_end, from_segment, to_segment, customers from marts.segment_migration "
            "where dimension = 'status' and to_month_end = (select max(to_month_end) from marts.segment_migration)"
        ),
        leaks=rows(
            "select * from marts.segment_leakage where moved_down_share > 0 "
            f"order by moved_down_share desc, customers desc limit {LEAKS_SHOWN}"
        ),
        insights=rows("select * from marts.pareto_insights"),
    )


def _section(section_id: str, title: str, body: str) -> str:
    return f'<section id="{section_id}"><h2>{escape(title)}</h2>{body}</section>'


def _table(head: list[str], rows: list[list[str]]) -> str:
    """The first column names the row; the others are numbers."""
    return table([(h, i > 0) for i, h in enumerate(head)], rows)


def _churn(d: DynamicsData, currency: str, lang: str) -> str:
    cols = ["month", "at_start", "churned", "new", "reactivated", "at_end", "churn_rate", "revenue"]
    rows = [
        [
            format_date(r.period_end, lang),
            format_int(r.customers_at_start, lang),
            format_int(r.churned, lang),
            format_int(r.new_customers, lang),
            format_int(r.reactivated, lang),
            format_int(r.customers_at_end, lang),
            format_pct(r.churn_rate, 1, lang),
            format_money(r.revenue, currency, lang),
        ]
        for r in d.churn.itertuples(index=False)
    ]
    body = _table([label(f"dyn.col.{c}", lang) for c in cols], rows)
    return _section("dyn-churn", label("section.dyn_churn", lang), body + _explain(label("explain.dyn_churn", lang)))


def _explain(text: str) -> str:
    return f'<p class="explain">{escape(text)}</p>'


def _growth(d: DynamicsData, lang: str) -> str:
    g = d.growth
    if g is None or pd.isna(g.get("churn_rate")):
        return _section("dyn-growth", label("section.dyn_growth", lang), _explain(label("dyn.growth_no_history", lang)))
    sentence = label(
        "dyn.growth_sentence",
        lang,
        c=format_pct(g["churn_rate"], 1, lang),
        g=format_pct(g["target_growth"], 1, lang),
        n=format_pct(g["required_new_customer_rate"], 1, lang),
        count=format_int(g["required_new_customers"], lang),
        w=format_pct(g["observed_new_customer_rate"], 1, lang),
    )
    p = 0.0 if pd.isna(g["price_change"]) else g["price_change"]
    body = f"<p><strong>{escape(sentence)}</strong></p>" + _explain(
        label("dyn.growth_explain", lang, p=format_pct(p, 1, lang))
    )
    return _section("dyn-growth", label("section.dyn_growth", lang), body)


def _retention(d: DynamicsData, currency: str, lang: str) -> str:
    r = d.retention
    if r is None or pd.isna(r.get("customers_kept_per_year")):
        return ""
    sentence = label(
        "dyn.retention_sentence",
        lang,
        points=format_int(r["retention_gain_points"], lang),
        kept=format_number(r["customers_kept_per_year"], 0, lang),
        revenue_12m=format_money(r["revenue_next_12m"], currency, lang),
        revenue_lifetime=format_money(r["revenue_lifetime"], currency, lang),
        new=format_number(r["new_customers_equivalent"], 0, lang),
        ratio=format_number(r["acquisition_cost_ratio"], 0, lang),
    )
    return _section("dyn-retention", label("section.dyn_retention", lang), f"<p>{escape(sentence)}</p>")


def _lifecycle(d: DynamicsData, lang: str) -> str:
    lc = d.lifecycle
    if lc.empty:
        return ""
    rows = [
        [
            code_label("lifecycle", r.lifecycle_stage, lang),
            format_int(r.customers, lang),
            format_pct(r.share_of_buyers, 1, lang),
            format_number(r.avg_month_ends_in_stage, 1, lang),
        ]
        for r in lc.itertuples(index=False)
    ]
    head = [label(f"dyn.col.{c}", lang) for c in ("stage", "customers", "share", "avg_stay")]
    top = lc.iloc[0]
    key = "dyn.maturity_warning" if bool(top["maturity_warning"]) else "dyn.maturity_ok"
    warning = label(
        key,
        lang,
        share=format_pct(top["mature_share"], 1, lang),
        limit=format_pct(top["maturity_warning_share"], 0, lang),
    )
    tone = "bad" if bool(top["maturity_warning"]) else "neutral"
    explain = label(
        "dyn.lifecycle_explain",
        lang,
        days=format_int(top["onboarding_days"], lang),
        window=format_int(top["trend_window_days"], lang),
        growth=format_pct(top["growth_min_change"], 0, lang),
        decline=format_pct(top["decline_min_change"], 0, lang),
    )
    body = f'<p class="{tone}">{escape(warning)}</p>' + _table(head, rows) + _explain(explain)
    return _section("dyn-lifecycle", label("section.dyn_lifecycle", lang), body)


def _segment_name(dimension: str, code: str, lang: str) -> str:
    kind = {"status": "status", "volume_tier": "volume", "frequency_tier": "frequency"}.get(dimension, "lifecycle")
    return label("segment.new", lang) if code == "new" else code_label(kind, code, lang)


def _migration(d: DynamicsData, lang: str) -> str:
    m = d.migration
    if m.empty:
        return ""
    order = ["new", *[s for s in STATUS_ORDER if s in set(m["from_segment"]) | set(m["to_segment"])]]
    froms = [s for s in order if s in set(m["from_segment"])]
    tos = [s for s in order if s in set(m["to_segment"])]
    counts = {(r.from_segment, r.to_segment): r.customers for r in m.itertuples(index=False)}
    head = [""] + [_segment_name("status", s, lang) for s in tos]
    rows = [[_segment_name("status", f, lang)] + [format_int(counts.get((f, t), 0), lang) for t in tos] for f in froms]
    explain = label(
        "dyn.migration_explain",
        lang,
        from_date=format_date(m["from_month_end"].iloc[0], lang),
        to_date=format_date(m["to_month_end"].iloc[0], lang),
    )
    leaks = ""
    if not d.leaks.empty:
        items = "".join(
            "<li>"
            + escape(
                label(
                    "dyn.leak_item",
                    lang,
                    segment=_segment_name(r.dimension, r.from_segment, lang),
                    dimension=label(f"dimension.{r.dimension}", lang),
                    share=format_pct(r.moved_down_share, 1, lang),
                    inactive=format_pct(r.moved_to_inactive_share, 1, lang),
                )
            )
            + "</li>"
            for r in d.leaks.itertuples(index=False)
        )
        period = d.leaks.iloc[0]  # every row covers the same month ends (segment_leakage)
        leakiest = label(
            "dyn.leakiest",
            lang,
            from_date=format_date(period["first_to_month_end"], lang),
            to_date=format_date(period["last_to_month_end"], lang),
        )
        leaks = f"<p>{escape(leakiest)}</p><ul>{items}</ul>"
    return _section(
        "dyn-migration", label("section.dyn_migration", lang), _table(head, rows) + _explain(explain) + leaks
    )


def _answer(ins: pd.DataFrame, question: int, measure: str, dimension: str | None = None) -> pd.DataFrame:
    rows = ins[(ins["question"] == question) & (ins["measure"] == measure)]
    return rows if dimension is None else rows[rows["dimension"] == dimension]


def _top_group(d: DynamicsData, lang: str) -> str:
    ins = d.insights
    if ins.empty:
        return ""
    share = format_pct(ins["pareto_share"].iloc[0], 0, lang)
    who = {r.measure: r for r in _answer(ins, 2, "customers").itertuples(index=False)}
    if "customers" not in who:
        return ""

    def one(question: int, measure: str) -> tuple[float, float]:
        r = _answer(ins, question, measure).iloc[0]
        return r["top_group"], r["rest"]

    occasions, rest_occasions = one(5, "occasions_per_customer")
    text = label(
        "dyn.top_sentence",
        lang,
        group=label("dyn.top_group", lang, share=share),
        customers=format_int(who["customers"].top_group, lang),
        customer_share=format_pct(one(2, "share_of_customers")[0], 1, lang),
        revenue_share=format_pct(one(2, "share_of_revenue")[0], 1, lang),
        occasions=format_number(occasions, 1, lang),
        rest_occasions=format_number(rest_occasions, 1, lang),
        churned=format_int(one(7, "customers")[0], lang),
    )
    parts = [f"<p>{escape(text)}</p>"]
    items = []
    for dimension in ("status", "volume_tier", "frequency_tier", "lifecycle_stage"):
        rows = _answer(ins, 3, "share_of_customers", dimension)
        if not rows.empty:
            best = rows.sort_values(["top_group", "value"], ascending=[False, True]).iloc[0]
            name = _segment_name(dimension, best["value"], lang)
            items.append(f"{label(f'dimension.{dimension}', lang)} {name} ({format_pct(best['top_group'], 0, lang)})")
    parts.append(f"<p>{escape(label('dyn.top_segments', lang, items='; '.join(items)))}</p>")
    channels = _answer(ins, 8, "share_of_customers")
    missing = channels[channels["note"].notna()]
    if not missing.empty:
        file = missing["note"].iloc[0].rsplit(" ", 1)[-1]
        parts.append(f'<p class="muted">{escape(label("dyn.not_available", lang, file=file))}</p>')
    elif not channels.empty:
        best = channels.sort_values(["top_group", "value"], ascending=[False, True]).iloc[0]
        parts.append(
            "<p>"
            + escape(
                label(
                    "dyn.top_channel",
                    lang,
                    channel=best["value"],
                    share=format_pct(best["top_group"], 0, lang),
                    rest_share=format_pct(best["rest"], 0, lang),
                )
            )
            + "</p>"
        )
        markets = _answer(ins, 9, "share_of_customers", "segment")
        if not markets.empty:
            best = markets.sort_values(["top_group", "value"], ascending=[False, True]).iloc[0]
            parts.append(
                "<p>"
                + escape(
                    label("dyn.top_market", lang, market=best["value"], share=format_pct(best["top_group"], 0, lang))
                )
                + "</p>"
            )
    return _section("dyn-top-group", label("section.dyn_top_group", lang, share=share), "".join(parts))


def render_dynamics(d: DynamicsData | None, currency: str, lang: str) -> str:
    """The dynamics sections as HTML ('' when the marts are absent)."""
    if d is None:
        return ""
    return "".join(
        [
            _churn(d, currency, lang),
            _growth(d, lang),
            _retention(d, currency, lang),
            _lifecycle(d, lang),
            _migration(d, lang),
            _top_group(d, lang),
        ]
    )
