"""Report sections of the retention loop: who to contact, which warnings predict loss, whether actions pay
off, and customer satisfaction. Small queries on the published marts; every word from labels.py."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

import duckdb
import pandas as pd

from .formatting import format_int, format_money, format_number, format_pct
from .html import table as _table
from .labels import code_label, label
from .warehouse import table_exists

ACTIONS_SHOWN = {"retention": 10, "win_back": 5}
NPS_MONTHS_SHOWN = 12

ACTIONS_SQL = """
    select section, action_rank, customer_id, customer_name, alert_type, touch_point, action,
           action_label_en, action_label_es, value_at_risk
    from marts.retention_actions
    where (section = 'retention' and action_rank <= ?) or (section = 'win_back' and action_rank <= ?)
    order by case section when 'retention' then 0 else 1 end, action_rank
"""
EFFECTIVENESS_SQL = """
    select alert_type, source_available, flagged_customer_months, flagged_loss_rate, unflagged_loss_rate,
           lift, lift_ci_low, lift_ci_high, flagged_downgraded, unflagged_downgraded, downgrade_lift,
           downgrade_lift_ci_low, downgrade_lift_ci_high, outcome_months, evaluation_status
    from marts.alert_effectiveness
    order by case evaluation_status when 'measured' then 0 else 1 end, lift desc nulls last, alert_type
"""
# The longest horizon with a measured result per action type and CRM segment (else the longest), over all
# touch points; segment 'all' is the overall result.
RESULTS_SQL = """
    select * from (
        select *, row_number() over (
            partition by action_type, segment
            order by case when result = 'cannot_be_measured' then 1 else 0 end, horizon_days desc
        ) as pick
        from marts.action_results
        where touch_point = 'all'
    ) where pick = 1
    order by action_type, segment
"""
NPS_SQL = """
    select answer_month, respondents, nps, response_rate
    from marts.nps_monthly
    where segment = 'all'
    order by answer_month desc
    limit ?
"""
# Per CRM segment, its latest month with answers.
NPS_SEGMENTS_SQL = """
    select segment, answer_month, respondents, nps, response_rate from (
        select *, row_number() over (partition by segment order by answer_month desc) as pick
        from marts.nps_monthly
        where segment <> 'all' and respondents > 0
    ) where pick = 1
    order by segment
"""


@dataclass
class ActionsData:
    actions: pd.DataFrame | None = None
    effectiveness: pd.DataFrame | None = None
    results: pd.DataFrame | None = None  # per action type, overall (segment 'all')
    results_by_segment: pd.DataFrame | None = None  # per action type and CRM segment
    nps: pd.DataFrame | None = None
    nps_by_segment: pd.DataFrame | None = None  # per CRM segment, its latest month with answers


def collect_actions_data(con: duckdb.DuckDBPyConnection) -> ActionsData:
    """The figures of the action sections; a field stays None when its mart is not in the warehouse."""
    data = ActionsData()
    if table_exists(con, "marts", "retention_actions"):
        data.actions = con.execute(ACTIONS_SQL, [ACTIONS_SHOWN["retention"], ACTIONS_SHOWN["win_back"]]).df()
    if table_exists(con, "marts", "alert_effectiveness"):
        data.effectiveness = con.execute(EFFECTIVENESS_SQL).df()
    if table_exists(con, "marts", "action_results"):
        results = con.execute(RESULTS_SQL).df()
        overall = results["segment"] == "all"
        data.results, data.results_by_segment = results[overall], results[~overall]
    if table_exists(con, "marts", "nps_monthly"):
        data.nps = con.execute(NPS_SQL, [NPS_MONTHS_SHOWN]).df().sort_values("answer_month")
        data.nps_by_segment = con.execute(NPS_SEGMENTS_SQL).df()
    return data


def _missing(value: object) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def _actions_section(df: pd.DataFrame, effectiveness: pd.DataFrame | None, currency: str, lang: str) -> str:
    parts = [
        f"<h2>{escape(label('section.actions', lang))}</h2>",
        f'<p class="explain">{label("explain.actions", lang)}</p>',
    ]
    if df.empty:
        parts.append(f"<p>{escape(label('actions.none', lang))}</p>")
    cols = [
        (label("actions.col.rank", lang), True),
        (label("actions.col.customer_name", lang), False),
        (label("actions.col.alert", lang), False),
        (label("actions.col.touch_point", lang), False),
        (label("actions.col.action", lang), False),
        (label("actions.col.value_at_risk", lang), True),
    ]
    for section, rows in df.groupby("section", sort=False):
        table_rows = []
        for row in rows.to_dict("records"):
            who = row["customer_name"] if isinstance(row["customer_name"], str) else row["customer_id"]
            action = row.get(f"action_label_{lang}") or row["action"]
            table_rows.append(
                [
                    format_int(row["action_rank"], lang),
                    f"{who} ({row['customer_id']})" if who != row["customer_id"] else who,
                    code_label("alert", row["alert_type"], lang),
                    code_label("touch_point", row["touch_point"], lang),
                    action,
                    format_money(row["value_at_risk"], currency, lang),
                ]
            )
        parts.append(f"<h3>{escape(label(f'actions.section.{section}', lang))}</h3>{_table(cols, table_rows)}")
    if effectiveness is not None:
        missing = effectiveness.loc[~effectiveness["source_available"], "alert_type"].tolist()
        if missing:
            names = ", ".join(code_label("alert", a, lang) for a in missing)
            parts.append(f'<p class="muted">{escape(label("actions.missing_sources", lang, alerts=names))}</p>')
    return f'<section id="actions">{"".join(parts)}</section>'


def _effectiveness_section(df: pd.DataFrame, lang: str, words: dict[str, str]) -> str:
    cols = [
        (label("effect.col.alert", lang), False),
        (label("effect.col.rule", lang), False),
        (label("effect.col.flagged", lang), True),
        (label("effect.col.flagged_loss", lang), True),
        (label("effect.col.unflagged_loss", lang), True),
        (label("effect.col.lift", lang), True),
        (label("effect.col.downgrade_lift", lang), True),
    ]
    rows = []
    for row in df.to_dict("records"):
        if row["evaluation_status"] == "measured":
            lift = _lift(row["lift"], row["lift_ci_low"], row["lift_ci_high"], lang)
        else:
            lift = label(f"effect.status.{row['evaluation_status']}", lang)
        measurable = row["evaluation_status"] in ("measured", "no_losses")
        if measurable and row["flagged_downgraded"] > 0 and row["unflagged_downgraded"] > 0:
            downgrade = _lift(row["downgrade_lift"], row["downgrade_lift_ci_low"], row["downgrade_lift_ci_high"], lang)
        else:
            downgrade = "–"
        rows.append(
            [
                code_label("alert", row["alert_type"], lang),
                label(f"alert_rule.{row['alert_type']}", lang, **words),
                format_int(row["flagged_customer_months"], lang),
                format_pct(None if _missing(row["flagged_loss_rate"]) else row["flagged_loss_rate"], 1, lang),
                format_pct(None if _missing(row["unflagged_loss_rate"]) else row["unflagged_loss_rate"], 1, lang),
                lift,
                downgrade,
            ]
        )
    return (
        f'<section id="alert-effectiveness"><h2>{escape(label("section.alert_effectiveness", lang))}</h2>'
        f'<p class="explain">{escape(label("explain.alert_effectiveness", lang, **words))} '
        f"{escape(label('explain.alert_downgrade', lang, **words))}</p>"
        f"{_table(cols, rows)}</section>"
    )


def _lift(value: float, low: float, high: float, lang: str) -> str:
    return f"{format_number(value, 2, lang)} ({format_number(low, 2, lang)}–{format_number(high, 2, lang)})"


def _segment_name(segment: str, lang: str) -> str:
    """CRM segments are the business's own words; only 'unknown' (no segment) is a code."""
    return label("segment.unknown", lang) if segment == "unknown" else segment


def _interval(value: object, low: object, high: object, fmt: Callable[[object], str]) -> str:
    if _missing(value):
        return "–"
    text = fmt(value)
    if not _missing(low) and not _missing(high):
        text += f" ({fmt(low)} … {fmt(high)})"
    return text


def _result_cells(row: dict, currency: str, lang: str) -> list[str]:
    """Groups, the two differences with their intervals, and the verdict of one action_results row."""
    result = label(f"result.{row['result']}", lang)
    if row["result"] == "cannot_be_measured" and isinstance(row["not_measured_reason"], str):
        result += f" ({label('not_measured.' + row['not_measured_reason'], lang)})"

    def points(v: object) -> str:
        return f"{format_number(float(v) * 100, 1, lang)} {label('changed.points', lang)}"  # type: ignore[arg-type]

    def money(v: object) -> str:
        return format_money(v, currency, lang)  # type: ignore[arg-type]

    return [
        f"{format_int(row['treatment_actions'], lang)} / {format_int(row['control_actions'], lang)}",
        _interval(row["rate_difference"], row["rate_difference_ci_low"], row["rate_difference_ci_high"], points),
        _interval(
            row["revenue_difference"], row["revenue_difference_ci_low"], row["revenue_difference_ci_high"], money
        ),
        result,
    ]


def _results_section(df: pd.DataFrame, by_segment: pd.DataFrame | None, currency: str, lang: str) -> str:
    measures = [
        (label("results.col.groups", lang), True),
        (label("results.col.rate_diff", lang), True),
        (label("results.col.revenue_diff", lang), True),
        (label("results.col.result", lang), False),
    ]

    def action(row: dict) -> str:
        name = code_label("action_type", row["action_type"], lang)  # the export's own word when not a known code
        return label("results.horizon", lang, action=name, days=format_int(row["horizon_days"], lang))

    rows = [[action(row), *_result_cells(row, currency, lang)] for row in df.to_dict("records")]
    horizons = ", ".join(format_int(h, lang) for h in sorted(df["horizon_days"].unique()))
    parts = [
        f'<section id="action-results"><h2>{escape(label("section.action_results", lang))}</h2>',
        f'<p class="explain">{escape(label("explain.action_results", lang, horizon=horizons))}</p>',
        _table([(label("results.col.action", lang), False), *measures], rows),
    ]
    if by_segment is not None and not by_segment.empty:
        segment_rows = [
            [action(row), _segment_name(row["segment"], lang), *_result_cells(row, currency, lang)]
            for row in by_segment.to_dict("records")
        ]
        head = [(label("results.col.action", lang), False), (label("results.col.segment", lang), False), *measures]
        parts.append(f"<h3>{escape(label('results.by_segment', lang))}</h3>{_table(head, segment_rows)}")
    return "".join(parts) + "</section>"


def _nps_section(df: pd.DataFrame, segments: pd.DataFrame | None, lang: str) -> str:
    title = f"<h2>{escape(label('section.nps', lang))}</h2>"
    if df.empty:
        return f'<section id="nps">{title}<p>{escape(label("nps.none", lang))}</p></section>'
    cols = [
        (label("nps.col.month", lang), False),
        (label("nps.col.respondents", lang), True),
        (label("nps.col.nps", lang), True),
        (label("nps.col.response_rate", lang), True),
    ]
    rows = [
        [
            pd.Timestamp(r["answer_month"]).strftime("%Y-%m"),
            format_int(r["respondents"], lang),
            format_number(r["nps"], 0, lang),
            format_pct(None if _missing(r["response_rate"]) else r["response_rate"], 1, lang),
        ]
        for r in df.to_dict("records")
    ]
    by_segment = ""
    if segments is not None and not segments.empty:
        head = [(label("nps.col.segment", lang), False), *cols]
        segment_rows = [
            [
                _segment_name(r["segment"], lang),
                pd.Timestamp(r["answer_month"]).strftime("%Y-%m"),
                format_int(r["respondents"], lang),
                format_number(r["nps"], 0, lang),
                format_pct(None if _missing(r["response_rate"]) else r["response_rate"], 1, lang),
            ]
            for r in segments.to_dict("records")
        ]
        by_segment = f"<h3>{escape(label('nps.by_segment', lang))}</h3>{_table(head, segment_rows)}"
    return (
        f'<section id="nps">{title}<p class="explain">{escape(label("explain.nps", lang, months=len(df)))}</p>'
        f"{_table(cols, rows)}{by_segment}</section>"
    )


def render_actions_sections(data: ActionsData | None, currency: str, lang: str, words: dict[str, str]) -> str:
    """The four sections, each only when its mart exists in the warehouse; `words`: the vars in force in
    words (vars_in_force.py), for the windows and thresholds the text states."""
    if data is None:
        return ""
    parts = []
    if data.actions is not None:
        parts.append(_actions_section(data.actions, data.effectiveness, currency, lang))
    if data.effectiveness is not None:
        parts.append(_effectiveness_section(data.effectiveness, lang, words))
    if data.results is not None and not data.results.empty:
        parts.append(_results_section(data.results, data.results_by_segment, currency, lang))
    if data.nps is not None:
        parts.append(_nps_section(data.nps, data.nps_by_segment, lang))
    return "".join(parts)
