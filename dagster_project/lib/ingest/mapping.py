"""Which export column is which Cartera column, and the landing folder's mapping file `cartera.yml`.

An export's header is resolved to a source's columns in three steps, the first that matches wins:
1. `cartera.yml` names it (per source: export column -> Cartera column, or `ignore`);
2. the export uses the Cartera name itself (`customer_id`, `Customer ID`);
3. a built-in Spanish or English synonym (`Cliente`, `Código cliente`, `Importe`, `Nº pedido`; synonyms.py).
Names match case-, accent-, space- and punctuation-insensitively. Two export columns that could be the same
Cartera column at the same step are refused with both names: Cartera never guesses between them.

`cartera.yml` (optional, in the landing folder) also gives per source the file-name patterns of its exports,
the date order, the decimal mark, the encoding and separator of CSV files and the sheet of xlsx files. A
mistake in it is a one-line error naming the file and the key.
"""

from __future__ import annotations

import codecs
import csv
import fnmatch
import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .sniff import BadFileError, CsvFormat
from .sources import SOURCES, Source
from .synonyms import SYNONYMS, header_key

MAPPING_FILE = "cartera.yml"
IGNORE = "ignore"
DATE_ORDERS = ("dmy", "mdy", "ymd")
SOURCE_KEYS = ("files", "columns", "date_order", "decimal", "sheet", "encoding", "delimiter")


class MappingError(ValueError):
    """cartera.yml is not usable; the one-line message names the file and the key."""


@dataclass(frozen=True)
class SourceMapping:
    columns: dict[str, str] = field(default_factory=dict)  # header_key(export column) -> Cartera column | IGNORE
    files: tuple[str, ...] = ()  # file-name patterns (shell style, case-insensitive)
    date_order: str = "dmy"
    decimal: str | None = None
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None

    def csv_options(self) -> dict:
        opts = {"encoding": self.encoding, "delimiter": self.delimiter, "decimal": self.decimal}
        return {k: v for k, v in opts.items() if v is not None}


@dataclass(frozen=True)
class LandingMapping:
    path: Path | None  # the cartera.yml read, None when the folder has none
    sources: dict[str, SourceMapping] = field(default_factory=dict)

    def source(self, name: str) -> SourceMapping:
        return self.sources.get(name, SourceMapping())

    def claimed_by(self, file_name: str) -> list[str]:
        """Sources whose `files` patterns match this file name."""
        return [s for s, m in self.sources.items() if any(_glob(file_name, p) for p in m.files)]


def _glob(name: str, pattern: str) -> bool:
    return fnmatch.fnmatchcase(name.lower(), pattern.lower())


def load_mapping(landing: Path) -> LandingMapping:
    """The landing folder's cartera.yml, validated (re-read only when the file changes)."""
    path = Path(landing) / MAPPING_FILE
    try:
        st = path.stat()
    except OSError:
        return LandingMapping(None)
    return _load_cached(str(path), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=8)
def _load_cached(path: str, _mtime: int, _size: int) -> LandingMapping:
    return parse_mapping(Path(path).read_bytes(), Path(path))


def parse_mapping(text: bytes | str, path: Path) -> LandingMapping:
    name = path.name
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise MappingError(f"{name}: not valid YAML{where} ({problem})") from None
    if doc is None:
        return LandingMapping(path)
    if not isinstance(doc, dict):
        raise MappingError(f"{name}: must be a mapping of source names (orders, customers ...) to their settings")
    sources = {}
    for key, spec in doc.items():
        if key not in SOURCES:
            raise MappingError(f"{name}: {key!r} is not a Cartera source (sources: {', '.join(SOURCES)})")
        sources[key] = _source_mapping(name, SOURCES[key], spec)
    return LandingMapping(path, sources)


def _source_mapping(name: str, source: Source, spec: object) -> SourceMapping:
    at = f"{name}: {source.name}"
    if spec is None:
        return SourceMapping()
    if not isinstance(spec, dict):
        raise MappingError(f"{at}: must be a mapping with keys among {', '.join(SOURCE_KEYS)}")
    for key in spec:
        if key not in SOURCE_KEYS:
            raise MappingError(f"{at}.{key}: unknown key (known keys: {', '.join(SOURCE_KEYS)})")
    files = spec.get("files", [])
    files = [files] if isinstance(files, str) else files
    if not isinstance(files, list) or not all(isinstance(p, str) and p.strip() and "/" not in p for p in files):
        raise MappingError(f"{at}.files: must be a list of file-name patterns such as 'Ventas*.xlsx' (no folders)")
    date_order = str(spec.get("date_order", "dmy")).lower()
    if date_order not in DATE_ORDERS:
        raise MappingError(f"{at}.date_order: must be one of {', '.join(DATE_ORDERS)}, not {spec['date_order']!r}")
    decimal = spec.get("decimal")
    if decimal is not None and decimal not in (".", ","):
        raise MappingError(f"{at}.decimal: must be '.' or ',', not {decimal!r}")
    delimiter = spec.get("delimiter")
    if delimiter is not None and delimiter not in (",", ";", "\t", "|"):
        raise MappingError(f"{at}.delimiter: must be one of ',' ';' '\\t' '|', not {delimiter!r}")
    encoding = spec.get("encoding")
    if encoding is not None:
        try:
            codecs.lookup(str(encoding))
        except LookupError:
            raise MappingError(f"{at}.encoding: unknown encoding {encoding!r}") from None
    sheet = spec.get("sheet")
    if sheet is not None and not isinstance(sheet, str | int):
        raise MappingError(f"{at}.sheet: must be a sheet name, not {sheet!r}")
    return SourceMapping(
        columns=_columns(at, source, spec.get("columns") or {}),
        files=tuple(files),
        date_order=date_order,
        decimal=decimal,
        sheet=None if sheet is None else str(sheet),
        encoding=None if encoding is None else str(encoding),
        delimiter=delimiter,
    )


def _columns(at: str, source: Source, columns: object) -> dict[str, str]:
    if not isinstance(columns, dict):
        raise MappingError(f"{at}.columns: must map export column names to Cartera columns ('Cliente: customer_id')")
    targets = {c.name: c.name for c in source.columns} | {c.file_header: c.name for c in source.columns}
    out: dict[str, str] = {}
    for export, target in columns.items():
        key = header_key(str(export))
        if not key:
            raise MappingError(f"{at}.columns: {export!r} is not a column name")
        target = str(target).strip() if target is not None else IGNORE
        if target.lower() == IGNORE:
            out[key] = IGNORE
            continue
        if target not in targets:
            raise MappingError(
                f"{at}.columns.{export}: {target!r} is not a column of {source.name} "
                f"(columns: {', '.join(c.file_header for c in source.columns)}, or ignore)"
            )
        out[key] = targets[target]  # several names may map to one column (exports of different systems)
    return out


@dataclass(frozen=True)
class Resolution:
    """How an export's header maps onto a source: per Cartera column, the export column and why."""

    header: tuple[str, ...]  # the export's names, as written
    matched: dict[str, tuple[str, str]]  # Cartera column -> (export column, 'cartera.yml' | 'name' | 'synonym')
    renamed: tuple[str, ...]  # the header with each matched column renamed to the Cartera name the scan expects
    ambiguous: dict[str, list[str]] = field(default_factory=dict)  # Cartera column -> export columns (strict=False)

    def missing(self, source: Source) -> list[str]:
        return [c.file_header for c in source.required_columns if c.name not in self.matched]

    @property
    def unused(self) -> list[str]:
        used = {e for e, _ in self.matched.values()}
        return [h for h in self.header if h and h not in used]


def resolve_header(
    file_name: str,
    source: Source,
    header: Sequence[str],
    mapping: SourceMapping,
    names: Sequence[str] | None = None,
    strict: bool = True,
) -> Resolution:
    """Match the export's column names (as written) to the source's columns; ambiguity raises BadFileError.

    `names` are the names the reader gives the columns (default: `header`); `renamed` is them with each
    matched column renamed to its Cartera name."""
    header = tuple(header)
    names = tuple(names) if names is not None else header
    keys = [header_key(h) for h in header]
    levels = [
        ("cartera.yml", {k: t for k, t in mapping.columns.items()}),
        ("name", {header_key(n): c.name for c in source.columns for n in {c.name, c.file_header}}),
        ("synonym", {header_key(s): col for col, syns in SYNONYMS.get(source.name, {}).items() for s in syns}),
    ]
    matched: dict[str, tuple[str, str]] = {}
    positions: dict[str, int] = {}
    ambiguous: dict[str, list[str]] = {}
    taken: set[int] = set()
    for how, table in levels:
        found: dict[str, list[int]] = {}
        for i, k in enumerate(keys):
            if i not in taken and k in table:
                found.setdefault(table[k], []).append(i)
        for col, idx in found.items():
            taken.update(idx)  # a column named at a step is decided there, also when it is to be ignored
            if col == IGNORE or col in matched:
                continue
            if len(idx) > 1 and not strict:  # `cartera check` shows them and leaves the column unmatched
                ambiguous[col] = [header[i] for i in idx]
                continue
            if len(idx) > 1:
                both = " and ".join(repr(header[i]) for i in idx)
                raise BadFileError(
                    f"{file_name}: columns {both} could both be {col}; say which one in {MAPPING_FILE} "
                    f"({source.name}: columns: {{{header[idx[0]]!r}: {col}}})"
                )
            matched[col] = (header[idx[0]], how)
            positions[col] = idx[0]
    return Resolution(header, matched, _renamed(source, names, positions), ambiguous)


def _renamed(source: Source, names: tuple[str, ...], positions: dict[str, int]) -> tuple[str, ...]:
    cartera = {i: source.column(c).file_header for c, i in positions.items()}
    targets = set(cartera.values())
    out = []
    for i, h in enumerate(names):
        name = cartera.get(i, h)
        if i not in cartera and name in targets:  # an unused column that happens to bear a Cartera name
            name = f"{h}_unused"
        out.append(name)
    return tuple(out)


def raw_csv_header(path: Path, fmt: CsvFormat) -> tuple[str, ...]:
    """The CSV's column names as written (for messages and for matching)."""
    with open(path, "rb") as f:
        sample = f.read(1 << 20)
    text = codecs.decode(sample.removeprefix(codecs.BOM_UTF8), fmt.encoding, errors="replace")
    first = text.splitlines()[0] if text.splitlines() else ""
    return tuple(h.strip() for h in next(csv.reader(io.StringIO(first), delimiter=fmt.delimiter), []))


def sources_of_file(file_name: str, mapping: LandingMapping) -> list[str]:
    """The source a landing file belongs to: the one whose cartera.yml `files` patterns match it, else the one
    it is named after (`orders.csv`, `orders_2026-11.xlsx`, `ORDERS-nov.parquet`, but not `order_lines.csv`)."""
    claimed = mapping.claimed_by(file_name)
    if len(claimed) > 1:
        raise MappingError(f"{MAPPING_FILE}: file {file_name!r} matches the files patterns of {' and '.join(claimed)}")
    if claimed:
        return claimed
    stem = os.path.splitext(file_name)[0]
    return [s for s in SOURCES if re.match(rf"^{re.escape(s)}([_\-. ].*)?$", stem, re.IGNORECASE)][:1]


def date_text_expr(expr: str, date_order: str) -> str:
    """SQL turning a month-first (mdy) or year-first (ymd) date text into ISO before the usual date rules
    (which read day first); a value that does not fit stays as it was, so its rejection shows it unchanged."""
    if date_order == "mdy":
        iso = f"regexp_replace({expr}, '^(\\d{{1,2}})[/.-](\\d{{1,2}})[/.-](\\d{{4}})', '\\3-\\1-\\2')"
    elif date_order == "ymd":
        iso = f"regexp_replace({expr}, '^(\\d{{4}})[/.-](\\d{{1,2}})[/.-](\\d{{1,2}})', '\\1-\\2-\\3')"
    else:
        return expr
    return f"CASE WHEN TRY_CAST({iso} AS TIMESTAMP) IS NOT NULL THEN {iso} ELSE {expr} END"
