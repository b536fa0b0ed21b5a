"""Make cell values safe to put in a CSV or Excel file meant for people.

Raw tables keep exports' text exactly as received ("=HYPERLINK(...)" is data). But a spreadsheet opening a
file Cartera writes would run such a value as a formula (CSV/formula injection). Every text cell of a file
for people goes through `safe_cell`; files read back by programs are not altered.
"""

from __future__ import annotations

# What a spreadsheet may take as the start of a formula: = + - @, and tab / carriage return (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Text starting like a formula gets a leading single quote ('=1+1 -> '=1+1); everything else, numbers
    included (-3 stays a number), is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
