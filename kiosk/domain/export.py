"""The visits export (GET /api/v1/stats.csv): one row per visit of a window, written in chunks.

A year of a busy site is some 200,000 rows, so the export is never built in memory: each
chunk of EXPORT_CHUNK_ROWS rows is read after the previous one's last (arrival, id) and
turned into CSV text at once by SQLite itself (store/stats.py, export_lines: one text per row,
quoted as the csv module quotes), and the answer streams chunk by chunk. Hosts are named
by name; only names can be someone's typing, so only names are made spreadsheet-safe: one
starting with FORMULA_STARTS gets a leading apostrophe. No customer data: no names, contacts, notes or topics.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_COLUMNS = (
    "visit_id", "arrived_at", "status", "host", "assignment_reason", "acknowledged_by", "acknowledged_at",
    "acknowledge_seconds", "greeted_by", "greeted_at", "greet_seconds", "completed_at", "abandoned_at",
    "escalated_at", "escalation_reason", "feedback", "complete_seconds", "alert_delivered_at", "alert_delivery_ms",
)
NAME_COLUMNS = ("host", "acknowledged_by", "greeted_by")  # hosts' names: the only text someone typed
EXPORT_HEADER = ",".join(EXPORT_COLUMNS) + "\r\n"  # as the csv module writes it: no column needs quotes
EXPORT_CHUNK_ROWS = 20_000


def export_chunks(read_chunk: Callable[[tuple | None, bool], tuple[str, tuple | None]]) -> Iterator[str]:
    """The export's text chunk by chunk: `read_chunk(after, header)` answers a chunk's text and
    the (arrived_at, id) of its last row, or None once there are no more rows."""
    after, header = None, True
    while True:
        text, after = read_chunk(after, header)
        if text:
            yield text
        if after is None:
            return
        header = False


def export_chunk(store, site_id: int, window: tuple[str, str], after: tuple | None,
                 header: bool) -> tuple[str, tuple | None]:
    """One chunk of the export from the store (see export_chunks), its CSV text written by SQLite."""
    text, rows, last = store.export_lines(site_id, *window, after=after, limit=EXPORT_CHUNK_ROWS)
    if header:
        text = EXPORT_HEADER + text
    return text, (last if rows == EXPORT_CHUNK_ROWS else None)
