"""Today's action list for the sales team, read from the published warehouse (marts.retention_actions).

    frame = read_actions(con, top=50)                 # the top rows of each section, in rank order
    table = people_table(frame, "es", read_vars_in_force(con))  # what a person reads: words, not codes
    write_csv(table, path) / write_actions_xlsx(table, path, lang="es")

Words come from the one translation table (report/labels.py); every text cell of a file for people is
neutralised against formula injection (export_safety.py).
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from .export_safety import safe_cell
from .report.formatting import format_money, format_number
from .report.labels import code_label, label
from .report.vars_in_force import var_words

SECTIONS = ("retention", "win_back")

ACTIONS_SQL = """
    select *
    from marts.retention_actions
    where action_rank <= ? and section in (select unnest(?::varchar[]))
    order by case section when 'retention' then 0 else 1 end, action_rank
"""

# (output column key, label key) in the order the sales team reads them
PEOPLE_COLUMNS = (
    ("section", "actions.col.section"),
    ("rank", "actions.col.rank"),
    ("customer_id", "actions.col.customer_id"),
    ("customer_name", "actions.col.customer_name"),
    ("phone", "actions.col.phone"),
    ("email", "actions.col.email"),
    ("alert", "actions.col.alert"),
    ("severity", "actions.col.severity"),
    ("alert_state", "actions.col.alert_state"),
    ("touch_point", "actions.col.touch_point"),
    ("action", "actions.col.action"),
    ("offer", "actions.col.offer"),
    ("message", "actions.col.message"),
    ("value_at_risk", "actions.col.value_at_risk"),
    ("reason", "actions.col.reason"),
    ("last_order_date", "actions.col.last_order_date"),
)


def read_actions(con: duckdb.DuckDBPyConnection, top: int = 50, sections: tuple[str, ...] = SECTIONS) -> pd.DataFrame:
    """The first `top` rows of each requested section of marts.retention_actions (bound parameters only)."""
    if top < 1:
        raise ValueError(f"--top must be at least 1, not {top}")
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        raise ValueError(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    return con.execute(ACTIONS_SQL, [top, list(sections)]).df()


def missing_alert_types(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Alert types that were not evaluated because their export is missing (alert_effectiveness)."""
    rows = con.execute(
        "select alert_type from marts.alert_effectiveness where not source_available order by alert_type"
    ).fetchall()
    return [r[0] for r in rows]


def _present(value: object) -> bool:
    return value is not None and value is not pd.NaT and not (isinstance(value, float) and math.isnan(value))


def reason_text(row: dict, lang: str, words: dict[str, str], currency: str = "€") -> str:
    """Why this customer is on the list, in words of `lang`, from the row's codes and numbers; the windows it
    names from `words` (the warehouse's vars in force, report/vars_in_force.py)."""
    alert = row["alert_type"]
    signal, baseline = row.get("signal_value"), row.get("baseline_value")
    money = alert in ("spend_drop", "none")

    def show(value: Any, is_money: bool) -> str:
        if not _present(value):
            return "–"
        return format_money(float(value), currency, lang) if is_money else format_number(float(value), 0, lang)

    parts = [
        label(
            f"actions.reason.{alert}",
            lang,
            signal=show(signal, alert == "spend_drop"),
            baseline=show(baseline, money),
            **words,
        )
    ]
    if _present(row.get("value_at_risk")):
        parts.append(
            label("actions.reason.value", lang, value=format_money(float(row["value_at_risk"]), currency, lang))
        )
    if row.get("lift_basis") == "measured" and _present(row.get("alert_lift")):
        parts.append(label("actions.reason.lift", lang, lift=format_number(float(row["alert_lift"]), 1, lang)))
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def people_table(frame: pd.DataFrame, lang: str, vars_in_force: dict[str, Any], currency: str = "€") -> pd.DataFrame:
    """The action list as a person reads it: one row per customer, codes turned into words of `lang`;
    `vars_in_force`: the warehouse's vars (read_vars_in_force), for the windows the reasons state."""
    words = var_words(vars_in_force, lang, currency)
    records = []
    for row in frame.to_dict("records"):
        records.append(
            {
                "section": label(f"actions.section.{row['section']}", lang),
                "rank": int(row["action_rank"]),
                "customer_id": row["customer_id"],
                "customer_name": row.get("customer_name"),
                "phone": row.get("phone"),
                "email": row.get("email"),
                "alert": code_label("alert", row["alert_type"], lang),
                "severity": code_label("severity", row["severity"], lang) if _present(row.get("severity")) else None,
                "alert_state": code_label("alert_state", row["alert_state"], lang)
                if _present(row.get("alert_state"))
                else None,
                "touch_point": code_label("touch_point", row["touch_point"], lang),
                "action": row.get(f"action_label_{lang}") or row.get("action_label_en") or row["action"],
                "offer": row.get("offer_name"),
                "message": row.get(f"message_{lang}") or row.get("message_en"),
                "value_at_risk": float(row["value_at_risk"]) if _present(row.get("value_at_risk")) else None,
                "reason": reason_text(row, lang, words, currency),
                "last_order_date": pd.Timestamp(row["last_order_date"]).date()
                if _present(row.get("last_order_date"))
                else None,
            }
        )
    return pd.DataFrame(records, columns=[key for key, _ in PEOPLE_COLUMNS])


def headers(lang: str) -> dict[str, str]:
    """Column key -> header text in `lang`."""
    return {key: label(code, lang) for key, code in PEOPLE_COLUMNS}


def csv_text(table: pd.DataFrame, lang: str) -> str:
    """CSV with translated headers; text that a spreadsheet would run as a formula is neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = headers(lang)
    writer.writerow([names.get(c, c) for c in table.columns])
    for row in table.itertuples(index=False, name=None):
        writer.writerow(
            ["" if not _present(v) else safe_cell(v if not isinstance(v, float) else round(v, 2)) for v in row]
        )
    return out.getvalue()


def write_csv(table: pd.DataFrame, path: Path, lang: str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(csv_text(table, lang), encoding="utf-8-sig")  # with BOM: Excel reads the accents right
    return path


def terminal_text(table: pd.DataFrame, lang: str, currency: str = "€") -> str:
    """The list for a terminal: one block per section, one line per customer, then message and reason."""
    if table.empty:
        return label("actions.none", lang) + "\n"
    lines = []
    for section, rows in table.groupby("section", sort=False):
        lines.append(f"\n== {section} ==")
        for row in rows.to_dict("records"):
            who = row["customer_name"] if _present(row["customer_name"]) else ""
            contact = " · ".join(str(row[k]) for k in ("phone", "email") if _present(row[k]))
            value = format_money(row["value_at_risk"], currency, lang) if _present(row["value_at_risk"]) else "–"
            lines.append(
                f"{row['rank']:>3}. {row['customer_id']} {who}  [{row['alert']}] → {row['touch_point']}: "
                f"{row['action']}  ({value})"
            )
            if contact:
                lines.append(f"     {contact}")
            lines.append(f"     {row['reason']}")
            lines.append(f"     “{row['message']}”")
    return "\n".join(lines).lstrip("\n") + "\n"


def write_actions_xlsx(table: pd.DataFrame, path: Path, lang: str, currency: str = "€") -> Path:
    """The list as an Excel workbook: frozen header, widths that fit, dates as dates, formulas neutralised."""
    from .xlsx import XlsxTable, write_xlsx

    sheet = XlsxTable(label("section.actions", lang), table, headers=headers(lang), money={"value_at_risk"})
    return write_xlsx(path, [sheet], lang=lang, currency=currency)
