"""Durations as histograms of whole units (seconds, milliseconds): {value: count}.

A day's p50 cannot be combined with another day's p50 into the p50 of both days; their
histograms can. Rounding each duration to the unit is monotone, so the k-th smallest
rounded value is the rounding of the k-th smallest value: the nearest-rank percentile of
a merged histogram is the exact percentile of all the days' durations, rounded to the unit
(whole seconds is what the head office's page shows anyway).
"""

from __future__ import annotations

import numpy as np

from kiosk.domain.stats import nearest_rank


def of_millis(millis: np.ndarray, unit_ms: int) -> list[list[int]]:
    """[[value, count], …] ascending, each duration rounded half up to `unit_ms` (negative: 0)."""
    if not len(millis):
        return []
    values, counts = np.unique((np.maximum(millis, 0) + unit_ms // 2) // unit_ms, return_counts=True)
    return [[int(value), int(count)] for value, count in zip(values, counts)]


def encode(pairs: list[list[int]]) -> str:
    """As stored: "value:count,value:count" (empty for none)."""
    return ",".join(f"{value}:{count}" for value, count in pairs)


def merged(encoded: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Several stored histograms as one: ascending values and their counts."""
    joined = ",".join(text for text in encoded if text)
    if not joined:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    pairs = np.array([int(part) for part in joined.replace(":", ",").split(",")], dtype=np.int64).reshape(-1, 2)
    values, inverse = np.unique(pairs[:, 0], return_inverse=True)
    return values, np.bincount(inverse, weights=pairs[:, 1]).astype(np.int64)


def percentile(values: np.ndarray, counts: np.ndarray, percent: float) -> int | None:
    """The nearest-rank percentile of a histogram (None when it is empty)."""
    total = int(counts.sum())
    if not total:
        return None
    return int(values[int(np.searchsorted(np.cumsum(counts), nearest_rank(total, percent)))])


def spread(values: np.ndarray, counts: np.ndarray) -> dict:
    return {"p50": percentile(values, counts, 50), "p90": percentile(values, counts, 90)}
