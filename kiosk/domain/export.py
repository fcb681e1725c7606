"""The visits export (GET /api/v1/stats.csv): one row per visit of a window, written in chunks.

A year of a busy site is some 200,000 rows, so the export is never built in memory: each
chunk of EXPORT_CHUNK_ROWS rows is read after the previous one's last (arrival, id) and
turned into CSV text at once, and the answer streams chunk by chunk. Hosts are named
by name; only names can be someone's typing, so only names are made spreadsheet-safe
(and only when some host's name needs it). No customer data: no names, contacts, notes or topics.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_COLUMNS = (
    "visit_id", "arrived_at", "status", "host", "assignment_reason", "acknowledged_by", "acknowledged_at",
    "acknowledge_seconds", "greeted_by", "greeted_at", "greet_seconds", "completed_at", "abandoned_at",
    "escalated_at", "escalation_reason", "feedback", "complete_seconds", "alert_delivered_at", "alert_delivery_ms",
)
NAME_COLUMNS = ("host", "acknowledged_by", "greeted_by")  # hosts' names: the only text someone typed
EXPORT_CHUNK_ROWS = 20_000


def spreadsheet_safe(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: list[tuple], host_names: list[str], *, header: bool) -> str:
    """Rows in EXPORT_COLUMNS order as CSV text. Rows go to the csv module as they are, unless
    one of the site's host names (`host_names`) would start a formula."""
    text = io.StringIO()
    writer = csv.writer(text)
    if header:
        writer.writerow(EXPORT_COLUMNS)
    if any(spreadsheet_safe(name) != name for name in host_names):
        name_at = [EXPORT_COLUMNS.index(column) for column in NAME_COLUMNS]
        rows = [[spreadsheet_safe(value) if index in name_at else value for index, value in enumerate(row)]
                for row in rows]
    writer.writerows(rows)
    return text.getvalue()


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
    """One chunk of the export from the store (see export_chunks)."""
    rows = store.export_chunk(site_id, *window, after=after, limit=EXPORT_CHUNK_ROWS)
    text = csv_text(rows, store.host_names(site_id), header=header)
    if len(rows) < EXPORT_CHUNK_ROWS:
        return text, None
    return text, (rows[-1][EXPORT_COLUMNS.index("arrived_at")], rows[-1][0])
