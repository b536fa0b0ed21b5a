"""Environment variables set for a block of code (dbt reads its settings from them) and restored afterwards."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager


@contextmanager
def environment(values: Mapping[str, str], unset: Sequence[str] = ()) -> Iterator[None]:
    """Set `values` and remove `unset` from os.environ for the block; restore every one of them afterwards."""
    old = {k: os.environ.get(k) for k in [*values, *unset]}
    for k in unset:
        os.environ.pop(k, None)
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
