"""Write reports to disk atomically and find the previous report's headline."""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from datetime import date
from pathlib import Path

log = logging.getLogger(__name__)

REPORT_PREFIX = "retention_report_"
LATEST_NAME = "latest.html"
_HEADLINE_FILE = re.compile(rf"^{REPORT_PREFIX}(\d{{4}}-\d{{2}}-\d{{2}})\.json$")


def process_umask() -> int:
    """The process umask, read without changing it (Linux exposes it in /proc; elsewhere set and restore)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _atomic_write(path: Path, text: str) -> None:
    """Write to a temp file in the same directory, then os.replace: readers never see half a file.

    The file gets the permissions any new file of this process gets (0666 minus the umask), as a shared
    reports folder expects, not the owner-only mode of a temporary file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~process_umask())
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def report_paths(reports_dir: Path, as_of: date) -> tuple[Path, Path]:
    """(dated HTML, headline JSON) for a report date."""
    stem = f"{REPORT_PREFIX}{as_of.isoformat()}"
    return reports_dir / f"{stem}.html", reports_dir / f"{stem}.json"


def write_report(html: str, headline: dict, reports_dir: Path, as_of: date) -> Path:
    """Write retention_report_<as_of>.html, its .json headline and latest.html; return the dated HTML path."""
    reports_dir = Path(reports_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    html_path, json_path = report_paths(reports_dir, as_of)
    _atomic_write(html_path, html)
    _atomic_write(json_path, json.dumps(headline, indent=2, sort_keys=True) + "\n")
    _atomic_write(reports_dir / LATEST_NAME, html)
    return html_path


def load_previous_headline(reports_dir: Path, as_of: date) -> dict | None:
    """The headline of the most recent report dated strictly before `as_of` (None when there is none).

    An unreadable headline file is skipped with a warning, and the next older one is used.
    """
    reports_dir = Path(reports_dir)
    if not reports_dir.is_dir():
        return None
    dated = []
    for path in reports_dir.iterdir():
        match = _HEADLINE_FILE.match(path.name)
        if match:
            try:
                dated.append((date.fromisoformat(match.group(1)), path))
            except ValueError:
                continue
    for report_date, path in sorted(dated, reverse=True):
        if report_date >= as_of:
            continue
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            log.warning("Skipping unreadable report headline %s: %s", path, error)
    return None


def has_report_for(reports_dir: Path, as_of: date) -> bool:
    """A report of this date was written before (this one is a re-run that replaces it)."""
    return report_paths(Path(reports_dir), as_of)[1].exists()
