"""The small HTML pieces every report section is built from (cells are plain text, escaped here)."""

from __future__ import annotations

from html import escape

from .labels import label


def table(columns: list[tuple[str, bool]], rows: list[list[str]]) -> str:
    """columns: (header text, is numeric: right-aligned); cells are plain text, escaped here."""
    head = "".join(f"<th{' class=num' if num else ''}>{escape(h)}</th>" for h, num in columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td{' class=num' if columns[i][1] else ''}>{escape(c)}</td>" for i, c in enumerate(row))
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def img(uri: str | None, alt: str, lang: str) -> str:
    """A chart (a data URI), or the "no data yet" line when there is nothing to draw."""
    if not uri:
        return f'<p class="neutral">{escape(label("empty.chart", lang))}</p>'
    return f'<img alt="{escape(alt)}" src="{uri}">'
