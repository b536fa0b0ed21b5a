"""The report's customer-value sections: value and risk (who may be slipping away, when they will buy next, how
sure the model is) and which purchase model was chosen and how well each predicted the holdout."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any, cast

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from ..clv.scoring import INTERVAL_LEVEL
from . import charts
from .charts import ACCENT, INK, _figure, _style, _to_data_uri
from .clv_data import ClvData
from .formatting import format_date, format_int, format_money, format_number, format_pct
from .html import img as _img
from .labels import code_label, label

MODEL_COLORS = {"bgnbd": ACCENT, "mbgnbd": "#7c3aed", "paretonbd": "#d97706"}


def model_comparison_chart(curve: pd.DataFrame | None, chosen: str | None, lang: str) -> str | None:
    """Actual cumulative repeat purchases and each model's prediction; the model in use drawn bold."""
    if curve is None or curve.empty:
        return None
    fig = _figure(7.5, 3.6)
    ax = fig.subplots()
    first = curve[curve["model"] == curve["model"].iloc[0]]
    ax.plot(
        first["week_number"], first["actual_cumulative"], color=INK, linewidth=2, label=label("legend.actual", lang)
    )
    for model, rows in curve.groupby("model", sort=True, dropna=False):
        in_use = model == chosen or pd.isna(model)
        name = label("legend.predicted", lang) if pd.isna(model) else code_label("clv_model_short", str(model), lang)
        ax.plot(
            rows["week_number"],
            rows["predicted_cumulative"],
            color=MODEL_COLORS.get(str(model), ACCENT),
            linewidth=2.4 if in_use else 1.2,
            linestyle="--",
            label=name + (f" ({label('clv.in_use', lang)})" if in_use and not pd.isna(model) else ""),
        )
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: format_int(v, lang)))
    ax.set_xlabel(label("axis.week", lang), fontsize=9.5)
    ax.set_ylabel(label("axis.repeat_purchases", lang), fontsize=9.5)
    ax.legend(fontsize=8.5, frameon=False)
    _style(ax)
    return _to_data_uri(fig)


def holdout_by_frequency_chart(by_freq: pd.DataFrame | None, lang: str) -> str | None:
    if by_freq is None or by_freq.empty:
        return None
    fig = _figure(7.5, 3.4)
    ax = fig.subplots()
    x = np.arange(len(by_freq))
    ax.bar(x - 0.2, by_freq["mean_actual"], width=0.4, color=INK, label=label("legend.actual", lang))
    ax.bar(x + 0.2, by_freq["mean_predicted"], width=0.4, color=ACCENT, label=label("legend.predicted", lang))
    ax.set_xticks(x, [str(b) for b in by_freq["frequency_bucket"]])
    ax.set_xlabel(label("axis.frequency_bucket", lang), fontsize=9.5)
    ax.set_ylabel(label("axis.mean_purchases", lang), fontsize=9.5)
    ax.legend(fontsize=8.5, frameon=False)
    _style(ax)
    return _to_data_uri(fig)


def _range(low: float, high: float, currency: str, lang: str) -> str:
    if pd.isna(low) or pd.isna(high):
        return "–"
    return f"{format_money(low, currency, lang)} – {format_money(high, currency, lang)}"


def _days(value: float, lang: str) -> str:
    return label("clv.never_likely", lang) if pd.isna(value) else format_int(value, lang)


def at_risk_table(at_risk: pd.DataFrame | None, currency: str, lang: str) -> str:
    level = format_pct(INTERVAL_LEVEL, 0, lang)
    if at_risk is None or at_risk.empty:
        return f"<p>{escape(label('table.none_at_risk', lang))}</p>"
    has_last = "last_order_date" in at_risk.columns
    has_range = "clv_12m_low" in at_risk.columns and at_risk["clv_12m_low"].notna().any()
    has_next = "expected_days_to_next_purchase" in at_risk.columns
    cols = ["customer", "p_alive", "clv_12m"] + (["clv_range"] if has_range else []) + ["expected_occasions"]
    cols += (["next_purchase"] if has_next else []) + (["last_order"] if has_last else [])
    head = "".join(
        f"<th{'' if c == 'customer' else ' class=num'}>{escape(label('table.' + c, lang, level=level))}</th>"
        for c in cols
    )
    rows = []
    for row in cast(Iterable[Any], at_risk.itertuples(index=False)):  # one attribute per column
        who = escape(str(row.customer_id))
        name = getattr(row, "customer_name", None)
        if isinstance(name, str) and name:  # the sales team calls people, not ids
            who = f"{escape(name)} <span class=muted>({who})</span>"
        cells = [who, format_pct(row.p_alive, 0, lang), format_money(row.clv_12m, currency, lang)]
        if has_range:
            cells.append(_range(row.clv_12m_low, row.clv_12m_high, currency, lang))
        cells.append(format_number(row.expected_occasions_365d, 1, lang))
        if has_next:
            cells.append(_days(row.expected_days_to_next_purchase, lang))
        if has_last:
            cells.append(format_date(row.last_order_date, lang) if pd.notna(row.last_order_date) else "–")
        tds = "".join(f"<td>{c}</td>" if i == 0 else f'<td class="num">{escape(c)}</td>' for i, c in enumerate(cells))
        rows.append(f"<tr>{tds}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _comparison_table(comparison: pd.DataFrame | None, lang: str) -> str:
    if comparison is None or comparison.empty:
        return ""
    head = "".join(
        f"<th{' class=num' if c in ('curve_error', 'customer_mae') else ''}>{escape(label('clv.cmp.' + c, lang))}</th>"
        for c in ("model", "curve_error", "customer_mae", "status")
    )
    rows = []
    for r in cast(Iterable[Any], comparison.itertuples(index=False)):
        name = escape(code_label("clv_model", r.model, lang)) + (
            f" <b>({escape(label('clv.in_use', lang))})</b>" if r.chosen else ""
        )
        rows.append(
            f"<tr><td>{name}</td><td class=num>{escape(format_pct(r.curve_error, 1, lang))}</td>"
            f"<td class=num>{escape(format_number(r.customer_mae, 2, lang))}</td>"
            f"<td>{escape(code_label('clv_status', r.status, lang))}</td></tr>"
        )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _value_paragraphs(clv: ClvData, lang: str) -> str:
    parts = []
    if clv.model_in_use:
        parts.append(label("clv.model_in_use", lang, model=code_label("clv_model", clv.model_in_use, lang)))
    if clv.value_method:
        parts.append(label(f"clv_value_method.{clv.value_method}", lang))
    n = clv.next_purchase
    if n.get("buyers"):
        parts.append(
            label(
                "clv.next_purchase",
                lang,
                buyers=format_int(n["buyers"], lang),
                with_median=format_int(n["with_median"], lang),
                days=format_int(n["median_days"], lang) if n["median_days"] is not None else "–",
                likely=format_int(n["likely_90d"], lang),
            )
        )
    return "".join(f'<p class="explain">{escape(p)}</p>' for p in parts)


def clv_sections(clv: ClvData, currency: str, lang: str, vars_in_force: dict, words: dict[str, str]) -> str:
    """The customer-value section (value, risk, next purchase, how sure) and the model section; '' without
    the customer-value marts. `vars_in_force` / `words`: the build's vars and their words (vars_in_force.py)."""
    parts = []
    if clv.has_value:
        title = label("section.clv", lang)
        histogram = charts.p_alive_histogram(clv.p_alive_hist, vars_in_force["alert_p_alive_max"], lang)
        parts.append(
            f'<section id="clv"><h2>{escape(title)}</h2>{_img(histogram, title, lang)}'
            f'<p class="explain">{label("explain.clv_hist", lang)}</p>{_value_paragraphs(clv, lang)}'
            f"<h3>{escape(label('section.at_risk', lang))}</h3>"
            f'<p class="explain">{escape(label("explain.at_risk", lang, **words))} '
            f"{escape(label('clv.how_sure', lang, level=format_pct(INTERVAL_LEVEL, 0, lang)))}</p>"
            f"{at_risk_table(clv.at_risk, currency, lang)}</section>"
        )
    if clv.has_accuracy:
        title = label("section.accuracy", lang)
        body = ""
        if clv.holdout_curve is not None:
            uri = model_comparison_chart(clv.holdout_curve, clv.model_in_use, lang)
            body += _img(uri, label("axis.repeat_purchases", lang), lang)
            body += f'<p class="explain">{label("explain.accuracy_curve", lang)}</p>'
            body += _comparison_table(clv.comparison, lang)
            if clv.comparison is not None:
                body += f'<p class="explain">{escape(label("clv.choice_rule", lang))}</p>'
        if clv.holdout_by_frequency is not None:
            uri = holdout_by_frequency_chart(clv.holdout_by_frequency, lang)
            body += _img(uri, label("axis.frequency_bucket", lang), lang)
            body += f'<p class="explain">{label("explain.accuracy_freq", lang)}</p>'
        parts.append(f'<section id="model-accuracy"><h2>{escape(title)}</h2>{body}</section>')
    return "".join(parts)
