"""Nothing lost: kill -9 the server under a steady stream of check-ins, restart, count."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
import requests

from tests.support.live_server import LiveServer
from tests.support.polling import wait_until

pytestmark = pytest.mark.both_async_modes  # production modes alike (README: eventlet or gevent)

STREAM_SECONDS = 20  # upper bound for the whole stream, crash and recovery included


class KioskStream:
    """A kiosk checking customers in one after another, retrying each with the same
    client_id until it gets a 2xx, as the real kiosk's offline queue does."""

    def __init__(self, server: LiveServer):
        self.server = server
        self.confirmed: list[str] = []  # client_ids that got a 2xx, in order
        self.failures = 0
        self.stop = threading.Event()

    def run(self, count: int) -> None:
        deadline = time.monotonic() + STREAM_SECONDS
        for n in range(count):
            client_id = f"crash-{n:04d}"
            while not self.stop.is_set() and time.monotonic() < deadline:
                try:
                    response = self.server.check_in(f"Guest {n}", client_id=client_id)
                except requests.ConnectionError:
                    self.failures += 1
                    self.stop.wait(0.02)  # back off while the server is down, like the kiosk
                    continue
                assert response.status_code in (200, 201), response.text
                self.confirmed.append(client_id)
                break


def test_kill_9_under_load_loses_and_duplicates_nothing(tmp_path, async_mode):
    server = LiveServer(tmp_path, "kiosk_checkins_per_minute = 100000\n", async_mode=async_mode)
    server.start()
    stream = KioskStream(server)
    worker = threading.Thread(target=stream.run, args=(150,))
    worker.start()
    try:
        wait_until(lambda: len(stream.confirmed) >= 40 or not worker.is_alive(), timeout=STREAM_SECONDS,
                   message="40 check-ins confirmed before the crash", interval=0.01)
        confirmed_before_crash = len(stream.confirmed)
        server.process.kill()  # SIGKILL: no cleanup, no flush
        server.process.wait()
        server.start()
        worker.join(STREAM_SECONDS + 5)
    finally:
        stream.stop.set()
        worker.join()
        server.stop()

    assert confirmed_before_crash >= 40 and stream.failures > 0, "the crash did not hit the stream"
    assert len(stream.confirmed) == 150
    with sqlite3.connect(server.db_path) as db:
        stored = [row[0] for row in db.execute("SELECT client_id FROM visits ORDER BY id")]
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    lost = set(stream.confirmed) - set(stored)
    duplicated = len(stored) - len(set(stored))
    assert (len(lost), duplicated) == (0, 0)
    assert sorted(stored) == sorted(stream.confirmed)
