"""The summary `cartera run` prints at the end (or as JSON with --json): per source what this run loaded and
rejected with the main reasons, files refused, how fresh the data is, where the warehouse and report are."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from ..lib.freshness import Freshness, read_freshness
from ..lib.report.data_quality import top_reasons


@dataclass
class SourceSummary:
    source: str
    files_new_or_changed: int = 0
    files_unchanged: int = 0
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    top_reasons: list[tuple[str, int]] = field(default_factory=list)
    refused_files: list[str] = field(default_factory=list)  # one reason per file, naming it

    def line(self) -> str | None:
        """The source's line in the summary; None for a source with no file at all."""
        if not self.files_new_or_changed and not self.refused_files:
            return f"  {self.source:<13} no new or changed files" if self.files_unchanged else None
        text = (
            f"  {self.source:<13} {self.rows_read:,} read, {self.rows_loaded:,} loaded, {self.rows_rejected:,} rejected"
        )
        if self.top_reasons:
            text += ": " + ", ".join(f"{kind} ({n:,})" for kind, n in self.top_reasons)
        return text


def _raw_metadata(events) -> dict[str, dict]:
    """{source: metadata} of the raw_<source> materializations of this run."""
    out = {}
    for e in events:
        if e.event_type_value != "ASSET_MATERIALIZATION":
            continue
        m = e.event_specific_data.materialization
        key = m.asset_key.to_user_string()
        if key.startswith("raw_") and "rows_read" in (m.metadata or {}):
            out[key[4:]] = {k: getattr(v, "value", v) for k, v in m.metadata.items()}
    return out


def _read_only(path: Path):
    try:
        return duckdb.connect(str(path), read_only=True) if path.exists() else None
    except duckdb.Error:  # another process writes it right now: the summary goes without the details
        return None


def source_summaries(events, work_db: Path, run_started_epoch: float) -> list[SourceSummary]:
    meta = _raw_metadata(events)
    reasons: dict = {}
    refused: dict[str, list[str]] = {}
    con = _read_only(work_db)
    if con is not None:
        try:
            if (
                con.execute(
                    "select count(*) from information_schema.tables where table_schema = 'raw' "
                    "and table_name in ('rejected_rows', 'ingested_files')"
                ).fetchone()[0]
                == 2
            ):
                # Rows this run rejected: timestamps written by this run's own clock, in the same time zone.
                reasons = top_reasons(
                    con, "raw.rejected_rows", "rejected_at >= to_timestamp(?)::TIMESTAMP", [run_started_epoch - 1]
                )
                for source, reason in con.execute(
                    "select source, coalesce(reason, file) from raw.ingested_files where status = 'refused' "
                    "order by source, file"
                ).fetchall():
                    refused.setdefault(source, []).append(reason)
        finally:
            con.close()
    out = []
    for source in sorted(set(meta) | set(refused)):
        m = meta.get(source, {})
        out.append(
            SourceSummary(
                source,
                int(m.get("files_new_or_changed", 0)),
                int(m.get("files_unchanged", 0)),
                int(m.get("rows_read", 0)),
                int(m.get("rows_loaded", 0)),
                int(m.get("rows_rejected", 0)),
                reasons.get(source, []) if m.get("rows_rejected") else [],
                refused.get(source, []),
            )
        )
    return out


def published_freshness(warehouse: Path, stale_after_days: int) -> Freshness | None:
    con = _read_only(warehouse)
    if con is None:
        return None
    try:
        return read_freshness(con, None, stale_after_days)
    except duckdb.Error:
        return None
    finally:
        con.close()


def summary_dict(**fields) -> dict:
    """JSON-ready: dataclasses as dicts, dates as ISO strings, paths as strings."""

    def plain(value):
        if isinstance(value, SourceSummary):
            d = asdict(value)
            d["top_reasons"] = [{"reason": k, "rows": n} for k, n in value.top_reasons]
            return d
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, Path):
            return str(value)
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return value

    return plain(fields)
