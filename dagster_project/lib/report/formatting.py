"""Numbers, money, percentages and dates for people, in the conventions of the reader's language (Babel/CLDR).

    format_money(1234.56, "€", "es") -> '1.234,56 €'      format_money(1234.56, "€", "en") -> '€1,234.56'
    format_date(date(2026, 11, 24), "es") -> '24/11/2026'  format_date(date(2026, 11, 24), "en") -> '24 Nov 2026'

Babel writes a no-break space (U+00A0) between a number and its unit ('1.234,56\\xa0€', '82\\xa0%'), so the
two never land on different lines.
"""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import format_currency, format_decimal, format_percent

from .labels import DEFAULT_LANG, label

# The Babel locale of each language Cartera speaks (grouping, decimal mark, currency and date patterns).
LOCALES = {"es": "es_ES", "en": "en_US"}
DATE_PATTERNS = {"es": "dd/MM/yyyy", "en": "d MMM yyyy"}  # 24/11/2026, 24 Nov 2026 (never ambiguous)
# Currency setting (a symbol or an ISO code) -> ISO 4217 code, so Babel places and names it the local way.
CURRENCY_CODES = {"€": "EUR", "$": "USD", "US$": "USD", "£": "GBP", "¥": "JPY", "CHF": "CHF", "MX$": "MXN"}
_DIGITS = re.compile(r"#,##0(?:\.0+)?")


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@cache
def locale(lang: str) -> Locale:
    return Locale.parse(LOCALES.get(lang, LOCALES[DEFAULT_LANG]))


def currency_code(currency: str) -> str:
    """'€' -> 'EUR', 'usd' -> 'USD'; anything else is used as its own symbol."""
    if currency in CURRENCY_CODES:
        return CURRENCY_CODES[currency]
    return currency.upper() if re.fullmatch(r"[A-Za-z]{3}", currency) else currency


def _round(value: float | int, decimals: int) -> Decimal:
    """Halves round up (Babel would round them to even); no '-0'."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return abs(rounded) if rounded == 0 else rounded


def _pattern(base: str, decimals: int) -> str:
    """The locale's pattern with exactly `decimals` fraction digits ('#,##0.00 ¤' -> '#,##0 ¤' for 0)."""
    return _DIGITS.sub("#,##0" + ("." + "0" * decimals if decimals else ""), base)


def format_number(value: float | int | None, decimals: int = 0, lang: str = DEFAULT_LANG) -> str:
    """1234567.891 -> '1,234,568' (en) / '1.234.568' (es), or with `decimals` places; None -> '–'."""
    if value is None or _is_missing(value):
        return "–"
    loc = locale(lang)
    return format_decimal(
        _round(value, decimals), format=_pattern(loc.decimal_formats[None].pattern, decimals), locale=loc
    )


def format_int(value: float | int | None, lang: str = DEFAULT_LANG) -> str:
    return format_number(value, 0, lang)


def money_decimals(value: float) -> int:
    """Whole units from 1,000 up, cents below, none for whole amounts."""
    return 0 if abs(value) >= 1000 or round(value, 2).is_integer() else 2


def format_money(
    value: float | int | None, currency: str = "$", lang: str = DEFAULT_LANG, decimals: int | None = None
) -> str:
    """'$12,346' / '12.346 €' from 1,000 up, cents below ('$45.50' / '45,50 €'), none for whole amounts."""
    if value is None or _is_missing(value):
        return "–"
    value = float(value)
    decimals = money_decimals(value) if decimals is None else decimals
    loc = locale(lang)
    pattern = _pattern(loc.currency_formats["standard"].pattern, decimals)
    return format_currency(
        _round(value, decimals), currency_code(currency), format=pattern, locale=loc, currency_digits=False
    )


def format_pct(share: float | None, decimals: int = 1, lang: str = DEFAULT_LANG) -> str:
    """A share in [0, 1] as a percentage: 0.8234 -> '82.3%' (en) / '82,3 %' (es); whole ones lose the decimal."""
    if share is None or _is_missing(share):
        return "–"
    percent = float(share) * 100
    if round(percent, decimals) == round(percent):
        decimals = 0
    loc = locale(lang)
    pattern = _pattern(loc.percent_formats[None].pattern, decimals)
    return format_percent(_round(percent, decimals) / 100, format=pattern, locale=loc)


def format_trimmed(value: float, decimals: int = 1, lang: str = DEFAULT_LANG) -> str:
    """Like format_number, without decimals when the value is whole at that precision: 10.0 -> '10'."""
    if round(value, decimals) == round(value):
        decimals = 0
    return format_number(value, decimals, lang)


def format_date(value: date | str, lang: str = DEFAULT_LANG) -> str:
    """24/11/2026 (es) or 24 Nov 2026 (en); datetimes and Timestamps lose the time; text is returned as is."""
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value)[:10])
        except ValueError:
            return str(value)
    day = date(value.year, value.month, value.day)
    return _babel_date(day, DATE_PATTERNS.get(lang, DATE_PATTERNS[DEFAULT_LANG]), locale=locale(lang))


def format_days(days: int, lang: str = DEFAULT_LANG) -> str:
    """A window of days as a person says it: whole years in months (365 -> '12 months' / '12 meses'), anything
    else in days ('60 days' / '60 días'). Words from labels.py ('window.months', 'window.days')."""
    if days > 0 and days % 365 == 0:
        return label("window.months", lang, n=format_number(days // 365 * 12, 0, lang))
    return label("window.days", lang, n=format_number(days, 0, lang))
