"""The opposite guard to row-by-row quarantine: a half-broken export must not publish quietly.

A file of this run whose rejected rows pass BOTH limits (a share of its rows and a number of rows; defaults 5%
and 100, so a few bad lines in a small file never stop the night) fails the run before publishing, with the
file, the share and the most frequent reasons. Below the limits rejected rows are shown, never hidden.
"""

from __future__ import annotations

from duckdb import DuckDBPyConnection

from .loader import SourceResult

REJECTED_SHARE_MAX = 0.05
REJECTED_ROWS_MAX = 100


def _top_reasons(con: DuckDBPyConnection, source: str, file: str, n: int = 3) -> str:
    # 'unparseable amount ''abc''' and 'unparseable amount ''x''' are one reason: the quoted value is dropped
    rows = con.execute(
        """SELECT regexp_replace(reason, ' ''.*''.*$', '') AS why, count(*) AS n FROM raw.rejected_rows
           WHERE source = ? AND file = ? GROUP BY why ORDER BY n DESC, why LIMIT ?""",
        [source, file, n],
    ).fetchall()
    return ", ".join(f"{why} ({k:,})" for why, k in rows)


def rejection_breaches(
    con: DuckDBPyConnection,
    result: SourceResult,
    share_max: float = REJECTED_SHARE_MAX,
    rows_max: int = REJECTED_ROWS_MAX,
) -> list[str]:
    """One line per file of this run (loaded, replaced or newly refused) over both limits."""
    out = []
    for f in result.new_files:
        if not f.rows_read or f.rows_rejected <= rows_max or f.rows_rejected / f.rows_read <= share_max:
            continue
        why = f.reason if f.status == "refused" else _top_reasons(con, result.source, f.file)
        out.append(
            f"{f.file}: {f.rows_rejected:,} of {f.rows_read:,} rows rejected ({f.rows_rejected / f.rows_read:.1%}; "
            f"the limits are {share_max:.0%} and {rows_max:,} rows): {why}"
        )
    return out
