"""Find English left in a page meant to be Spanish: the words of the English label table that Spanish
never uses, looked for in the page's visible text, its attributes and the text drawn inside its charts."""

from __future__ import annotations

import re
from contextlib import contextmanager
from html import unescape

from dagster_project.lib.report.labels import LABELS

_WORD = re.compile(r"[^\W\d_]{3,}")
_TAG = re.compile(r"<[^>]+>")
_IDENT = re.compile(r"\b\w+_\w+\b")
_FIELD = re.compile(r"\{\w*\}")  # a label's placeholder


def words(text: str) -> set[str]:
    """Lower-case words of 3+ letters; identifiers with underscores (mart names such as customer_value_alerts)
    are names, not words."""
    text = _IDENT.sub(" ", unescape(_TAG.sub(" ", _FIELD.sub(" ", text))))
    return {w.lower() for w in _WORD.findall(text)}


def english_only_words() -> set[str]:
    """Words of the English labels (3+ letters) that no Spanish label uses ('habitual' is both)."""
    english = set().union(*(words(v) for v in LABELS["en"].values()))
    spanish = set().union(*(words(v) for v in LABELS["es"].values()))
    return english - spanish


def visible_text(html: str) -> str:
    """Text a reader sees: the body without tags, plus alt and title attributes and the <title>."""
    html = re.sub(r'src="data:[^"]*"', "", html)
    attrs = " ".join(re.findall(r'(?:alt|title|aria-label)="([^"]*)"', html))
    body = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    return _TAG.sub(" ", body) + " " + attrs


def english_left(text: str, allowed: set[str] = frozenset()) -> set[str]:
    """English-only words found in `text`."""
    return (words(text) & english_only_words()) - set(allowed)


@contextmanager
def chart_texts():
    """Collect every text drawn in the report's charts (titles, axes, ticks, legends, annotations)."""
    from matplotlib.text import Text

    from dagster_project.lib.report import charts

    collected: list[str] = []
    original = charts._to_data_uri

    def spy(fig):
        collected.extend(t.get_text() for t in fig.findobj(Text) if t.get_text())
        return original(fig)

    charts._to_data_uri = spy
    try:
        yield collected
    finally:
        charts._to_data_uri = original
