"""A real `gastgeber serve` (eventlet, then gevent) on loopback, real Socket.IO clients, real HTTP."""

from __future__ import annotations

import json

import pytest
import requests
import socketio

from tests.support.live_server import WAIT
from tests.support.polling import wait_until

pytestmark = pytest.mark.both_async_modes  # production modes alike (README: eventlet or gevent)


def test_check_in_alerts_the_host_and_the_acknowledgment_reaches_the_kiosk(live_server, boards):
    anna = live_server.hosts[0]
    anna_board = boards(anna["token"])
    anna_board.next("board.snapshot")
    kiosk = boards(live_server.kiosk["token"])

    response = live_server.check_in("Zoë <script>alert(1)</script>")
    assert response.status_code == 201
    visit = response.json()["visit"]
    assert visit["host"]["name"] == "Anna"  # the only host with a live board

    alert = anna_board.next("visit.arrived")
    assert alert["visit"]["id"] == visit["id"]
    assert alert["visit"]["customer"]["name"] == "Zoë <script>alert(1)</script>"

    answer = anna_board.client.call("visit.acknowledge", {"visit_id": visit["id"]}, timeout=WAIT)
    assert answer["visit"]["status"] == "acknowledged"

    update = kiosk.next("visit.updated", visit_id=visit["id"], status="acknowledged")
    assert update["visit"]["acknowledged_by"]["name"] == "Anna"


def test_undo_within_its_minute_over_a_real_socket_reaches_the_other_boards_and_a_reconnect(live_server, boards):
    anna, ben = live_server.hosts[0], live_server.hosts[1]
    anna_board = boards(anna["token"])
    anna_board.next("board.snapshot")
    ben_board = boards(ben["token"])
    ben_board.next("board.snapshot")
    visit = live_server.check_in("Undo Live").json()["visit"]
    for action in ("greet", "complete"):
        assert live_server.call("POST", f"/visits/{visit['id']}/{action}", anna["token"], json={}).status_code == 200
    ben_board.next("visit.updated", visit_id=visit["id"], status="completed")

    again = boards(anna["token"])  # a reload: "Done today" comes with the snapshot
    assert visit["id"] in [v["id"] for v in again.next("board.snapshot")["done_today"]]
    answer = anna_board.client.call("visit.undo_complete", {"visit_id": visit["id"]}, timeout=WAIT)
    assert (answer["visit"]["status"], answer["visit"]["completed_at"]) == ("greeted", None)
    back = ben_board.next("visit.updated", visit_id=visit["id"], status="greeted")
    assert back["visit"]["completion_undone_at"] == answer["visit"]["completion_undone_at"]
    snapshot = boards(anna["token"]).next("board.snapshot")
    assert visit["id"] in [v["id"] for v in snapshot["visits"]]
    assert visit["id"] not in [v["id"] for v in snapshot["done_today"]]
    assert live_server.call("POST", f"/visits/{visit['id']}/complete", anna["token"], json={}).status_code == 200


def test_a_board_that_reconnects_gets_what_arrived_while_it_was_away(live_server, boards):
    ben = live_server.hosts[1]
    board = boards(ben["token"])
    board.next("board.snapshot")
    board.close()

    visit = live_server.check_in("Arrived While Away").json()["visit"]

    board = boards(ben["token"])
    snapshot = board.next("board.snapshot")
    assert visit["id"] in [v["id"] for v in snapshot["visits"]]


def test_the_server_refuses_a_socket_without_credentials(live_server):
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(live_server.url, auth={"token": "forged"}, transports=["websocket"], wait_timeout=WAIT)


def test_refused_connects_and_a_broken_connect_packet_add_no_traceback_to_the_server_log(live_server):
    before = len(live_server.log_path.read_text())
    refused = 0
    for auth in (None, {"token": "forged"}, {"token": 5}, "not a dict", {"as": "host"}):
        for transport in ("websocket", "polling"):
            client = socketio.Client(reconnection=False)
            with pytest.raises(socketio.exceptions.ConnectionError):
                client.connect(live_server.url, auth=auth, transports=[transport], wait_timeout=WAIT)
            refused += 1
    engine = f"{live_server.url}/socket.io/?EIO=4&transport=polling"
    sid = json.loads(requests.get(engine, timeout=10).text[1:])["sid"]
    requests.post(f"{engine}&sid={sid}", data="40{not json", timeout=10)  # a connect whose auth is no JSON

    def added():
        return live_server.log_path.read_text()[before:]

    wait_until(lambda: "bad packet" in added(), message=lambda: f"the bad packet's line in the log:\n{added()}")
    assert refused == 10 and "Traceback" not in added()
    lines = added().splitlines()
    assert len(lines) <= refused + 1 and all(len(line) < 300 for line in lines), lines  # at most a short line each


def test_the_server_answers_bad_input_in_json_not_a_traceback(live_server):
    response = requests.post(f"{live_server.url}/api/v1/checkins", data=b"\xff\xfe", timeout=10,
                             headers={"Authorization": f"Bearer {live_server.kiosk['token']}",
                                      "Content-Type": "application/json"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_json"


def test_a_board_back_from_sleep_shows_exactly_the_current_state(live_server, boards):
    clara = live_server.hosts[2]
    headers = {"Authorization": f"Bearer {clara['token']}"}
    board = boards(clara["token"])
    board.next("board.snapshot")
    board.close()  # the tablet sleeps; meanwhile the floor moves on

    arrived = [live_server.check_in(f"Guest {n}").json()["visit"] for n in range(3)]
    done, seen, waiting = arrived
    for action in ("greet", "complete"):
        requests.post(f"{live_server.url}/api/v1/visits/{done['id']}/{action}", json={}, headers=headers, timeout=10)
    requests.post(f"{live_server.url}/api/v1/visits/{seen['id']}/acknowledge", json={}, headers=headers, timeout=10)

    board = boards(clara["token"])
    snapshot = {v["id"]: v for v in board.next("board.snapshot")["visits"]}
    assert done["id"] not in snapshot
    assert snapshot[seen["id"]]["status"] == "acknowledged"
    assert snapshot[seen["id"]]["acknowledged_by"]["name"] == "Clara"
    assert snapshot[waiting["id"]]["status"] == "waiting"


def test_the_server_runs_in_the_async_mode_asked_for(live_server, async_mode):
    assert f"(database {live_server.db_path}, {async_mode})" in live_server.log_path.read_text()
