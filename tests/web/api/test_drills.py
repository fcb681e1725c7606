"""POST /api/v1/drills as docs/openapi.json documents it: a host's drill with no board open, a
working and a failing channel (a JSON receiver on loopback, and a port nobody listens on)."""

from __future__ import annotations

import pytest

from tests.support.live_server import free_port
from tests.support.openapi import check, error_check
from tests.support.receivers import apprise_json_url

DRILLS = "/api/v1/drills"


@pytest.fixture
def settings(db_path):
    return {"db": str(db_path), "notify_allow_private_addresses": True}


def bearer(person):
    return {"Authorization": f"Bearer {person['token']}"}


def test_a_drill_without_a_board_tries_every_channel_and_says_what_failed(client, demo, doc, receiver):
    anna = demo["hosts"][0]
    for url in (apprise_json_url(receiver, "drill"), f"json://127.0.0.1:{free_port()}/gone"):
        assert client.post("/api/v1/channels", json={"url": url}, headers=bearer(anna)).status_code == 201
    drill = check(doc, client.post(DRILLS, json={}, headers=bearer(anna)), "post", DRILLS)["drill"]
    assert drill["host"] == {"id": anna["id"], "name": "Anna"} and drill["boards"] == []
    assert [item["delivery"]["ok"] for item in drill["channels"]] == [True, False]
    assert (drill["reached"], drill["problems"]) == (True, 1)
    assert len(receiver.requests) == 1
    listed = client.get("/api/v1/channels", headers=bearer(anna)).get_json()["channels"]
    assert [c["last_delivery"]["ok"] for c in listed] == [True, False]  # the drill's sends are each channel's last


def test_a_drill_of_nothing_reaches_nobody(client, demo, doc):
    drill = check(doc, client.post(DRILLS, json={}, headers=bearer(demo["hosts"][1])), "post", DRILLS)["drill"]
    assert (drill["reached"], drill["problems"], drill["boards"], drill["channels"]) == (False, 0, [], [])


def test_only_a_host_runs_a_drill(client, demo, doc):
    error_check(doc, client.post(DRILLS, json={}), "post", DRILLS, 401, "unauthorized")
    for who in ("manager", "kiosk"):
        error_check(doc, client.post(DRILLS, json={}, headers=bearer(demo[who])), "post", DRILLS, 403, "forbidden")
