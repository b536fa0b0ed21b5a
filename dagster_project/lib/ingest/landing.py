"""The landing folder: which file belongs to which source, what is skipped and why, which files are still
being copied, and which landing folder a working copy was built from.

Every entry of the folder is either a file of a source (loaded or refused by the loader) or skipped with a
reason recorded in raw.ingested_files (status 'skipped'): nothing in the folder is ignored without a word.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from duckdb import DuckDBPyConnection

from .mapping import MAPPING_FILE, load_mapping, sources_of_file
from .sources import SOURCES, Source
from .xlsx import OLD_EXCEL, XLSX_EXTENSIONS

# Extensions read (each by its reader in loader.SCANNERS); .xls is refused with a message saying what to do.
EXTENSIONS = [".csv", ".txt", ".tsv", ".parquet", *XLSX_EXTENSIONS, *OLD_EXCEL]
SETTLE_SECONDS = 2.0  # a file must keep its size and modification time this long before it is read
_TEMPORARY = re.compile(r"^(~\$|\.~lock)|\.(tmp|part|partial|crdownload|swp)$", re.IGNORECASE)


class LandingError(RuntimeError):
    """The landing folder can't be used for this run (missing, unreadable, not the working copy's)."""


@dataclass(frozen=True)
class Skipped:
    name: str
    source: str | None  # the source the name points at, if any
    reason: str


def check_landing(landing: Path) -> None:
    """A missing or unreadable landing folder is an error naming it (never a run on stale data)."""
    if not landing.exists():
        raise LandingError(
            f"landing folder {landing} does not exist (check --landing or CARTERA_LANDING); nothing was run"
        )
    if not landing.is_dir():
        raise LandingError(f"landing folder {landing} is not a folder")
    try:
        next(landing.iterdir(), None)
    except OSError as e:
        raise LandingError(f"landing folder {landing} cannot be read ({e.strerror})") from None


def source_for(name: str, landing: Path) -> Source | None:
    """The source a file belongs to: the one whose cartera.yml `files` patterns match it, else the one it is
    named after: the source's name alone or followed by '_', '-', '.' or ' ' (`orders_2026-11-21.csv`,
    `ORDERS-nov.parquet`; `order_lines.csv` is not an orders file)."""
    found = sources_of_file(name.replace("\n", " "), load_mapping(landing))
    return SOURCES[found[0]] if found else None


def _suffix(name: str) -> str:
    return Path(name).suffix.lower()


def landing_files(landing: Path, source: Source) -> list[Path]:
    """Files of one source that a reader can read, in name order (links too: the loader refuses those
    leading outside the folder)."""
    if not landing.is_dir():
        return []
    return [
        p
        for p in sorted(landing.iterdir())
        if not _skip_reason(p)
        and _suffix(p.name) in EXTENSIONS
        and (s := source_for(p.name, landing))
        and s.name == source.name
    ]


def _skip_reason(p: Path) -> str | None:
    if p.name.startswith(".") or _TEMPORARY.search(p.name):
        return "a hidden or temporary file (an editor's lock or a copy in progress); not read"
    if p.is_dir():
        return "a folder; exports are read only from the landing folder itself"
    return None


def skipped_entries(landing: Path) -> list[Skipped]:
    """Every entry of the landing folder that no source reads, with the reason."""
    names = ", ".join(SOURCES)
    out = []
    for p in sorted(landing.iterdir()) if landing.is_dir() else []:
        if p.name == MAPPING_FILE:  # the landing folder's own settings, read by every source
            continue
        source = source_for(p.name, landing)
        if why := _skip_reason(p):
            out.append(Skipped(p.name, source.name if source else None, why))
        elif source is None:
            out.append(Skipped(p.name, None, f"not named after a source ({names}); not read"))
        elif _suffix(p.name) not in EXTENSIONS:
            kinds = ", ".join(e.lstrip(".") for e in EXTENSIONS)
            out.append(Skipped(p.name, source.name, f"'{_suffix(p.name) or 'no'}' files are not read ({kinds})"))
    return out


def _fingerprint(p: Path) -> tuple[int, int] | None:
    try:
        st = p.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def unstable_files(paths: list[Path], settle_seconds: float = SETTLE_SECONDS) -> set[Path]:
    """Files still being written: modified within the last `settle_seconds` and changing (size or time) while
    we wait for the rest of that period. Waits at most `settle_seconds`, once for all files."""
    before = {p: _fingerprint(p) for p in paths}
    now = time.time_ns()
    ages = [(now - fp[1]) / 1e9 for fp in before.values() if fp]
    young = [a for a in ages if a < settle_seconds]
    if not young:
        return set()
    time.sleep(max(0.05, settle_seconds - min(young)))
    return {p for p, fp in before.items() if fp and _fingerprint(p) != fp}


STILL_COPYING = "still being written (its size or modification time changed while checking); loaded once complete"


# ---- which landing folder the working copy was built from ------------------------------------------------


def check_origin(con: DuckDBPyConnection, landing: Path, *, rebuild: bool = False, run_id: str | None = None) -> bool:
    """Refuse to mix portfolios: the working copy records the landing folder it was built from; a different
    one is an error unless `rebuild`, which empties the working copy first (once per `run_id`: every source
    of the run calls this). Returns True when the working copy was emptied."""
    _origin_table(con)
    row = con.execute("SELECT landing, run_id FROM raw.landing_origin").fetchone()
    here = str(landing.resolve())
    emptied = False
    if rebuild and row and (run_id is None or row[1] != run_id):
        _empty_working_copy(con)
        _origin_table(con)
        row, emptied = None, True
    if row is None:
        con.execute("INSERT INTO raw.landing_origin VALUES (?, now(), ?)", [here, run_id])
    elif row[0] != here:
        db = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
        raise LandingError(
            f"the working copy {db[0] if db else ''} was built from landing folder {row[0]}, not {here}: "
            "two portfolios are never mixed. Run again with --rebuild to rebuild it from this folder, "
            "or use another --warehouse"
        )
    return emptied


def _origin_table(con: DuckDBPyConnection) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute(
        "CREATE TABLE IF NOT EXISTS raw.landing_origin (landing VARCHAR, recorded_at TIMESTAMP, run_id VARCHAR)"
    )


def _empty_working_copy(con: DuckDBPyConnection) -> None:
    """Drop every table, view and schema of the working copy (dbt rebuilds its models from raw)."""
    schemas = con.execute(
        "SELECT schema_name FROM information_schema.schemata WHERE catalog_name = current_database() "
        "AND schema_name NOT IN ('main', 'information_schema', 'pg_catalog')"
    ).fetchall()
    for (schema,) in schemas:
        con.execute(f'DROP SCHEMA "{schema.replace(chr(34), chr(34) * 2)}" CASCADE')
    for name, kind in con.execute(
        "SELECT table_name, table_type FROM information_schema.tables "
        "WHERE table_catalog = current_database() AND table_schema = 'main'"
    ).fetchall():
        con.execute(f'DROP {"VIEW" if kind == "VIEW" else "TABLE"} main."{name.replace(chr(34), chr(34) * 2)}"')


def pending_files(landing: Path, work_db: Path) -> list[str] | None:
    """Landing files new or changed since the working copy `work_db` last read them, by the loader's rule (name,
    size and modification time as recorded: unchanged without reading it; else the checksum decides); None
    when there is no working copy yet (everything is new). An empty list: nothing new arrived, so a nightly
    run may skip the rebuild. Opens the working copy read-only."""
    import duckdb

    from .sniff import file_checksum

    if not work_db.exists():
        return None
    check_landing(landing)
    con = duckdb.connect(str(work_db), read_only=True)
    try:
        try:
            rows = con.execute(
                "SELECT source || '/' || file, checksum, file_size, file_mtime_ns FROM raw.ingested_files "
                "WHERE status <> 'skipped'"
            ).fetchall()
        except duckdb.BinderException:  # a working copy from before sizes and times were recorded
            rows = con.execute(
                "SELECT source || '/' || file, checksum, NULL, NULL FROM raw.ingested_files WHERE status <> 'skipped'"
            ).fetchall()
    except duckdb.CatalogException:
        return None
    finally:
        con.close()
    known = {name: (checksum, (size, mtime)) for name, checksum, size, mtime in rows}
    pending = []
    for source in SOURCES.values():
        for p in landing_files(landing, source):
            checksum, stat = known.get(f"{source.name}/{p.name}", ("", (None, None)))
            if stat[0] is not None and _fingerprint(p) == stat:
                continue  # as recorded: unchanged, not read
            if checksum != _checksum_or_none(p, file_checksum):
                pending.append(p.name)
    return pending


def _checksum_or_none(p: Path, checksum: Callable[[Path], str]) -> str | None:
    try:
        return checksum(p)
    except OSError:
        return None
