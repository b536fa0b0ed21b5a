"""Where an export's header names become Cartera's columns: the one place that decides which field of a file
feeds which column of a source (every reader - CSV, Parquet, others - goes through `resolve_columns`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .mapping import SourceMapping, load_mapping, resolve_header
from .sniff import BadFileError, normalise_header
from .sources import Source


@dataclass(frozen=True)
class ColumnMap:
    positions: dict[str, int]  # source column name -> 0-based position of its field in the file
    ignored: list[str]  # header names no column takes (shown in the asset's metadata)
    names: tuple[str, ...]  # the file's header names as read (not normalised)

    @property
    def written(self) -> dict[str, str]:
        """Each matched column's name in the file, as written."""
        return {c: self.names[i] for c, i in self.positions.items()}


def resolve_columns(
    path: Path, source: Source, header: Sequence[str], mapping: SourceMapping | None = None
) -> ColumnMap:
    """Match a file's header names (as written) to the source's columns: cartera.yml first, then the Cartera
    names, then Spanish/English synonyms (mapping.resolve_header), case- and accent-insensitively
    (`Customer ID` -> customer_id). A file missing a required column is refused naming it."""
    if mapping is None:
        mapping = load_mapping(path.parent).source(source.name)
    written = [h.strip() if h else "" for h in header]
    normalised = [normalise_header(h) for h in written]
    renamed = resolve_header(path.name, source, written, mapping, normalised).renamed
    index = {h: i for i, h in enumerate(renamed) if h}
    positions = {c.name: index[c.file_header] for c in source.columns if c.file_header in index}
    missing = [c.file_header for c in source.required_columns if c.name not in positions]
    if missing:
        raise BadFileError(
            f"{path.name}: missing required column(s) {', '.join(missing)} "
            f"(found: {', '.join(h for h in normalised if h) or 'none'})"
        )
    used = set(positions.values())
    ignored = sorted({h for i, h in enumerate(normalised) if h and i not in used})
    return ColumnMap(positions, ignored, tuple(written))
