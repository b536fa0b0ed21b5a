"""Where each record of a CSV file starts, so a quarantined row can be named by its line number.

DuckDB reads a CSV in file order but does not say on which line a record began. For the usual clean file
(one record per line, no blank lines) that is simply record + 1. Otherwise one pass with Python's csv
reader finds the start line of every record DuckDB returned (it skips blank lines and structurally broken
lines). DuckDB's own `line` for a broken line counts records, not lines (wrong after a quoted multi-line
field), so broken lines are placed from their byte position instead.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

csv.field_size_limit(sys.maxsize)


def count_lines(path: str | Path) -> int:
    """Number of lines in the file (a last line without a trailing newline counts)."""
    n, last = 0, b"\n"
    with open(path, "rb") as f:
        while chunk := f.read(16 << 20):
            n += chunk.count(b"\n")
            last = chunk[-1:]
    return n + (last != b"\n")


def record_start_lines(path: str | Path, delimiter: str, skip_lines: set[int]) -> np.ndarray:
    """Start line (1-based) of each data record DuckDB would return from a UTF-8 file, in order.

    `skip_lines` are lines DuckDB rejected as structurally broken; blank lines are skipped like DuckDB does.
    """
    starts: list[int] = []
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        reader = csv.reader(f, delimiter=delimiter)
        next(reader, None)  # header
        prev_end = reader.line_num
        for row in reader:
            start = prev_end + 1
            prev_end = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()) or start in skip_lines:
                continue
            starts.append(start)
    return np.asarray(starts, dtype=np.int64)


def lines_at_byte_positions(path: str | Path, positions: list[int]) -> list[int]:
    """Line (1-based) holding each of DuckDB's 1-based `line_byte_position`s of rejected lines (UTF-8 file).

    With CRLF endings DuckDB points at the '\\n' ending the previous line rather than at the line's first
    byte: the newlines among the first `position` bytes, plus one, give the line in both cases.
    """
    wanted = sorted(set(positions))
    found: dict[int, int] = {}
    newlines, offset, i = 0, 0, 0
    with open(path, "rb") as f:
        while i < len(wanted) and (chunk := f.read(16 << 20)):
            while i < len(wanted) and wanted[i] <= offset + len(chunk):
                found[wanted[i]] = newlines + chunk.count(b"\n", 0, wanted[i] - offset) + 1
                i += 1
            newlines += chunk.count(b"\n")
            offset += len(chunk)
    return [found.get(p, newlines + 1) for p in positions]
