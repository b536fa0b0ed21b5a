"""What the reader needs to trust the report: the data's last date and the day the report was made, a
warning when as_of is far past the latest order (a stale export), and a notice when the customer-value
model could not run (rather than an empty "nobody is at risk")."""

from __future__ import annotations

import re
from datetime import date
from html import escape

from ..freshness import Freshness
from .formatting import format_date, format_int
from .labels import DEFAULT_LANG, label

CSS = ".warning{background:#fef3c7;border-left:4px solid #d97706;padding:12px 16px;border-radius:6px;margin:0 0 18px}"


def render_data_dates(freshness: Freshness | None, made_on: date, lang: str = DEFAULT_LANG) -> str:
    """'Data up to 2026-06-30 (latest order) · report made on 2026-11-24', always shown under the title."""
    last = freshness.last_order_date if freshness else None
    text = label(
        "trust.dates",
        lang,
        last=format_date(last, lang) if last else label("trust.no_orders", lang),
        made=format_date(made_on, lang),
    )
    return f'<p class="sub" id="data-dates">{escape(text)}</p>'


def render_stale_warning(freshness: Freshness | None, lang: str = DEFAULT_LANG) -> str:
    """A warning box when as_of is more than `stale_after_days` after the latest order; '' otherwise."""
    if freshness is None or not freshness.stale:
        return ""
    if freshness.last_order_date is None:
        text = label("trust.stale.no_orders", lang, as_of=format_date(freshness.as_of, lang))
    else:
        text = label(
            "trust.stale",
            lang,
            as_of=format_date(freshness.as_of, lang),
            days=format_int(freshness.days_after_last_order, lang),
            last=format_date(freshness.last_order_date, lang),
            limit=format_int(freshness.stale_after_days, lang),
        )
    return f'<div class="warning" id="stale-data" role="alert">{escape(text)}</div>'


_TOO_FEW = re.compile(
    r"^(?P<model>\S+) needs at least (?P<need>\d+) customers(?P<repeat> with a repeat occasion)?; got (?P<got>\d+)$"
)
_NOT_USED = re.compile(r"^(?P<name>\w+) not used: (?P<why>.*)$")
_AT_BOUND = re.compile(r"^parameter\(s\) (?P<params>.*) at the optimizer bound$")
_PARTS = re.compile(r"; (?=\w+ not used: )")  # one part per model tried


def _reason_part(reason: str, lang: str) -> str:
    if match := _NOT_USED.match(reason):
        return label("trust.clv_reason.not_used", lang, model=match["name"], why=_reason_part(match["why"], lang))
    if match := _TOO_FEW.match(reason):
        key = "trust.clv_reason.too_few_repeat" if match["repeat"] else "trust.clv_reason.too_few"
        return label(key, lang, model=match["model"], need=match["need"], got=match["got"])
    if match := _AT_BOUND.match(reason):
        return label("trust.clv_reason.at_bound", lang, params=match["params"])
    if "did not converge" in reason or "non-finite" in reason:
        return label("trust.clv_reason.no_fit", lang)
    return reason


def clv_reason_text(reason: str, lang: str = DEFAULT_LANG) -> str:
    """The model's reason in the report's language for the usual cases (too few customers, no convergence, a
    parameter at its bound), model by model; any other reason as the model gave it."""
    return "; ".join(_reason_part(part, lang) for part in _PARTS.split(reason.strip()))


def render_clv_not_fitted(reason: str | None, lang: str = DEFAULT_LANG) -> str:
    """The customer-value section when the model could not run: says so, and why."""
    if reason is None:
        return ""
    return (
        f'<section id="clv"><h2>{escape(label("section.clv", lang))}</h2>'
        f'<div class="warning" id="clv-not-fitted">{escape(label("trust.clv_not_fitted", lang, reason=clv_reason_text(reason, lang)))}</div>'
        f'<p class="explain">{escape(label("trust.clv_not_fitted.explain", lang))}</p></section>'
    )
