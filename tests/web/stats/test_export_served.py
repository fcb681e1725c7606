"""The CSV export through a real `gastgeber serve` (eventlet, its reading process): the parts of a
window of 45,000 visits, read two at once in the reading process, arrive whole and in order,
the same bytes as the export made here part by part."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from kiosk.clock import SystemClock
from kiosk.domain.export import EXPORT_CHUNK_ROWS, export_bounds, export_part, export_ranges
from kiosk.domain.stats import parse_window
from kiosk.store import Store

VISITS = 45_000  # three parts


def test_a_window_of_several_parts_arrives_whole_and_in_order(live_server):
    assert live_server.check_in("Maria Lopez").status_code in (200, 201)
    store = Store(live_server.db_path)
    try:
        with store.transaction():
            store.db.execute(
                """WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                   INSERT INTO visits (site_id, kiosk_id, client_id, customer_id, host_id, status, arrived_at,
                                       acknowledged_at, acknowledged_by)
                   SELECT v.site_id, v.kiosk_id, 'bulk-' || i, v.customer_id, v.host_id, 'acknowledged',
                          strftime('%Y-%m-%dT%H:%M:%S', '2026-01-01', '+' || (i / 2) || ' seconds') || '.000Z',
                          strftime('%Y-%m-%dT%H:%M:%f', '2026-01-01', '+' || (i / 2 + i % 7 * 0.123) || ' seconds')
                              || 'Z', v.host_id
                   FROM n, (SELECT * FROM visits ORDER BY id LIMIT 1) v""", (VISITS,))
        window = parse_window("2025-12-31", "2026-02-01", SystemClock().now(), ZoneInfo("Europe/Berlin"))
        ranges = export_ranges(export_bounds(store, 1, window))
        here = b"".join(export_part(store, 1, window, *bounds) for bounds in ranges)
    finally:
        store.close()
    assert len(ranges) == VISITS // EXPORT_CHUNK_ROWS + 1
    served = live_server.call("GET", "/stats.csv?from=2025-12-31&to=2026-02-01", live_server.manager["token"])
    assert served.status_code == 200
    assert served.content == here
    ids = [int(line.split(b",", 1)[0]) for line in here.splitlines()[1:]]
    assert len(ids) == VISITS and len(set(ids)) == VISITS
