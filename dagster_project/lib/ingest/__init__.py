"""Ingestion of landing exports into the raw schema (parsing and quarantine rules)."""

from .loader import FileResult, SourceResult, ensure_raw_schema, ingest_source, landing_files
from .sniff import BadFileError
from .sources import SOURCES, Source

__all__ = [
    "SOURCES",
    "BadFileError",
    "FileResult",
    "Source",
    "SourceResult",
    "ensure_raw_schema",
    "ingest_source",
    "landing_files",
]
