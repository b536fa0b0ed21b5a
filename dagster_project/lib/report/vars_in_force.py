"""The business vars a published warehouse was built with (marts.vars_in_force), as the words that state them.

Every window, share and threshold a sentence of the report (or of `cartera actions`, or an export header) states
comes from here, never from a literal in a label: a run with `--vars '{"active_window_days": 60}'` reads
"bought in the last 60 days". Labels name these placeholders after what they state ({active_window},
{pareto_share}, ...); `var_words` fills all of them at once.

    values = read_vars_in_force(con)          # {"active_window_days": 60, "pareto_share": 0.7, ...}
    words = var_words(values, "es")           # {"active_window": "60 días", "pareto_share": "70 %", ...}
    label("explain.status", "es", **words)
"""

from __future__ import annotations

import json
from typing import Any

import duckdb

from .formatting import format_days, format_money, format_number, format_pct, format_trimmed
from .labels import label
from .warehouse import table_exists


def contract_defaults() -> dict[str, Any]:
    """Every var's default from dbt_project.yml (the one contract)."""
    from ...settings import var_contract  # the contract's location is a setting; read lazily

    return dict(var_contract().defaults)


def read_vars_in_force(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The vars the warehouse's marts were built with: marts.vars_in_force (JSON values), every var present.

    A warehouse published before that table existed (or a var added since) falls back to the contract's
    defaults for what it does not hold."""
    values = contract_defaults()
    if table_exists(con, "marts", "vars_in_force"):
        for name, text in con.execute("select var_name, var_value from marts.vars_in_force").fetchall():
            values[name] = json.loads(text)
    return values


def var_words(values: dict[str, Any], lang: str, currency: str = "$") -> dict[str, str]:
    """Placeholder -> the var's value in words of `lang`, for every label that states a var."""

    def days(name: str) -> str:
        return format_days(int(values[name]), lang)

    def times(name: str) -> str:
        return format_trimmed(float(values[name]), 2, lang)

    pareto_window = values.get("pareto_window_days")
    return {
        "active_window": days("active_window_days"),
        "recurrence_window": days("recurrence_window_days"),
        "recurrence_min_orders": format_number(values["recurrence_min_orders"], 0, lang),
        "volume_window": days("volume_window_days"),
        "volume_very_high": times("volume_very_high_ratio"),
        "volume_high": times("volume_high_ratio"),
        "volume_medium": times("volume_medium_ratio"),
        "frequent_days": format_number(values["frequency_frequent_max_days"], 0, lang),
        "habitual_days": format_number(values["frequency_habitual_max_days"], 0, lang),
        "pareto_share": format_pct(values["pareto_share"], 1, lang),
        "pareto_period": label("window.all_history", lang)
        if pareto_window is None
        else label("window.last", lang, window=days("pareto_window_days")),
        "p_alive_max": format_pct(values["alert_p_alive_max"], 1, lang),
        "value_share": format_pct(values["alert_min_value_share"], 1, lang),
        "alert_window": days("alert_window_days"),
        "spend_drop_ratio": format_pct(values["spend_drop_ratio"], 1, lang),
        "spend_drop_min_revenue": format_money(values["spend_drop_min_revenue"], currency, lang),
        "overdue_factor": times("overdue_factor"),
        "signal_window": days("signal_window_days"),
        "outcome_months": format_number(values["alert_outcome_months"], 0, lang),
        "min_group_size": format_number(values["action_min_group_size"], 0, lang),
    }
