"""Seeded random streams and vectorised categorical draws."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .model import Context

# one independent stream per purpose, seeded from (seed, stream, chunk)
S_CONTACTS, S_CUSTOMER, S_ORDERS, S_ORDER_EXTRA, S_LINES = 0, 1, 2, 3, 4
S_PROFILE, S_INTERACTIONS, S_ACTIONS, S_PROSPECTS, S_SURVEYS = 5, 6, 7, 8, 9


def stream_rng(ctx: Context, stream: int, chunk: int = 0) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([ctx.seed, stream, chunk]))


def choice(rng: np.random.Generator, p: Sequence[float] | np.ndarray, size: int) -> np.ndarray:
    """Categorical draw (int8 codes) from probabilities ``p``."""
    cdf = np.cumsum(np.asarray(p, dtype=np.float64))
    return np.searchsorted(cdf / cdf[-1], rng.random(size), side="right").astype(np.int8)


def choice_rows(rng: np.random.Generator, matrix: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Categorical draw per element, from the row ``rows[i]`` of a probability matrix."""
    cdf = np.cumsum(matrix, axis=1)
    cdf = cdf / cdf[:, -1:]
    k = matrix.shape[1]
    flat = (cdf + np.arange(matrix.shape[0])[:, None]).ravel()
    u = rng.random(len(rows)) + rows
    idx = np.searchsorted(flat, u, side="right") - rows.astype(np.int64) * k
    return np.minimum(idx, k - 1).astype(np.int16)
