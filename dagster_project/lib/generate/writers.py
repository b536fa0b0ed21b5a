"""Atomic CSV writer and numpy -> Arrow column helpers."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv


class CsvFile:
    """Streams Arrow columns to ``path`` via a temp file; renamed into place on commit."""

    def __init__(self, path: Path, columns: list[str]):
        self.path, self.columns, self.rows = path, columns, 0
        self.tmp = path.with_name(f".{path.name}.tmp")
        self._fh = open(self.tmp, "wb")
        self._fh.write((",".join(columns) + "\n").encode())
        self._writer: pacsv.CSVWriter | None = None

    def write(self, arrays: list[pa.Array]) -> None:
        batch = pa.record_batch(arrays, names=self.columns)
        if self._writer is None:
            options = pacsv.WriteOptions(include_header=False, quoting_style="none")
            self._writer = pacsv.CSVWriter(self._fh, batch.schema, write_options=options)
        self._writer.write_batch(batch)
        self.rows += batch.num_rows

    def commit(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._fh.close()
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        if not self._fh.closed:
            self._fh.close()
        if self.tmp.exists():
            self.tmp.unlink()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            self.commit()
        self.discard()


def dates(days: np.ndarray) -> pa.Array:
    return pa.array(days.astype(np.int32), type=pa.date32())


def decimals(cents: np.ndarray) -> pa.Array:
    """int64 cents -> decimal128(18, 2) without going through Python objects."""
    c = np.ascontiguousarray(cents, dtype=np.int64)
    limbs = np.empty((len(c), 2), dtype=np.int64)
    limbs[:, 0] = c
    limbs[:, 1] = c >> 63  # sign extension of the high 64 bits
    return pa.Array.from_buffers(pa.decimal128(18, 2), len(c), [None, pa.py_buffer(limbs)])


def iso_timestamps(secs: np.ndarray) -> pa.Array:
    """Epoch seconds -> ISO 8601 text 'YYYY-MM-DDTHH:MM:SS'."""
    return pa.array(np.datetime_as_string(secs.astype("datetime64[s]"), unit="s"), type=pa.string())


def take_labels(labels: Sequence[str], codes: np.ndarray) -> pa.Array:
    return pa.array(labels, type=pa.string()).take(pa.array(np.asarray(codes, dtype=np.int32)))


def take_ids(ids: pa.Array, local_idx: np.ndarray) -> pa.Array:
    return ids.take(pa.array(local_idx.astype(np.int32)))
