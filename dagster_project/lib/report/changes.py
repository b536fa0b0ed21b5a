"""Compare this report's headline with the previous one: what moved, by how much, and whether that is good."""

from __future__ import annotations

from dataclasses import dataclass

from .formatting import format_int, format_money, format_pct, format_trimmed
from .labels import DEFAULT_LANG, label


@dataclass(frozen=True)
class Metric:
    key: str  # headline key
    kind: str  # "count", "money" or "share"
    good: int  # +1: up is good, -1: up is bad, 0: neither


METRICS = (
    Metric("active_customers", "count", +1),
    Metric("customers_current", "count", +1),
    Metric("customers_active", "count", 0),
    Metric("customers_inactive", "count", -1),
    Metric("customers_potential", "count", +1),
    Metric("customers_probable", "count", +1),
    Metric("net_revenue_365d", "money", +1),
    Metric("top_80_customers", "count", +1),  # more customers carrying 80% = less dependence on a few
    Metric("top_80_share_of_customers", "share", +1),
    Metric("clv_total_12m", "money", +1),
    Metric("clv_customers_at_risk", "count", -1),
    Metric("clv_at_risk_value_12m", "money", -1),
)


@dataclass(frozen=True)
class Change:
    metric: Metric
    previous: float | None  # None: not in the previous report
    now: float | None
    delta: float | None  # in the metric's unit (shares: fraction, shown as points)
    direction: str  # "up", "down", "same" or "new"
    tone: str  # "good", "bad" or "neutral"


def _tone(metric: Metric, direction: str) -> str:
    if metric.good == 0 or direction not in ("up", "down"):
        return "neutral"
    up_is_good = metric.good > 0
    return "good" if (direction == "up") == up_is_good else "bad"


def headline_changes(current: dict, previous: dict) -> list[Change]:
    """One Change per known metric present in the current headline, in display order."""
    changes = []
    for metric in METRICS:
        if current.get(metric.key) is None:
            continue
        now, before = float(current[metric.key]), previous.get(metric.key)
        if before is None:
            changes.append(Change(metric, None, now, None, "new", "neutral"))
            continue
        delta = now - float(before)
        direction = "same" if abs(delta) < 1e-9 else ("up" if delta > 0 else "down")
        changes.append(Change(metric, float(before), now, delta, direction, _tone(metric, direction)))
    return changes


def format_value(metric: Metric, value: float | None, currency: str, lang: str = DEFAULT_LANG) -> str:
    if metric.kind == "money":
        return format_money(value, currency, lang)
    if metric.kind == "share":
        return format_pct(value, 1, lang)
    return format_int(value, lang)


def format_change(change: Change, currency: str, lang: str = DEFAULT_LANG) -> str:
    """'▲ +12 (+3.1%)', '▼ -$1,200 (-2%)', '▲ +1.5 pts', 'no change' or 'new'."""
    if change.direction == "new":
        return label("changed.new", lang)
    if change.direction == "same":
        return label("changed.same", lang)
    assert change.delta is not None  # "up" and "down" compare two values
    arrow = "▲" if change.direction == "up" else "▼"
    sign = "+" if change.delta > 0 else "-"
    metric = change.metric
    if metric.kind == "share":
        return f"{arrow} {sign}{format_trimmed(abs(change.delta) * 100, 1, lang)} {label('changed.points', lang)}"
    amount = format_value(metric, abs(change.delta), currency, lang)
    text = f"{arrow} {sign}{amount}"
    if change.previous:
        text += f" ({sign}{format_pct(abs(change.delta / change.previous), 1, lang)})"
    return text
