"""Web Push from a real `gastgeber serve` (eventlet): a check-in for a host whose board is
closed reaches their subscribed device through the push service (played on loopback: it
checks the VAPID signature and decrypts the payload), and the notification's "I've seen it"
acknowledges the visit on the running server."""

from __future__ import annotations

import time

import pytest
import requests

from tests.support.live_server import LiveServer
from tests.support.polling import wait_until
from tests.support.push_service import Browser, opened
from tests.support.receivers import serving_receiver


@pytest.fixture
def server(tmp_path):
    made = LiveServer(tmp_path, "push_allow_http_loopback = true\n")
    made.start()
    yield made
    made.stop()


def test_a_closed_boards_host_gets_the_push_within_a_second_or_so_and_acknowledges_from_it(server):
    with serving_receiver() as push_service:
        browsers = {}
        for host in server.hosts:
            browsers[f"/push/{host['id']}"] = browser = Browser()
            endpoint = f"http://127.0.0.1:{push_service.port}/push/{host['id']}"
            made = server.call("POST", "/push/subscriptions", host["token"], json=browser.subscription(endpoint))
            assert made.status_code == 201, made.text
        key = server.call("GET", "/push/key", server.hosts[0]["token"]).json()["public_key"]
        started = time.time()
        visit = server.check_in("Zoë").json()["visit"]
        wait_until(lambda: push_service.requests, message="the push at the push service")
    [request] = push_service.requests
    assert request["path"] == f"/push/{visit['host']['id']}"
    latency = request["at"] - started
    assert latency < 3, f"the push left only after {latency:.2f} s"
    shown = opened(request, browsers[request["path"]], key, f"http://127.0.0.1:{push_service.port}")
    assert shown["body"].startswith("Ein Gast wartet auf Sie")
    acked = requests.post(server.url + shown["ack_url"], timeout=10)
    assert acked.status_code == 200 and acked.json()["visit"]["status"] == "acknowledged"
    assert requests.post(server.url + shown["ack_url"], timeout=10).status_code == 404
