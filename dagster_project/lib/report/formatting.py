"""Numbers for people: thousands separators, money with 0-2 decimals, percentages.

Separators come from labels.py so a Spanish report can write 1.234,50.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .labels import DEFAULT_LANG, label


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_number(value: float | int | None, decimals: int = 0, lang: str = DEFAULT_LANG) -> str:
    """1234567.891 -> '1,234,568' (decimals=0) or '1,234,567.89' (decimals=2); halves round up; None -> '–'."""
    if _is_missing(value):
        return "–"
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0"
    text = f"{rounded:,.{decimals}f}"
    thousands, decimal = label("_thousands_sep", lang), label("_decimal_sep", lang)
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def format_int(value: float | int | None, lang: str = DEFAULT_LANG) -> str:
    return format_number(value, 0, lang)


def format_money(value: float | int | None, currency: str = "$", lang: str = DEFAULT_LANG) -> str:
    """Whole units from 1,000 up ('$12,346'), cents below ('$45.50'), none for whole amounts ('$12')."""
    if _is_missing(value):
        return "–"
    value = float(value)
    decimals = 0 if abs(value) >= 1000 or round(value, 2).is_integer() else 2
    body = format_number(abs(value), decimals, lang)
    sign = "-" if value < 0 and round(abs(value), decimals) > 0 else ""
    return f"{sign}{currency}{body}"


def format_pct(share: float | None, decimals: int = 1, lang: str = DEFAULT_LANG) -> str:
    """A share in [0, 1] as a percentage: 0.8234 -> '82.3%'; whole percentages lose the decimal."""
    if _is_missing(share):
        return "–"
    return f"{format_trimmed(float(share) * 100, decimals, lang)}%"


def format_trimmed(value: float, decimals: int = 1, lang: str = DEFAULT_LANG) -> str:
    """Like format_number, without decimals when the value is whole at that precision: 10.0 -> '10'."""
    if round(value, decimals) == round(value):
        decimals = 0
    return format_number(value, decimals, lang)


def format_date(value: date | str, lang: str = DEFAULT_LANG) -> str:
    """ISO date for now (unambiguous in every language): 2024-06-30; datetimes and Timestamps lose the time."""
    return value.strftime("%Y-%m-%d") if isinstance(value, date) else str(value)
