"""A live connection lives only as long as its credential: revoked, ended or deactivated —
by the API or the command line in another process — it ends within seconds, and no
event it sends is answered with data after that."""

from __future__ import annotations

import json

import requests

from kiosk.domain.auth import hash_token
from tests.support.polling import wait_until

ENDS_WITHIN = 8  # seconds: the sweep runs every 2 s; a loaded CI machine gets slack


def new_host(live_server, name):
    return json.loads(live_server.gastgeber("host", "add", name, "--json").stdout)


def arrivals(board) -> list:
    seen = []
    while not board.events.empty():
        event, data = board.events.get_nowait()
        if event == "visit.arrived":
            seen.append(data)
    return seen


def test_a_host_token_revoked_on_the_command_line_ends_the_board_within_seconds(live_server, boards):
    tess = new_host(live_server, "Tess")
    board = boards(tess["token"])
    live_server.gastgeber("token", "revoke", "host", str(tess["id"]))  # another process, no message queue
    wait_until(lambda: not board.client.connected, ENDS_WITHIN, "the revoked board's disconnection")
    live_server.check_in("After Revocation")
    assert arrivals(board) == []


def test_a_host_deactivated_on_the_command_line_is_dropped_even_after_faking_a_disconnect(live_server, boards):
    uwe = new_host(live_server, "Uwe")
    board = boards(uwe["token"])
    board.client.emit("disconnect", {"reason": "pretend"})  # a client naming an event "disconnect" itself
    board.client.call("board.resync", {}, timeout=10)  # still connected and known: its events are answered
    live_server.gastgeber("host", "deactivate", str(uwe["id"]))
    wait_until(lambda: not board.client.connected, ENDS_WITHIN, "the deactivated host's board's disconnection")


def test_a_manager_whose_access_ended_loses_the_live_view(live_server, boards):
    made = requests.post(f"{live_server.url}/api/v1/managers", json={"name": "Vera"}, timeout=10,
                         headers={"Authorization": f"Bearer {live_server.manager['token']}"}).json()
    board = boards(made["token"])
    ended = requests.post(f"{live_server.url}/api/v1/managers/{made['manager']['id']}/end-access", timeout=10,
                          headers={"Authorization": f"Bearer {live_server.manager['token']}"})
    assert ended.status_code == 200
    wait_until(lambda: not board.client.connected, ENDS_WITHIN, "the manager's live view's disconnection")


def test_an_event_from_a_connection_whose_token_was_revoked_gets_no_data(app, demo, socket_client, clock):
    """Between two sweeps, the event itself checks the credential again."""
    anna = demo["hosts"][0]
    board = socket_client(token=anna["token"])
    assert "visits" in board.emit("board.resync", {}, callback=True)
    app.extensions["gastgeber"].store.revoke_tokens("host", anna["id"], "2026-11-23T09:00:01.000Z")
    answer = board.emit("board.resync", {}, callback=True)
    assert "visits" not in (answer or {}) and not board.is_connected()
    assert app.extensions["gastgeber"].store.principal_row(hash_token(anna["token"])) is None
