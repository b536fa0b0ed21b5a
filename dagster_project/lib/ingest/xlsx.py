"""Read an .xlsx export (the first sheet, or the one cartera.yml names) into the same text rows as a CSV.

The sheet is streamed with openpyxl in read-only mode. Every cell becomes the text a CSV export would hold,
with its sheet row number as the record number, so the parse and quarantine rules (and their reasons) are the
very ones CSV files get, and a rejected row is named by its row in the sheet. Typed cells keep their
exactness: a date cell becomes its ISO date (whatever the cell's display format), a number cell its shortest
exact decimal text in the file's decimal mark (129.9 stays 129.90, never 129.899999), a whole number under a
zero-padded format (`00000`) its padded text, as Excel shows it. Empty rows are skipped, as blank CSV lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from decimal import Decimal
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq
from duckdb import DuckDBPyConnection

from .sniff import BadFileError

if TYPE_CHECKING:
    from .mapping import SourceMapping
    from .scan import Scan
    from .sources import Source

HeaderTest = Callable[[list[str | None]], bool]  # whether a sheet row is the header row

XLSX_EXTENSIONS = (".xlsx", ".xlsm")
OLD_EXCEL = (".xls",)
BATCH_ROWS = 50_000
HEADER_SEARCH = 20  # rows looked at for the header (titles and notes above it are skipped)
_ZERO_PADDED = re.compile(r"^0+$")


def cell_text(value: object, number_format: str | None = None, decimal: str = ".") -> str | None:
    """The text of one typed cell as a CSV export would write it (None for an empty cell)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            text = format(Decimal(repr(value)), "f")  # shortest exact decimal, never an exponent
            return text.replace(".", ",") if decimal == "," else text
        text = str(int(value))
        if number_format and _ZERO_PADDED.match(number_format) and value >= 0:
            text = text.zfill(len(number_format))
        return text
    return str(value)


def open_sheet(path: Path, sheet: str | None) -> tuple[Any, Any]:
    """(workbook, worksheet) of the named sheet, or the first; a file that is not a workbook is refused."""
    import openpyxl

    if path.suffix.lower() in OLD_EXCEL:
        raise BadFileError(f"{path.name}: the old Excel format (.xls) is not read; save it as .xlsx or CSV")
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # zipfile.BadZipFile, InvalidFileException, KeyError on a broken package ...
        raise BadFileError(f"{path.name}: not a readable .xlsx workbook ({type(e).__name__}: {e})") from None
    if sheet is None:
        return wb, wb.worksheets[0]
    if sheet not in wb.sheetnames:
        wb.close()
        raise BadFileError(f"{path.name}: has no sheet named {sheet!r} (sheets: {', '.join(wb.sheetnames)})")
    return wb, wb[sheet]


def sheet_rows(ws: Any, decimal: str = ".") -> Iterator[tuple[int, list[str | None]]]:
    """(sheet row number, cell texts) of every non-empty row, in order."""
    for n, cells in enumerate(ws.iter_rows(), start=1):
        texts = [cell_text(c.value, getattr(c, "number_format", None), decimal) for c in cells]
        if any(t is not None and t.strip() for t in texts):
            row = next((c.row for c in cells if getattr(c, "row", None)), n)
            yield row, texts


def find_header(rows: Iterator[tuple[int, list]], is_header: HeaderTest) -> tuple[tuple[int, list] | None, Iterator]:
    """The header row and the rows after it. Exports often put a title and a blank line above the header:
    the header is the first of the first HEADER_SEARCH non-empty rows that `is_header` accepts (it names every
    required column), else the first non-empty row (whose missing columns the refusal then names)."""
    seen = list(islice(rows, HEADER_SEARCH))
    at = next((i for i, (_, cells) in enumerate(seen) if is_header(cells)), 0)
    if not seen:
        return None, iter(())
    return seen[at], chain(seen[at + 1 :], rows)


def read_sheet_to_parquet(
    path: Path, sheet: str | None, decimal: str, dest: Path, is_header: HeaderTest = lambda cells: True
) -> tuple[str, list[str], int, int]:
    """Write the sheet's data rows as text (column `_rec` = sheet row) to `dest`.

    Returns (sheet title, header as written, header row number, data rows). An empty header cell is named
    `_unnamed_<n>` like in a CSV, so its values are listed as ignored."""
    wb, ws = open_sheet(path, sheet)
    try:
        first, rows = find_header(sheet_rows(ws, decimal), is_header)
        if first is None:
            raise BadFileError(f"{path.name}: sheet {ws.title!r} is empty (no header, no rows)")
        header_row, cells = first
        width = len(cells)
        header = [c.strip() if c and c.strip() else f"_unnamed_{i}" for i, c in enumerate(cells)]
        names = ["_rec"] + [f"c{i}" for i in range(width)]
        schema = pa.schema([("_rec", pa.int64())] + [(n, pa.string()) for n in names[1:]])
        n_rows = 0
        with pq.ParquetWriter(dest, schema) as writer:
            batch: list[tuple[int, list]] = []
            for row, texts in rows:
                if len(texts) > width and any(t is not None for t in texts[width:]):
                    raise BadFileError(
                        f"{path.name}: row {row} of sheet {ws.title!r} has values right of the header's last "
                        "column (the workbook's recorded size is wrong: open and save it again)"
                    )
                batch.append((row, texts[:width] + [None] * (width - len(texts))))
                if len(batch) >= BATCH_ROWS:
                    writer.write_table(_table(batch, schema))
                    n_rows += len(batch)
                    batch = []
            if batch or n_rows == 0:
                writer.write_table(_table(batch, schema))
                n_rows += len(batch)
        return ws.title, header, header_row, n_rows
    finally:
        wb.close()


def _table(batch: list[tuple[int, list]], schema: pa.Schema) -> pa.Table:
    cols = [pa.array([r for r, _ in batch], pa.int64())]
    cols += [pa.array([t[i] for _, t in batch], pa.string()) for i in range(len(schema) - 1)]
    return pa.Table.from_arrays(cols, schema=schema)


def count_data_rows(path: Path, sheet: str | None, is_header: HeaderTest = lambda cells: True) -> int:
    """Non-empty rows after the header of a workbook's sheet (0 when it can't be read): the rows of a refused
    file, all counted as rejected."""
    try:
        wb, ws = open_sheet(path, sheet)
    except BadFileError:
        return 0
    try:
        _, rows = find_header(sheet_rows(ws), is_header)
        return sum(1 for _ in rows)
    finally:
        wb.close()


def header_test(source: Source, mapping: SourceMapping) -> HeaderTest:
    """is_header for a source: the row names every required column of it (through cartera.yml or synonyms)."""
    from .mapping import resolve_header

    def is_header(cells: list[str | None]) -> bool:
        names = [c.strip() if c else "" for c in cells]
        try:
            return not resolve_header("", source, names, mapping).missing(source)
        except BadFileError:  # ambiguous, but a header: the refusal will say so
            return True

    return is_header


def scan_xlsx(con: DuckDBPyConnection, path: Path, source: Source, mapping: SourceMapping, tmp: Path) -> Scan:
    """The `scan` view of a workbook's sheet (_line = sheet row), the shape scan.py gives CSV and Parquet."""
    from .header import resolve_columns
    from .scan import Scan, select_columns
    from .sniff import normalise_header
    from .text import sql_literal

    decimal = mapping.decimal or "."
    rows_file = tmp / "sheet.parquet"
    title, header, header_row, _ = read_sheet_to_parquet(
        path, mapping.sheet, decimal, rows_file, header_test(source, mapping)
    )
    normalised = [normalise_header(h) or f"_unnamed_{i}" for i, h in enumerate(header)]
    dupes = sorted({h for h in normalised if normalised.count(h) > 1})
    if dupes:
        raise BadFileError(f"{path.name}: column(s) {', '.join(dupes)} appear more than once in the header")
    cols = resolve_columns(path, source, [h or "" for h in header], mapping)
    select = select_columns(source, cols, lambda i, c: f"c{i}", mapping.date_order)
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW scan AS SELECT _rec AS _line, CAST(NULL AS VARCHAR) AS _record,
            CAST(NULL AS VARCHAR) AS _line_reason, {select} FROM read_parquet({sql_literal(str(rows_file))})"""
    )
    desc = f"xlsx, sheet {title!r}, header on row {header_row}, decimal {decimal!r}"
    return Scan(decimal, cols.ignored, desc, header_names=cols.written)
