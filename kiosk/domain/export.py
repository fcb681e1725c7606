"""The visits export (GET /api/v1/stats.csv): one row per visit of a window, written in chunks.

A year of a busy site is some 200,000 rows, so the export is never built in memory: the
window is cut into parts of EXPORT_CHUNK_ROWS rows by (arrival, id) first (export_bounds, one
pass over the index), then each part is turned into CSV text at once by SQLite itself
(store/stats.py, export_text: quoted as the csv module quotes), EXPORT_PARTS_AT_ONCE parts
at a time (SQLite's formatting of the numbers is what a part costs, and it runs without the
GIL), and the answer streams part by part, in order. Hosts are named
by name; only names can be someone's typing, so only names are made spreadsheet-safe: one
starting with FORMULA_STARTS gets a leading apostrophe. No customer data: no names, contacts, notes or topics.
"""

from __future__ import annotations

import itertools

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_COLUMNS = (
    "visit_id", "arrived_at", "status", "host", "assignment_reason", "acknowledged_by", "acknowledged_at",
    "acknowledge_seconds", "greeted_by", "greeted_at", "greet_seconds", "completed_at", "abandoned_at",
    "escalated_at", "escalation_reason", "feedback", "complete_seconds", "alert_delivered_at", "alert_delivery_ms",
)
NAME_COLUMNS = ("host", "acknowledged_by", "greeted_by")  # hosts' names: the only text someone typed
EXPORT_HEADER = ",".join(EXPORT_COLUMNS) + "\r\n"  # as the csv module writes it: no column needs quotes
EXPORT_CHUNK_ROWS = 20_000
EXPORT_PARTS_AT_ONCE = 2  # the next part is written while one is sent; more only crowd two cores


def export_bounds(store, site_id: int, window: tuple[str, str]) -> list[tuple[str, int]]:
    """Where the export's parts end (see export_ranges)."""
    return store.export_bounds(site_id, *window, every=EXPORT_CHUNK_ROWS)


def export_ranges(bounds: list[tuple[str, int]]) -> list[tuple[tuple | None, tuple | None]]:
    """The parts as (after, upto) of (arrived_at, id): together every row of the window once,
    whatever is written between the reads of two parts (each part is bounded on both sides)."""
    edges = [None, *bounds, None]
    return list(itertools.pairwise(edges))


def export_part(store, site_id: int, window: tuple[str, str], after: tuple | None, upto: tuple | None) -> bytes:
    """One part's CSV text in UTF-8, written by SQLite; the first part starts with the header."""
    text = store.export_text(site_id, *window, after=after, upto=upto)
    return EXPORT_HEADER.encode() + text if after is None else text
