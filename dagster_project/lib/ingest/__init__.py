"""Ingestion of landing exports into the raw schema (parsing and quarantine rules)."""

from .landing import LandingError, check_landing, landing_files, skipped_entries
from .loader import SCANNERS, FileResult, SourceResult, ensure_raw_schema, ingest_source
from .sniff import BadFileError
from .sources import SOURCES, Source

__all__ = [
    "SCANNERS",
    "SOURCES",
    "BadFileError",
    "FileResult",
    "LandingError",
    "Source",
    "SourceResult",
    "check_landing",
    "ensure_raw_schema",
    "ingest_source",
    "landing_files",
    "skipped_entries",
]
