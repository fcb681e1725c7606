"""SIGTERM: the boards are told, what was answered is kept, and the server exits 0 (eventlet and gevent)."""

import signal
import sqlite3
import subprocess

import pytest

from tests.support.live_server import Board, LiveServer
from tests.support.paths import ROOT

pytestmark = pytest.mark.both_async_modes  # production modes alike (README: eventlet or gevent)


def test_sigterm_tells_the_boards_and_exits_cleanly(tmp_path, async_mode):
    server = LiveServer(tmp_path, async_mode=async_mode)
    server.start()
    board = Board(server.url, server.hosts[0]["token"])
    try:
        visit = server.check_in("Last Before Closing").json()["visit"]
        server.process.send_signal(signal.SIGTERM)
        assert "restarting" in board.next("server.shutdown")["message"]
        assert server.process.wait(timeout=20) == 0
    finally:
        board.close()
        server.stop()
    with sqlite3.connect(server.db_path) as db:
        assert db.execute("SELECT status FROM visits WHERE id = ?", (visit["id"],)).fetchone() == ("waiting",)
    assert "Gastgeber stopped" in server.log_path.read_text()


def test_while_draining_new_requests_are_told_to_come_back(app, api, demo):
    from kiosk.runtime.shutdown import Shutdown

    shutdown = Shutdown(app, app.extensions["socketio"])
    assert api.check_in(demo["kiosk"]["token"]).status_code == 201
    shutdown.draining = True
    response = api.check_in(demo["kiosk"]["token"])
    assert response.status_code == 503 and response.headers["Retry-After"] == "2"
    assert response.get_json()["error"]["code"] == "shutting_down"
    assert shutdown.in_flight == 0


def test_sigterm_stops_a_server_started_with_sigint_ignored(tmp_path, async_mode):
    """`gastgeber serve &` from a script, nohup and some service managers start it so."""
    server = LiveServer(tmp_path, async_mode=async_mode)
    server.start(sigint_ignored=True)
    try:
        assert server.check_in("Late Guest").status_code == 201
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=20) == 0
    finally:
        server.stop()
    assert "Gastgeber stopped" in server.log_path.read_text()


def test_a_second_server_on_the_same_database_without_a_message_queue_refuses_to_start(tmp_path):
    server = LiveServer(tmp_path)
    server.start()
    try:
        twin = server.another_process("twin")
        alone = subprocess.run(twin.serve_command(), cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert alone.returncode == 2 and "another gastgeber serve runs on" in alone.stderr
        twin.message_queue = "redis://127.0.0.1:9"  # refused before it would connect anywhere
        queued = subprocess.run(twin.serve_command(), cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert queued.returncode == 2 and "without a message queue" in queued.stderr
        assert server.check_in("Still Served").status_code == 201  # the first one serves on
    finally:
        server.stop()
