"""The report's data-quality section: per source, rows read / loaded / rejected, the main reasons, and the
files refused whole, from the published audit tables (audit.ingested_files, audit.rejected_rows).

`REASON_KIND_SQL` groups reasons that differ only in the value quoted ("unparseable amount 'abc'" and
"unparseable amount 'x'" are one kind); the run's summary on the terminal uses the same grouping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

import duckdb

from .formatting import format_int
from .labels import DEFAULT_LANG, code_label, label
from .warehouse import table_exists

TOP_REASONS = 3
# "order_date 2099-01-01 is in the future (after 2026-11-24)" -> "order_date is in the future";
# "unparseable amount 'abc'" -> "unparseable amount"; "duplicate order_id 'A1' (a later row ...)" -> "duplicate order_id"
REASON_KIND_SQL = (
    "trim(regexp_replace(regexp_replace(regexp_replace(reason, ' \\([^)]*\\)', '', 'g'), ' ''[^'']*''', '', 'g'), "
    "' [0-9]{4}-[0-9]{2}-[0-9]{2} is ', ' is ', 'g'))"
)


# The reason kinds ingestion writes (lib/ingest/rules.py, scan.py), in words of the report's language; a kind not
# listed here is shown as ingestion wrote it.
_REASON_PATTERNS = (
    (re.compile(r"^missing (?P<col>\w+)$"), "reason.missing"),
    (re.compile(r"^unparseable (?P<col>\w+)$"), "reason.unparseable"),
    (re.compile(r"^(?P<col>\w+) is in the future$"), "reason.future"),
    (re.compile(r"^(?P<col>\w+) is before (?P<date>[0-9-]+)$"), "reason.before"),
    (re.compile(r"^(?P<col>\w+) longer than (?P<n>\d+) characters$"), "reason.too_long"),
    (re.compile(r"^duplicate (?P<col>\w+)$"), "reason.duplicate"),
    (re.compile(r"^repeated header line$"), "reason.repeated_header"),
    (re.compile(r"^contains a NUL byte$"), "reason.nul_byte"),
    (re.compile(r"^(?P<col>\w+) is not a whole number from (?P<lo>\d+) to (?P<hi>\d+)$"), "reason.not_whole_in_range"),
    (re.compile(r"^unreadable line: (?P<detail>.*)$"), "reason.unreadable_line"),
)


def reason_label(kind: str, lang: str = DEFAULT_LANG) -> str:
    """'unparseable amount' -> 'amount ilegible' in Spanish; unknown kinds as they are."""
    for pattern, key in _REASON_PATTERNS:
        if match := pattern.match(kind):
            return label(key, lang, **match.groupdict())
    return kind


@dataclass(frozen=True)
class SourceQuality:
    source: str
    files: int  # files loaded (refused ones are listed apart)
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    top_reasons: list[tuple[str, int]]  # (reason kind, rows), most frequent first


@dataclass
class DataQuality:
    sources: list[SourceQuality] = field(default_factory=list)
    refused_files: list[tuple[str, str, str]] = field(default_factory=list)  # (source, file, reason)

    @property
    def rows_rejected(self) -> int:
        return sum(s.rows_rejected for s in self.sources)


def top_reasons(con: duckdb.DuckDBPyConnection, table: str, where: str = "true", params: list | None = None) -> dict:
    """{source: [(reason kind, rows), ...]} with at most TOP_REASONS kinds per source, most frequent first.
    `table` and `where` are fixed strings of the caller (values go in `params`)."""
    rows = con.execute(
        f"""select source, kind, n from (
                select source, {REASON_KIND_SQL} as kind, count(*) as n,
                       row_number() over (partition by source order by count(*) desc, {REASON_KIND_SQL}) as k
                from {table} where {where} group by source, kind
            ) where k <= ? order by source, n desc, kind""",
        [*(params or []), TOP_REASONS],
    ).fetchall()
    out: dict[str, list[tuple[str, int]]] = {}
    for source, kind, n in rows:
        out.setdefault(source, []).append((kind, int(n)))
    return out


def collect_data_quality(con: duckdb.DuckDBPyConnection, schema: str = "audit") -> DataQuality | None:
    """What the warehouse holds, per source; None when the audit tables are not there."""
    if not (table_exists(con, schema, "ingested_files") and table_exists(con, schema, "rejected_rows")):
        return None
    reasons = top_reasons(con, f"{schema}.rejected_rows")
    sources = [
        SourceQuality(src, int(files), int(read), int(loaded), int(rejected), reasons.get(src, []))
        for src, files, read, loaded, rejected in con.execute(
            f"""select source, count(*) filter (status <> 'refused'),
                       coalesce(sum(rows_read) filter (status <> 'refused'), 0),
                       coalesce(sum(rows_loaded) filter (status <> 'refused'), 0),
                       coalesce(sum(rows_rejected) filter (status <> 'refused'), 0)
                from {schema}.ingested_files group by source order by source"""
        ).fetchall()
    ]
    refused = con.execute(
        f"select source, file, coalesce(reason, '') from {schema}.ingested_files where status = 'refused' "
        "order by source, file"
    ).fetchall()
    return DataQuality(sources, [tuple(r) for r in refused])


def render_data_quality(dq: DataQuality | None, lang: str = DEFAULT_LANG) -> str:
    """<section id="data-quality">: a row per source, then the files refused whole."""
    if dq is None:
        return ""
    title = f"<h2>{escape(label('quality.title', lang))}</h2>"
    cols = ("source", "files", "read", "loaded", "rejected", "reasons")
    head = "".join(
        f"<th{' class=num' if c in ('files', 'read', 'loaded', 'rejected') else ''}>"
        f"{escape(label('quality.col.' + c, lang))}</th>"
        for c in cols
    )
    rows = []
    for s in dq.sources:
        reasons = "; ".join(f"{reason_label(kind, lang)} ({format_int(n, lang)})" for kind, n in s.top_reasons) or "–"
        nums = "".join(
            f'<td class="num">{escape(format_int(v, lang))}</td>'
            for v in (s.files, s.rows_read, s.rows_loaded, s.rows_rejected)
        )
        rows.append(f"<tr><td>{escape(code_label('source', s.source, lang))}</td>{nums}<td>{escape(reasons)}</td></tr>")
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    refused = ""
    if dq.refused_files:
        items = "".join(f"<li>{escape(reason or file)}</li>" for _source, file, reason in dq.refused_files)
        refused = f"<h3>{escape(label('quality.refused', lang))}</h3><ul>{items}</ul>"
    summary = label("quality.none_rejected", lang) if not dq.rows_rejected and not dq.refused_files else ""
    explain = f'<p class="explain">{escape(summary + " " + label("quality.explain", lang)).strip()}</p>'
    return f'<section id="data-quality">{title}{table}{refused}{explain}</section>'
