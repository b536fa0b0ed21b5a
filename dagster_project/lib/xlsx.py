"""Write tables to an .xlsx workbook people open in Excel: one sheet per table, a bold frozen header with an
autofilter, column widths that fit, dates as dates, money as numbers in a currency format, and text that a
spreadsheet could take for a formula neutralised (lib/export_safety.py).

    write_xlsx(path, [XlsxTable("Clientes", frame, headers={"net_revenue": "Ingresos netos"},
                                money={"net_revenue"})], lang="es", currency="€")

Generic on purpose: the mart export (lib/export.py) and the action list build XlsxTables and call this.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from .export_safety import safe_cell
from .report.formatting import currency_code, locale

MAX_ROWS = 1_048_575  # Excel's sheet limit (1,048,576) less the header row
MIN_WIDTH, MAX_WIDTH = 8, 60
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
DATE_FORMATS = {"es": "dd/mm/yyyy", "en": "d mmm yyyy"}
DATETIME_FORMATS = {"es": "dd/mm/yyyy hh:mm", "en": "d mmm yyyy hh:mm"}


class XlsxError(ValueError):
    """A table cannot be written as a sheet (e.g. more rows than Excel holds); the message says which."""


@dataclass(frozen=True)
class XlsxTable:
    """One sheet: `frame`'s columns in order, headed by `headers` (column -> text; the column name otherwise)."""

    sheet: str
    frame: pd.DataFrame
    headers: dict[str, str] = field(default_factory=dict)
    money: set[str] = field(default_factory=set)  # numeric columns shown in the currency format
    percent: set[str] = field(default_factory=set)  # shares in [0, 1] shown as percentages


def currency_format(currency: str, lang: str) -> str:
    """Excel number format for money in the language's pattern: '#,##0.00 "€"' (es), '"€"#,##0.00' (en).

    Excel shows the separators of the reader's own settings; the pattern decides where the symbol goes."""
    from babel.numbers import get_currency_symbol

    loc = locale(lang)
    symbol = get_currency_symbol(currency_code(currency), locale=loc).replace('"', "")
    pattern = loc.currency_formats["standard"].pattern.split(";")[0]
    return pattern.replace("\xa0", " ").replace("¤", f'"{symbol}"')


def sheet_name(name: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique regardless of case."""
    base = _SHEET_FORBIDDEN.sub(" ", name).strip().strip("'")[:31] or "Sheet"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def _kind(series: pd.Series, column: str, table: XlsxTable) -> str:
    if column in table.money:
        return "money"
    if column in table.percent:
        return "percent"
    if pd.api.types.is_bool_dtype(series):
        return "bool"
    if pd.api.types.is_datetime64_any_dtype(series):
        values = series.dropna()
        return "date" if (values == values.dt.normalize()).all() else "datetime"
    if pd.api.types.is_integer_dtype(series):
        return "int"
    if pd.api.types.is_numeric_dtype(series):
        return "number"
    sample = series.dropna()
    if not sample.empty and all(isinstance(v, date) for v in sample.head(100)):
        return "datetime" if isinstance(sample.iloc[0], datetime) else "date"
    return "text"


def _text_width(value: object) -> int:
    return max((len(line) for line in str(value).splitlines()), default=0)


def _width(series: pd.Series, header: str, kind: str) -> float:
    if kind in ("date", "datetime"):
        body = 12 if kind == "date" else 17
    elif kind == "text":
        sample = series.dropna().head(2000)
        body = max((_text_width(v) for v in sample), default=0)
    else:
        sample = series.dropna().head(2000)
        body = max((len(f"{v:,.2f}") if isinstance(v, float) else len(str(v)) for v in sample), default=0) + 2
    return float(min(MAX_WIDTH, max(MIN_WIDTH, body + 1, _text_width(header) + 3)))  # +3: the filter button


def _is_missing(value: object) -> bool:
    return value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _write_sheet(workbook: Any, table: XlsxTable, name: str, formats: dict) -> None:
    frame = table.frame
    if len(frame) > MAX_ROWS:
        raise XlsxError(f"{table.sheet}: {len(frame):,} rows do not fit in an Excel sheet ({MAX_ROWS:,} at most)")
    ws = workbook.add_worksheet(name)
    columns = list(frame.columns)
    kinds = [_kind(frame[c], c, table) for c in columns]
    for j, column in enumerate(columns):
        header = table.headers.get(column, column)
        ws.write_string(0, j, str(header), formats["header"])
        ws.set_column(j, j, _width(frame[column], header, kinds[j]), formats.get(kinds[j]))
    for i, row in enumerate(frame.itertuples(index=False, name=None), start=1):
        for j, value in enumerate(row):
            if _is_missing(value):
                continue
            kind = kinds[j]
            if kind in ("date", "datetime"):
                stamp = pd.Timestamp(value).to_pydatetime()
                ws.write_datetime(i, j, stamp.replace(tzinfo=None), formats[kind])
            elif kind == "bool":
                ws.write_boolean(i, j, bool(value))
            elif kind in ("int", "number", "money", "percent"):
                ws.write_number(i, j, float(value), formats.get(kind))
            else:
                ws.write_string(i, j, str(safe_cell(str(value))))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(frame), 1), max(len(columns) - 1, 0))


def write_xlsx(path: Path, tables: Sequence[XlsxTable], *, lang: str = "en", currency: str = "€") -> Path:
    """Write `tables` to `path` (atomically: a reader never sees half a workbook); returns the path."""
    import xlsxwriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        workbook = xlsxwriter.Workbook(tmp, {"constant_memory": True, "strings_to_formulas": False})
        formats = {
            "header": workbook.add_format({"bold": True, "bottom": 1, "bg_color": "#F3F4F6", "text_wrap": False}),
            "date": workbook.add_format({"num_format": DATE_FORMATS.get(lang, DATE_FORMATS["en"])}),
            "datetime": workbook.add_format({"num_format": DATETIME_FORMATS.get(lang, DATETIME_FORMATS["en"])}),
            "money": workbook.add_format({"num_format": currency_format(currency, lang)}),
            "percent": workbook.add_format({"num_format": "0.0%"}),
            "int": workbook.add_format({"num_format": "#,##0"}),
            "number": workbook.add_format({"num_format": "#,##0.00"}),
        }
        taken: set[str] = set()
        for table in tables:
            _write_sheet(workbook, table, sheet_name(table.sheet, taken), formats)
        workbook.close()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
