"""The weekly retention report as one self-contained HTML page (inline CSS, charts as data URIs, no URLs)."""

from __future__ import annotations

from datetime import date
from html import escape

from . import charts
from .actions import render_actions_sections
from .changes import format_change, format_value, headline_changes
from .clv_section import clv_sections
from .data import ReportData
from .data_quality import render_data_quality
from .dynamics import render_dynamics
from .formatting import format_date, format_int, format_money, format_pct
from .html import img as _img
from .labels import DEFAULT_LANG, label
from .trust import CSS as TRUST_CSS
from .trust import render_clv_not_fitted, render_data_dates, render_stale_warning
from .vars_in_force import var_words

CSS = """
body{font-family:-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f2937;background:#f3f4f6;margin:0}
main{max-width:980px;margin:0 auto;padding:24px}
h1{margin:0 0 4px;font-size:28px}h2{margin:0 0 12px;font-size:20px}
.sub{color:#6b7280;margin:0 0 20px}
section{background:#fff;border-radius:10px;padding:20px 24px;margin:0 0 18px;box-shadow:0 1px 2px #0000000f}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin:0 0 18px}
.card{background:#fff;border-radius:10px;padding:14px 16px;box-shadow:0 1px 2px #0000000f}
.card .name{font-size:13px;color:#6b7280}.card .value{font-size:26px;font-weight:700;margin:4px 0}
.card .note{font-size:12px;color:#6b7280}
img{max-width:100%;height:auto;display:block;margin:0 auto}
p.explain{color:#374151;font-size:14px;line-height:1.5;margin:12px 0 0}
.muted{color:#6b7280;font-size:12px}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e5e7eb}td.num,th.num{text-align:right}
.good{color:#15803d;font-weight:600}.bad{color:#dc2626;font-weight:600}.neutral{color:#4b5563}
footer{color:#9ca3af;font-size:12px;text-align:center;padding:8px}
@page{size:A4;margin:14mm 12mm}
@media print{
body{background:#fff;font-size:12px}main{max-width:none;padding:0}
section,.card{box-shadow:none;border:1px solid #d1d5db;break-inside:avoid;page-break-inside:avoid}
section{padding:10px 14px;margin:0 0 10px}.cards{grid-template-columns:repeat(3,1fr);gap:8px}
h1{font-size:22px}h2{font-size:16px;break-after:avoid}img{max-height:150mm;width:auto;break-inside:avoid}
tr{break-inside:avoid}.good,.bad{print-color-adjust:exact;-webkit-print-color-adjust:exact}
}
"""


def _card(name: str, value: str, note: str) -> str:
    return (
        f'<div class="card"><div class="name">{escape(name)}</div>'
        f'<div class="value">{escape(value)}</div><div class="note">{escape(note)}</div></div>'
    )


def _cards(h: dict, currency: str, lang: str, words: dict[str, str]) -> str:
    prospects = h.get("customers_potential", 0) + h.get("customers_probable", 0)
    cards = [
        _card(
            label("card.active_customers", lang),
            format_int(h["active_customers"], lang),
            label("card.active_customers.sub", lang),
        ),
        _card(
            label("card.inactive_customers", lang),
            format_int(h.get("customers_inactive", 0), lang),
            label("card.inactive_customers.sub", lang),
        ),
        _card(label("card.prospects", lang), format_int(prospects, lang), label("card.prospects.sub", lang)),
        _card(
            label("card.net_revenue_365d", lang, **words),
            format_money(h["net_revenue_365d"], currency, lang),
            label("card.net_revenue_365d.sub", lang),
        ),
        _card(
            label("card.top_80", lang, **words),
            format_int(h["top_80_customers"], lang),
            label("card.top_80.sub", lang, share=format_pct(h["top_80_share_of_customers"], 1, lang)),
        ),
    ]
    if "clv_total_12m" in h:
        cards.append(
            _card(
                label("card.clv_total_12m", lang),
                format_money(h["clv_total_12m"], currency, lang),
                label("card.clv_total_12m.sub", lang),
            )
        )
    return f'<div class="cards">{"".join(cards)}</div>'


def _what_changed(
    current: dict, previous: dict | None, currency: str, lang: str, words: dict[str, str], same_date: bool = False
) -> str:
    title = f"<h2>{escape(label('changed.title', lang))}</h2>"
    if previous is None:
        # A report for this same date already exists (a re-run): not "the first report".
        text = label("changed.same_date_only" if same_date else "changed.first", lang)
        return f'<section id="what-changed">{title}<p>{escape(text)}</p></section>'
    rows = []
    for change in headline_changes(current, previous):
        metric = change.metric
        rows.append(
            f"<tr><td>{escape(label('metric.' + metric.key, lang, **words))}</td>"
            f'<td class="num">{escape(format_value(metric, change.previous, currency, lang))}</td>'
            f'<td class="num">{escape(format_value(metric, change.now, currency, lang))}</td>'
            f'<td class="num {change.tone}">{escape(format_change(change, currency, lang))}</td></tr>'
        )
    head = "".join(
        f"<th{' class=num' if i else ''}>{escape(label('changed.col.' + c, lang))}</th>"
        for i, c in enumerate(("metric", "previous", "now", "change"))
    )
    intro = label("changed.intro", lang, date=format_date(previous.get("as_of", "?"), lang))
    return (
        f'<section id="what-changed">{title}<p>{escape(intro)}</p>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def _chart_section(section_id: str, title: str, uri: str | None, explain: str, lang: str) -> str:
    """A titled chart with its plain-language explanation (explanations are trusted label HTML)."""
    return (
        f'<section id="{section_id}"><h2>{escape(title)}</h2>{_img(uri, title, lang)}'
        f'<p class="explain">{explain}</p></section>'
    )


def render_report(
    data: ReportData,
    previous_headline: dict | None,
    *,
    currency: str = "$",
    lang: str = DEFAULT_LANG,
    made_on: date | None = None,
    replaces_same_date: bool = False,
) -> str:
    """The whole report page. `previous_headline` is the headline of the last report of an earlier date (None
    when there is none); `replaces_same_date`: a report of this same date exists (a re-run); `made_on`: the day
    the report is made (default today)."""
    h = data.headline
    words = var_words(data.vars_in_force, lang, currency)
    date_text = format_date(data.as_of, lang)
    title = label("title_dated", lang, date=date_text)
    chart_sections = [
        ("status", charts.distribution_chart(data.status, "status", currency, lang)),
        ("volume", charts.distribution_chart(data.volume, "volume", currency, lang)),
        ("frequency", charts.distribution_chart(data.frequency, "frequency", currency, lang)),
        (
            "pareto",
            charts.pareto_chart(
                data.pareto, h.get("top_80_share_of_customers"), data.vars_in_force["pareto_share"], lang
            ),
        ),
        ("cohorts", charts.cohort_heatmap(data.cohorts, lang)),
    ]
    sections = [
        _chart_section(key, label(f"section.{key}", lang), uri, label(f"explain.{key}", lang, **words), lang)
        for key, uri in chart_sections
    ]
    sections.append(
        render_clv_not_fitted(data.clv.not_fitted_reason, lang)
        + clv_sections(data.clv, currency, lang, data.vars_in_force, words)
    )
    sections.append(render_data_quality(data.quality, lang))
    sections.append(render_dynamics(data.dynamics, currency, lang))
    sections.append(render_actions_sections(data.actions, currency, lang, words))
    return (
        f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}{TRUST_CSS}</style></head><body><main>"
        f"<h1>{escape(title)}</h1>"
        f'<p class="sub">{escape(label("generated_note", lang, date=date_text))}</p>'
        f"{render_data_dates(data.freshness, made_on or date.today(), lang)}{render_stale_warning(data.freshness, lang)}"
        f"{_cards(h, currency, lang, words)}"
        f"{_what_changed(h, previous_headline, currency, lang, words, replaces_same_date)}{''.join(sections)}"
        f"<footer>{escape(label('footer', lang))}</footer></main></body></html>\n"
    )
