"""The channels' sender in a real `gastgeber serve` (eventlet, then gevent; Apprise in its sending process): a host
with no board hears of a guest at once, and a notice owed when the server is killed with
SIGKILL, while its receiver is down, arrives after the restart."""

from __future__ import annotations

import json
import sqlite3
import time

import pytest

from tests.support.live_server import LiveServer, free_port
from tests.support.polling import wait_until
from tests.support.receivers import apprise_json_url, serving_receiver

pytestmark = pytest.mark.both_async_modes  # production modes alike (README: eventlet or gevent)
CONFIG = "notify_allow_private_addresses = true\npublic_url = \"https://door.example.org\"\n"


@pytest.fixture
def server(tmp_path, async_mode):
    made = LiveServer(tmp_path, CONFIG, async_mode=async_mode)
    made.start()
    yield made
    made.stop()


def give_every_host_a_channel(server, url):
    for host in server.hosts:
        answer = server.call("POST", "/channels", host["token"], json={"url": url})
        assert answer.status_code == 201, answer.text


def test_a_host_with_no_board_hears_of_the_guest_within_a_second_or_so(server):
    with serving_receiver() as receiver:
        give_every_host_a_channel(server, apprise_json_url(receiver))
        started = time.time()
        assert server.check_in("Zoë").status_code == 201
        wait_until(lambda: receiver.requests, message="the channel's message")
    latency = receiver.requests[0]["at"] - started
    message = json.loads(receiver.requests[0]["body"])
    assert "(seit " in message["message"] or "(since " in message["message"]
    assert "https://door.example.org/board" in message["message"]
    assert latency < 3, f"the channel heard of the guest only after {latency:.2f} s"
    assert len(receiver.requests) == 1


def test_a_notice_owed_at_a_kill_9_with_its_receiver_down_arrives_after_the_restart(server):
    port = free_port()  # nothing listens there yet: the receiver is down
    with serving_receiver() as placeholder:
        url = apprise_json_url(placeholder).rsplit(":", 1)[0] + f":{port}/notify"
    give_every_host_a_channel(server, url)
    visit = server.check_in("Zoë").json()["visit"]

    def attempted():
        with sqlite3.connect(server.db_path) as db:
            return db.execute("SELECT count(*) FROM channel_attempts WHERE ok = 0").fetchone()[0]

    wait_until(attempted, message="a first, failing attempt")
    server.process.kill()  # SIGKILL with the notice still owed
    server.process.wait()
    with serving_receiver(port=port) as receiver:
        server.start()
        wait_until(lambda: receiver.requests, message="the owed notice after the restart")
    assert len(receiver.requests) == 1
    with sqlite3.connect(server.db_path) as db:
        statuses = [row[0] for row in db.execute("SELECT status FROM channel_notices WHERE visit_id = ?",
                                                 (visit["id"],))]
    assert statuses == ["sent"]
