"""The drill against a real `gastgeber serve` (issue 14): "Test my alert" rings each live board of
the host over Socket.IO (`alert.drill`) and sends a real test through each channel; the answer says,
board by board and channel by channel, what happened, and the manager's team page shows it."""

from __future__ import annotations

import re
import threading

import pytest
import requests

from tests.support.live_server import Board, LiveServer, free_port
from tests.support.openapi import assert_fits
from tests.support.receivers import apprise_json_url

RINGS = {"shown": True, "sound": "played", "notifications": "granted", "notification_shown": True,
         "device": "Chrome · Android"}
MUTED = {"shown": True, "sound": "blocked", "notifications": "denied", "notification_shown": False,
         "device": "Safari · iOS"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("drill"), "notify_allow_private_addresses = true\n")
    server.start()
    yield server
    server.stop()


def board_answering(server, host, answer):
    board = Board(server.url, host["token"])
    board.client.on("alert.drill", lambda payload: answer(payload))
    return board


def manager_team_page(server) -> str:
    browser = requests.Session()
    browser.headers["Accept-Language"] = "en"  # the page follows the reader; the site's default is German
    login = browser.get(f"{server.url}/stats/login", timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', login).group(1)
    browser.post(f"{server.url}/stats/login", data={"token": server.manager["token"], "csrf_token": token},
                 timeout=10)
    page = browser.get(f"{server.url}/admin/team", timeout=10)
    assert page.status_code == 200
    return page.text


def test_a_drill_reports_every_board_and_channel_and_the_team_page_shows_who_needs_fixing(server, receiver, doc):
    anna = server.hosts[0]
    for label, url in (("Phone", apprise_json_url(receiver, "drill")), ("Relay", f"json://127.0.0.1:{free_port()}/x")):
        assert server.call("POST", "/channels", anna["token"], json={"url": url, "label": label}).status_code == 201
    heard, released = [], threading.Event()

    def silent(payload):  # a board that got the event but never answers (a frozen tab)
        heard.append(payload)
        released.wait(10)

    boards = [board_answering(server, anna, lambda p: (heard.append(p), RINGS)[1]),
              board_answering(server, anna, lambda p: MUTED), board_answering(server, anna, silent)]
    try:
        answer = server.call("POST", "/drills", anna["token"], json={})
    finally:
        released.set()
        for board in boards:
            board.close()
    assert answer.status_code == 200, answer.text
    drill = answer.json()["drill"]
    assert_fits(doc, {"$ref": "#/components/schemas/Drill"}, drill, "POST /drills 200")
    assert heard[0] == {"drill": {"at": drill["at"]}, "host": {"id": anna["id"], "name": "Anna"}}
    by_device = {board["device"]: board for board in drill["boards"]}
    assert set(by_device) == {"Chrome · Android", "Safari · iOS", None}
    assert by_device["Chrome · Android"] | {"ms": 0} == {**RINGS, "answered": True, "ok": True, "problem": None,
                                                          "ms": 0}
    assert (by_device["Safari · iOS"]["ok"], by_device["Safari · iOS"]["problem"]) == (False, "sound_blocked")
    assert (by_device[None]["answered"], by_device[None]["problem"]) == (False, "no_answer")
    assert by_device[None]["ms"] >= 5000
    channels = {item["channel"]["label"]: item["delivery"] for item in drill["channels"]}
    assert channels["Phone"]["ok"] is True and channels["Relay"]["ok"] is False
    assert "Connection error" in channels["Relay"]["error"]
    assert drill["reached"] is True and drill["problems"] == 3
    assert len(receiver.requests) == 1 and b"Gastgeber" in receiver.requests[0]["body"]

    row = re.sub(r"<[^>]+>|\s+", " ", re.search(rf'<tr data-reach-host-id="{anna["id"]}".*?</tr>',
                                                 manager_team_page(server), re.S).group(0))
    assert "reached, 3 of 5 failed" in row
    assert "board sound blocked or muted" in row and "notifications blocked" in row
    assert "a board did not answer the last drill" in row and "no working channel" not in row


def test_only_a_host_runs_a_drill_and_one_at_a_time(server):
    assert server.call("POST", "/drills", None, json={}).status_code == 401
    assert server.call("POST", "/drills", server.manager["token"], json={}).json()["error"]["code"] == "forbidden"
    assert server.call("POST", "/drills", server.kiosk["token"], json={}).status_code == 403
    ben = server.hosts[1]
    rung, answered = threading.Event(), threading.Event()

    def slow(payload):
        rung.set()
        answered.wait(10)
        return RINGS

    board = board_answering(server, ben, slow)
    try:
        first = []
        running = threading.Thread(target=lambda: first.append(server.call("POST", "/drills", ben["token"], json={})))
        running.start()
        assert rung.wait(10), "the board heard no alert.drill"
        second = server.call("POST", "/drills", ben["token"], json={})
        assert second.status_code == 409 and "running" in second.json()["error"]["message"]
        answered.set()
        running.join(10)
    finally:
        answered.set()
        board.close()
    assert first[0].status_code == 200 and first[0].json()["drill"]["boards"][0]["ok"] is True
