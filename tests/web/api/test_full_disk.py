"""A database that cannot take a write (a full disk) answers 503 with Retry-After, so the
kiosk's queue retries; one clear log line, no traceback; nothing half-written."""

import logging

from kiosk.domain.errors import Unavailable


def fill_up(store) -> int:
    """SQLite's own full-disk condition: the file may not grow by one more page."""
    pages = store.db.conn.execute("PRAGMA page_count").fetchone()[0]
    store.db.conn.execute(f"PRAGMA max_page_count = {pages}")
    return pages


def test_a_check_in_on_a_full_disk_is_told_to_come_back_and_its_retry_is_stored_once(app, api, demo, caplog):
    store = app.extensions["gastgeber"].store
    fill_up(store)
    kiosk = demo["kiosk"]["token"]
    with caplog.at_level(logging.ERROR):
        for number in range(200):  # the pages in hand fill up within a few check-ins
            client_id = f"full-disk-{number}"
            refused = api.check_in(kiosk, name=f"Guest {number}", client_id=client_id)
            if refused.status_code != 201:
                break
    assert refused.status_code == 503, refused.get_data(as_text=True)
    assert refused.headers["Retry-After"] == "30"
    assert refused.get_json()["error"]["code"] == "unavailable"
    written = [record for record in caplog.records if "cannot write" in record.getMessage()]
    assert written and all(record.exc_info is None for record in written)
    store.db.conn.execute("PRAGMA max_page_count = 1073741823")
    again = api.check_in(kiosk, name="Guest retried", client_id=client_id)  # the kiosk's queue, later
    assert again.status_code == 201
    assert api.check_in(kiosk, name="Guest retried", client_id=client_id).status_code == 200
    assert store.db.conn.execute("SELECT COUNT(*) FROM visits WHERE client_id = ?", (client_id,)).fetchone()[0] == 1


def test_busy_bookkeeping_fails_no_request(app, demo, monkeypatch):
    """A kiosk's last contact is bookkeeping: a database too busy for it fails nothing."""
    services = app.extensions["gastgeber"]

    def busy(*_args, **_kwargs):
        raise Unavailable("busy")

    monkeypatch.setattr(services.store, "transaction", busy)
    assert services.store.touch_kiosk(demo["kiosk"]["id"], "2026-11-23T09:00:00.000Z") is False
