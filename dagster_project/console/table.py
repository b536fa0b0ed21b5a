"""A query result as a plain text table (right-aligned columns, as pandas prints), without importing pandas:
`cartera query` starts in a fraction of a second and never reads more rows than it prints."""

from __future__ import annotations

from collections.abc import Sequence


def _cell(value) -> str:
    return "NULL" if value is None else str(value)


def format_table(columns: Sequence[str], rows: Sequence[Sequence], *, more: bool = False) -> str:
    """`columns` over `rows`; `more` adds a line saying the result was cut at the rows shown."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    lines = [" ".join(c.rjust(w) for c, w in zip(columns, widths, strict=True))]
    lines += [" ".join(v.rjust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    if more:
        lines.append(f"... (first {len(rows)} rows shown; --max-rows shows more)")
    return "\n".join(lines)
