"""The escalation ladder on a real server: stand-ins, undelivered alerts, and a restart mid-wait."""

from __future__ import annotations

import sqlite3

import pytest

from kiosk.clock import seconds_between
from tests.support.live_server import Board, LiveServer

pytestmark = pytest.mark.both_async_modes  # production modes alike (README: eventlet or gevent)

CONFIG = "escalate_after_seconds = 3\nalert_receipt_seconds = 1\npresence_grace_seconds = 600\n"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, async_mode):
    server = LiveServer(tmp_path_factory.mktemp("ladder"), CONFIG, async_mode=async_mode)
    server.start()
    yield server
    server.stop()


def stored(server, visit_id, column):
    with sqlite3.connect(server.db_path) as db:
        return db.execute(f"SELECT {column} FROM visits WHERE id = ?", (visit_id,)).fetchone()[0]


def test_a_colleague_gets_the_escalation_and_acknowledges_as_stand_in(live_server, boards):
    anna, ben = live_server.hosts[0], live_server.hosts[1]
    anna_board, ben_board = boards(anna["token"]), boards(ben["token"])
    visit = live_server.check_in("Waiting Walter").json()["visit"]
    own, other = (anna_board, ben_board) if visit["host"]["id"] == anna["id"] else (ben_board, anna_board)
    stand_in = ben if other is ben_board else anna

    own.next("visit.arrived", visit_id=visit["id"])  # delivered (the client acks) but not acknowledged
    escalated = other.next("visit.escalated", visit_id=visit["id"])
    assert (escalated["level"], escalated["reason"]) == ("team", "timeout")
    assert escalated["waiting_seconds"] >= 3
    assert stored(live_server, visit["id"], "alert_delivered_at") is not None

    answer = other.client.call("visit.acknowledge", {"visit_id": visit["id"]}, timeout=10)
    assert answer["visit"]["acknowledged_by"]["id"] == stand_in["id"]
    assert answer["visit"]["host"] == visit["host"]  # still the customer's own host's visit
    update = own.next("visit.updated", visit_id=visit["id"], status="acknowledged")
    assert update["visit"]["acknowledged_by"]["id"] == stand_in["id"]


def test_an_alert_that_reached_no_board_escalates_within_the_receipt_time(live_server, boards):
    clara, ben = live_server.hosts[2], live_server.hosts[1]
    boards(clara["token"]).close()  # Clara's phone went to sleep: signed in (grace), no live board
    ben_board = boards(ben["token"])
    ben_board.client.call("host.presence", {"status": "away"}, timeout=10)
    visit = live_server.check_in("Unheard Ulla").json()["visit"]
    assert visit["host"]["name"] == "Clara"  # the only available host
    ben_board.client.call("host.presence", {"status": "available"}, timeout=10)
    escalated = ben_board.next("visit.escalated", visit_id=visit["id"])
    assert escalated["reason"] == "undelivered"
    assert escalated["waiting_seconds"] < 3  # earlier than the normal escalation time
    assert stored(live_server, visit["id"], "alert_delivered_at") is None


def test_the_ladder_resumes_after_a_restart(tmp_path, async_mode):
    server = LiveServer(tmp_path, "escalate_after_seconds = 8\nalert_receipt_seconds = 8\n", async_mode=async_mode)
    server.start()
    try:
        anna_board = Board(server.url, server.hosts[0]["token"])
        visit = server.check_in("Patient Paula").json()["visit"]
        anna_board.next("visit.arrived")
        anna_board.close()
        server.stop()  # well before the 8 s are up
        assert stored(server, visit["id"], "escalated_at") is None
        server.start()
        ben_board = Board(server.url, server.hosts[1]["token"])
        snapshot = next(v for v in ben_board.next("board.snapshot")["visits"] if v["id"] == visit["id"])
        escalated_at = snapshot["escalated_at"]
        if escalated_at is None:
            escalated_at = ben_board.next("visit.updated", visit_id=visit["id"])["visit"]["escalated_at"]
        assert seconds_between(visit["arrived_at"], escalated_at) >= 8
        ben_board.close()
    finally:
        server.stop()
