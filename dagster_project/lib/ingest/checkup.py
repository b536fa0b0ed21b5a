"""Look at a landing folder the way a run would, without touching the warehouse (`cartera check`).

Every file is ingested with the real rules into a throw-away DuckDB file, so what is reported (rows read,
loadable and rejected, the reasons, a refusal) is exactly what `cartera run` would do. Around that: the
detected format of each file, the date format its values use, the column mapping it gets, a ready-to-edit
cartera.yml when required columns are missing, and the files no source claims (with a guess from their header).
"""

from __future__ import annotations

import ast
import csv
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import duckdb
from duckdb import DuckDBPyConnection

from .landing import EXTENSIONS, landing_files
from .loader import FileResult, ingest_source
from .mapping import MAPPING_FILE, LandingMapping, Resolution, SourceMapping, load_mapping, resolve_header
from .sniff import BadFileError, normalise_header
from .sources import DATE, SOURCES, TIMESTAMP, Source
from .synonyms import SYNONYMS, header_key
from .xlsx import OLD_EXCEL, XLSX_EXTENSIONS, find_header, header_test, open_sheet

T = TypeVar("T")

SAMPLE_ROWS = 1000


@dataclass
class FileCheck:
    source: str
    file: str
    claimed_by: str  # 'name' or 'cartera.yml'
    result: FileResult | None = None
    format: dict[str, str] = field(default_factory=dict)  # encoding, separator, decimal / sheet, header row
    date_format: str = ""
    resolution: Resolution | None = None
    problem: str = ""  # why the header could not be resolved (ambiguous ...)
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # first rejected rows: line, reason, record
    rejected_total: int = 0


@dataclass
class SourceCheck:
    source: Source
    files: list[FileCheck]

    @property
    def loadable_rows(self) -> int:
        return sum(f.result.rows_loaded for f in self.files if f.result)

    @property
    def unusable(self) -> bool:
        return self.loadable_rows == 0


@dataclass
class LandingCheck:
    landing: Path
    mapping: LandingMapping
    sources: list[SourceCheck]
    unclaimed: list[tuple[str, str]]  # (file, the source its header looks like, or '')

    @property
    def unusable_required(self) -> list[str]:
        return [s.source.name for s in self.sources if s.source.required and s.unusable]


def check_landing(landing: Path, max_date: date, first_rejected: int = 5) -> LandingCheck:
    """Inspect `landing` (raises MappingError for a bad cartera.yml, FileNotFoundError without a folder)."""
    if not landing.is_dir():
        raise FileNotFoundError(f"no landing folder at {landing}")
    mapping = load_mapping(landing)
    checks = []
    with tempfile.TemporaryDirectory(prefix="cartera-check-") as tmp:
        con = duckdb.connect(str(Path(tmp) / "check.duckdb"))
        try:
            for source in SOURCES.values():
                results = {f.file: f for f in ingest_source(con, landing, source, max_date=max_date).files}
                files = [
                    _file_check(con, landing, mapping, source, p, results.get(p.name), first_rejected)
                    for p in landing_files(landing, source)
                ]
                checks.append(SourceCheck(source, files))
        finally:
            con.close()
    claimed = {f.file for s in checks for f in s.files}
    unclaimed = [
        (p.name, guess_source(p, mapping))
        for p in sorted(landing.iterdir())
        if p.is_file() and p.suffix.lower() in EXTENSIONS and p.name not in claimed
    ]
    return LandingCheck(landing, mapping, checks, unclaimed)


def _file_check(
    con: DuckDBPyConnection,
    landing: Path,
    mapping: LandingMapping,
    source: Source,
    path: Path,
    result: FileResult | None,
    first_rejected: int,
) -> FileCheck:
    m = mapping.source(source.name)
    fc = FileCheck(source.name, path.name, "cartera.yml" if mapping.claimed_by(path.name) else "name", result)
    try:
        header, names, sample, fc.format = read_sample(path, source, m, result)
        fc.resolution = resolution = resolve_header(path.name, source, header, m, names, strict=False)
    except BadFileError as e:
        fc.problem = str(e)
        return fc
    except Exception as e:  # unreadable in some other way: the ingest result says how
        fc.problem = f"{path.name}: {e}"
        return fc
    dates = [c.name for c in source.columns if c.kind in (DATE, TIMESTAMP) and c.name in resolution.matched]
    if dates:
        i = resolution.header.index(resolution.matched[dates[0]][0])
        fc.date_format = date_format([r[i] for r in sample if i < len(r)], m.date_order)
    fc.rejected = con.execute(
        "SELECT line, reason, record FROM raw.rejected_rows WHERE source = ? AND file = ? ORDER BY line LIMIT ?",
        [source.name, path.name, first_rejected],
    ).fetchall()
    fc.rejected_total = result.rows_rejected if result else 0
    return fc


def read_sample(
    path: Path, source: Source, m: SourceMapping, result: FileResult | None = None
) -> tuple[list[str], list[str], list[list], dict[str, str]]:
    """(header as written, header as the reader names it, first rows as values, format facts) of one file."""
    suffix = path.suffix.lower()
    if suffix in XLSX_EXTENSIONS + OLD_EXCEL:
        wb, ws = open_sheet(path, m.sheet)
        try:
            first, rows = find_header(_raw_rows(ws), header_test(source, m))
            if first is None:
                raise BadFileError(f"{path.name}: sheet {ws.title!r} is empty")
            header = [
                str(c).strip() if c is not None and str(c).strip() else f"_unnamed_{i}" for i, c in enumerate(first[1])
            ]
            sample = [r for _, r in _take(rows, SAMPLE_ROWS)]
            fmt = {"kind": "xlsx", "sheet": ws.title, "header row": str(first[0]), "decimal": m.decimal or "."}
        finally:
            wb.close()
        return header, [normalise_header(h) or h for h in header], sample, fmt
    if suffix == ".parquet":
        con = duckdb.connect()
        try:
            rel = con.execute("SELECT * FROM read_parquet(?) LIMIT ?", [str(path), SAMPLE_ROWS])
            header = [d[0] for d in rel.description or []]
            sample = [list(r) for r in rel.fetchall()]
        finally:
            con.close()
        return header, [normalise_header(h) for h in header], sample, {"kind": "parquet"}
    encoding, sep, decimal = csv_format(path, m, result)
    with open(path, encoding=encoding, errors="replace", newline="") as f:
        reader = (r for r in csv.reader(f, delimiter=sep) if any(v.strip() for v in r))  # blank lines skipped
        header = [h.strip().lstrip("\ufeff") for h in next(reader, [])]
        sample = list(_take(reader, SAMPLE_ROWS))
    shown = {"\t": "tab", ",": "','", ";": "';'", "|": "'|'"}.get(sep, repr(sep))
    facts = {"kind": "csv", "encoding": encoding, "separator": shown, "decimal": repr(decimal)}
    return header, [normalise_header(h) for h in header], sample, facts


_CSV_DESC = re.compile(r"csv, (?P<enc>[^,]+), separator (?P<sep>'[^']*'|\"[^\"]*\"), decimal '(?P<dec>[.,])'")


def csv_format(path: Path, m: SourceMapping, result: FileResult | None) -> tuple[str, str, str]:
    """(encoding, separator, decimal mark) the loader used, from its description of the file; for a file it
    refused, as cartera.yml declares them or as the header line suggests."""
    if result is not None and (d := _CSV_DESC.match(result.format or "")):
        return d["enc"], ast.literal_eval(d["sep"]), d["dec"]
    head = path.read_bytes()[: 1 << 20]
    encoding = m.encoding or ("utf-8" if _is_utf8(head) else "cp1252")
    first = next((ln for ln in head.decode(encoding, errors="replace").splitlines() if ln.strip()), "")
    sep = m.delimiter or max((",", ";", "\t", "|"), key=first.count)
    return encoding, sep, m.decimal or ("," if sep == ";" else ".")


def _is_utf8(head: bytes) -> bool:
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as e:
        return e.start > len(head) - 4  # a character cut at the sample's end


def _take(it: Iterable[T], n: int) -> Iterator[T]:
    for i, x in enumerate(it):
        if i >= n:
            return
        yield x


def _raw_rows(ws: Any) -> Iterator[tuple[int, list[Any]]]:
    for n, cells in enumerate(ws.iter_rows(values_only=True), start=1):
        values = list(cells)
        if any(v is not None and str(v).strip() for v in values):
            yield n, values


_DMY = re.compile(r"^\s*(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})(\s|T|$)")
_ISO = re.compile(r"^\s*\d{4}-\d{1,2}-\d{1,2}(\s|T|$)")
_COMPACT = re.compile(r"^\s*(19|20)\d{6}\s*$")


def date_format(values: list, date_order: str = "dmy") -> str:
    """In words, how a column's dates are written, judged from a sample (what `cartera check` shows)."""
    kinds: dict[str, int] = {}
    first_gt12 = second_gt12 = 0
    for v in values:
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        if isinstance(v, datetime | date):
            kind = "Excel date cells"
        elif _ISO.match(str(v)):
            kind = "ISO (yyyy-mm-dd)"
        elif m := _DMY.match(str(v)):
            kind = f"nn{m.group(2)}nn{m.group(2)}{'yyyy' if len(m.group(4)) == 4 else 'yy'}"
            first_gt12 += int(m.group(1)) > 12
            second_gt12 += int(m.group(3)) > 12
        elif _COMPACT.match(str(v)):
            kind = "compact (yyyymmdd)"
        else:
            kind = "other"
        kinds[kind] = kinds.get(kind, 0) + 1
    if not kinds:
        return "no values"
    words = []
    for kind, n in sorted(kinds.items(), key=lambda kv: -kv[1]):
        if kind.startswith("nn"):
            sep, year = kind[2], kind.split(kind[2])[-1]
            if second_gt12 and not first_gt12:
                kind = f"month first (mm{sep}dd{sep}{year})"
            elif first_gt12 and not second_gt12:
                kind = f"day first (dd{sep}mm{sep}{year})"
            elif first_gt12 and second_gt12:
                kind = f"mixed day-first and month-first ({sep}-separated)"
            else:
                kind = f"{'month' if date_order == 'mdy' else 'day'} first (dd and mm both ≤ 12 in the sample)"
        words.append(kind if len(kinds) == 1 else f"{kind} ×{n}")
    text = ", ".join(words)
    if second_gt12 and not first_gt12 and date_order != "mdy":
        text += f" — set date_order: mdy in {MAPPING_FILE}"
    if first_gt12 and not second_gt12 and date_order == "mdy":
        text += f" — but {MAPPING_FILE} says date_order: mdy"
    return text


def guess_source(path: Path, mapping: LandingMapping) -> str:
    """The source most of a file's columns could belong to (at least two, counting ambiguous ones), or ''."""
    best, best_n = "", 1
    for source in SOURCES.values():
        m = mapping.source(source.name)
        try:
            header = read_sample(path, source, m)[0]
        except Exception:
            return ""
        names = {c.name: {header_key(c.name), header_key(c.file_header)} for c in source.columns}
        for col, words in SYNONYMS[source.name].items():
            names[col] |= {header_key(w) for w in words}
        keys = {header_key(h) for h in header} | {k for k, t in m.columns.items() if t != "ignore"}
        n = sum(bool(keys & ks) for ks in names.values())
        if n > best_n:
            best, best_n = source.name, n
    return best


def suggested_mapping(check: LandingCheck) -> str:
    """A ready-to-edit cartera.yml for the sources whose files miss required columns (empty when none do)."""
    out: list[str] = []
    for s in check.sources:
        resolved = [f.resolution for f in s.files if f.resolution]
        broken = [r for r in resolved if r.missing(s.source) or r.ambiguous]
        if not broken:
            continue
        m = check.mapping.source(s.source.name)
        out.append(f"{s.source.name}:")
        if m.files:
            out.append(f"  files: [{', '.join(_q(p) for p in m.files)}]")
        for key in ("sheet", "date_order", "decimal", "encoding", "delimiter"):
            value = getattr(m, key)
            if value is not None and not (key == "date_order" and value == "dmy"):
                out.append(f"  {key}: {_q(value)}")
        out.append("  columns:")
        missing = [
            c.file_header
            for c in s.source.columns
            if any(c.file_header in r.missing(s.source) or c.name in r.ambiguous for r in broken)
        ]
        out.append(f"    # to say: {', '.join(missing)}. Write each against the export column that holds it,")
        out.append("    # in place of `ignore`; columns already matched are listed as they are.")
        seen: set[str] = set()
        for r in broken:
            by_export = {e: c for c, (e, _) in r.matched.items()}
            maybe = {e: c for c, es in r.ambiguous.items() for e in es}
            for h in r.header:
                if h in seen or h.startswith("_unnamed_"):
                    continue
                seen.add(h)
                target = by_export.get(h)
                line = f"    {_q(h)}: {s.source.column(target).file_header if target else 'ignore'}"
                out.append(line + (f"   # {maybe[h]}? (one of {len(r.ambiguous[maybe[h]])})" if h in maybe else ""))
    return "\n".join(out) + ("\n" if out else "")


def _q(value: str) -> str:
    """A YAML scalar: quoted when plain YAML would misread it."""
    text = str(value)
    if re.fullmatch(r"[A-Za-z0-9_ ÁÉÍÓÚÜÑáéíóúüñºª.\-]+", text) and not text[0].isdigit() and text.strip() == text:
        return text
    return "'" + "''".join(text.split("'")) + "'"  # YAML's single-quoted scalar (not SQL)


def render(check: LandingCheck) -> str:
    """The report `cartera check` prints."""
    lines = [
        f"Landing folder {check.landing}"
        + (f" (mapping: {check.mapping.path.name})" if check.mapping.path else f" (no {MAPPING_FILE})"),
        "",
    ]
    for s in check.sources:
        need = "required" if s.source.required else "optional"
        if not s.files:
            lines += [f"{s.source.name} ({need}): no file", ""]
            continue
        lines.append(f"{s.source.name} ({need}): {len(s.files)} file(s), {s.loadable_rows:,} rows would load")
        for f in s.files:
            lines += _render_file(s.source, f)
        lines.append("")
    if check.unclaimed:
        lines.append("Files no source claims (named after none, matched by no files pattern):")
        for name, guess in check.unclaimed:
            hint = f"its columns look like {guess}: add `files: [{_q(name)}]` under {guess} in {MAPPING_FILE}"
            lines.append(f"  {name}: " + (hint if guess else "not recognised"))
        lines.append("")
    yml = suggested_mapping(check)
    if yml:
        lines.append(f"A {MAPPING_FILE} to start from (save it in the landing folder, then edit):")
        lines += ["  " + line for line in yml.splitlines()]
        lines.append("")
    files = [f for s in check.sources for f in s.files]
    refused = sum(1 for f in files if f.result is not None and f.result.status == "refused")
    rejected = sum(f.result.rows_rejected for f in files if f.result is not None and f.result.status != "refused")
    summary = f"{len(files)} file(s), {refused} refused, {rejected:,} row(s) rejected"
    bad = check.unusable_required
    lines.append(
        f"NOT USABLE: required source(s) {', '.join(bad)} would load no rows ({summary})"
        if bad
        else f"OK: a run can load this ({summary})"
    )
    return "\n".join(lines)


def _render_file(source: Source, f: FileCheck) -> list[str]:
    r = f.result
    out = [f"  {f.file}  (by {f.claimed_by})"]
    if f.format:
        out.append("    format:   " + ", ".join(f"{k} {v}" if k != "kind" else v for k, v in f.format.items()))
    if f.date_format:
        out.append(f"    dates:    {f.date_format}")
    if r is not None:
        if r.status == "refused":
            out.append(f"    REFUSED:  {r.reason}")
        else:
            out.append(
                f"    rows:     {r.rows_read:,} read = {r.rows_loaded:,} loadable + {r.rows_rejected:,} rejected"
            )
    elif f.problem:
        out.append(f"    REFUSED:  {f.problem}")
    if f.resolution:
        width = max(len(c.file_header) for c in source.columns)
        out.append("    columns:")
        for c in source.columns:
            got = f.resolution.matched.get(c.name)
            need = " (required)" if c.required else ""
            amb = f.resolution.ambiguous.get(c.name)
            shown = f"← {got[0]!r} ({got[1]})" if got else f"— not in the export{need}"
            if amb:
                shown = f"? {' or '.join(repr(e) for e in amb)}: ambiguous, say which in {MAPPING_FILE}{need}"
            out.append(f"      {c.file_header:<{width}} {shown}")
        maybe = {e for es in f.resolution.ambiguous.values() for e in es}
        unused = [h for h in f.resolution.unused if not h.startswith("_unnamed_") and h not in maybe]
        if unused:
            out.append(f"      ignored: {', '.join(repr(h) for h in unused)}")
    if f.rejected:
        out.append(f"    rejected rows (first {len(f.rejected)} of {f.rejected_total:,}):")
        for line, reason, record in f.rejected:
            where = f"row {line}" if Path(f.file).suffix.lower() in XLSX_EXTENSIONS else f"line {line}"
            out.append(f"      {where}: {reason}  [{record}]")
    return out
