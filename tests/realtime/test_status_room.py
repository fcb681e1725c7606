"""The status page's live side: a Socket.IO connection with auth {"status": token} hears its own visit only."""

from __future__ import annotations

import pytest

from kiosk.domain.people import add_person
from tests.support.openapi import assert_fits


@pytest.fixture
def north(app, clock, demo):
    store = app.extensions["gastgeber"].store
    return {"dora": add_person(store, clock, "host", "Dora Lang", "north")["token"],
            "kiosk": add_person(store, clock, "kiosk", "North door", "north")["token"]}


def token_of(visit):
    return visit["status_url"][len("/v/"):]


def statuses(sio):
    return [message["args"][0] for message in sio.get_received() if message["name"] == "status.updated"]


def test_the_status_room_hears_its_visit_and_nothing_of_other_visits(doc, api, north, socket_client):
    board = socket_client(north["dora"])
    mine = api.check_in(north["kiosk"], name="Zoë Example").get_json()["visit"]
    other = api.check_in(north["kiosk"], name="Quentin Other").get_json()["visit"]
    phone = socket_client(auth={"status": token_of(mine)})
    assert phone.is_connected()
    phone.get_received()
    api.act(north["dora"], other["id"], "acknowledge")  # another guest: nothing but maybe my queue
    api.act(north["dora"], mine["id"], "acknowledge")
    api.act(north["dora"], mine["id"], "greet")
    received = phone.get_received()
    assert {message["name"] for message in received} == {"status.updated"}
    payloads = [message["args"][0] for message in received]
    for payload in payloads:
        assert_fits(doc, doc["x-socketio"]["events"]["status.updated"]["payload"], payload, "status.updated")
    assert [p["status"]["status"] for p in payloads][-2:] == ["acknowledged", "greeted"]
    assert payloads[-1]["status"]["acknowledged_by"] == {"name": "Dora"}
    text = repr(received)
    assert "Quentin" not in text and "Zoë" not in text and "customer" not in text
    board.disconnect()


def test_a_visit_ahead_being_greeted_updates_the_number_ahead(api, north, socket_client):
    board = socket_client(north["dora"])
    first = api.check_in(north["kiosk"], name="First").get_json()["visit"]
    second = api.check_in(north["kiosk"], name="Second").get_json()["visit"]
    phone = socket_client(auth={"status": token_of(second)})
    phone.get_received()
    api.act(north["dora"], first["id"], "greet")
    assert statuses(phone)[-1]["status"]["ahead"] == 0
    board.disconnect()


def test_a_bad_status_token_is_refused_and_a_status_socket_is_no_principal(api, north, socket_client):
    for hostile in ("1-" + "A" * 32, 12, None, ["x"], {"a": 1}, "ü" * 10000, "../../1"):
        assert not socket_client(auth={"status": hostile}).is_connected(), hostile
    mine = api.check_in(north["kiosk"]).get_json()["visit"]
    phone = socket_client(auth={"status": token_of(mine)})
    answer = phone.emit("visit.acknowledge", {"visit_id": mine["id"]}, callback=True)
    assert not (isinstance(answer, dict) and "visit" in answer)
    assert api.get(f"/visits/{mine['id']}", north["dora"]).get_json()["visit"]["status"] == "waiting"
