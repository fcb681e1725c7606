"""Webhooks (issue #8): registering endpoints, the signed payload, the outbox and its retries.

Receivers are small real HTTP servers on loopback started by the tests; time moves
through the injected FixedClock, so a retry ten seconds later costs no waiting.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import json
import socket
import ssl
import threading
import time
from datetime import timedelta

import pytest
import requests

from kiosk.clock import to_iso
from kiosk.domain import webhooks
from kiosk.domain.domain_events import VisitArrived, VisitEscalated, VisitUpdated
from kiosk.domain.errors import Invalid
from kiosk.domain.people import add_person
from kiosk.domain.webhooks import EVENTS, RETRY_AFTER_SECONDS, Sender
from tests.support.forms import csrf_token, manager_session
from tests.support.live_server import LiveServer
from tests.support.network import FakeDns, fake_internet
from tests.support.openapi import check, error_check
from tests.support.polling import wait_until
from tests.support.receivers import receiver_checks, self_signed_certificate, serving_receiver

WEBHOOKS = "/api/v1/webhooks"
WEBHOOK = f"{WEBHOOKS}/{{webhook_id}}"
DELIVERIES = f"{WEBHOOK}/deliveries"
TEST = f"{WEBHOOK}/test"


@pytest.fixture
def settings(db_path):
    return {"db": str(db_path), "webhooks_allow_http_loopback": True}


def manager_headers(demo):
    return {"Authorization": f"Bearer {demo['manager']['token']}"}


def services(app):
    return app.extensions["gastgeber"]


def sender(app, **options):
    """The serving process's sender, with its rules for receivers' addresses (loopback allowed here)."""
    options.setdefault("post", webhooks.poster(services(app).settings))
    return Sender(services(app).store, services(app).clock, claimer="test-process", **options)


def latest_delivery(client, demo, hook) -> dict:
    return client.get(f"{WEBHOOKS}/{hook['id']}/deliveries", headers=manager_headers(demo)).get_json()["deliveries"][0]


def register(client, demo, url, **fields):
    answer = client.post(WEBHOOKS, json={"url": url, **fields}, headers=manager_headers(demo))
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


# --- signing, schedule and mapping (plain domain) ---------------------------------------------------

def test_the_signature_is_an_hmac_of_timestamp_and_raw_body():
    body = b'{"event":"visit.greeted"}'
    header = webhooks.sign("whsec_test", 1795424400, body)
    expected = hmac.new(b"whsec_test", b"1795424400." + body, hashlib.sha256).hexdigest()
    assert header == f"t=1795424400,v1={expected}"
    assert webhooks.verify("whsec_test", header, body, now=1795424400 + 299)
    assert not webhooks.verify("whsec_test", header, body, now=1795424400 + 301)  # replayed later
    assert not webhooks.verify("whsec_other", header, body, now=1795424400)
    assert not webhooks.verify("whsec_test", header, body + b" ", now=1795424400)
    assert not webhooks.verify("whsec_test", "garbage", body, now=1795424400)


def test_retries_back_off_and_then_give_up(clock):
    now = clock.now()
    schedule = [webhooks.next_step(n, False, now) for n in range(1, len(RETRY_AFTER_SECONDS) + 2)]
    assert [step["next_attempt_at"] for step in schedule[:-1]] == [
        to_iso(now + timedelta(seconds=s)) for s in (10, 30, 120, 600, 3600)]
    assert schedule[-1] == {"status": "failed", "next_attempt_at": None}
    assert webhooks.next_step(3, True, now) == {"status": "delivered", "next_attempt_at": None}


def test_domain_events_map_to_the_six_webhook_events():
    def named(event):
        return [name for name, _key, _extra in webhooks.webhook_events(event)]

    visit = {"id": 1, "site_id": 1, "status": "waiting"}
    assert named(VisitArrived(visit)) == ["visit.arrived"]
    assert named(VisitUpdated(visit)) == []  # the check-in's update: arrived says it already
    for status in ("acknowledged", "greeted", "completed", "abandoned"):
        assert named(VisitUpdated({**visit, "status": status})) == [f"visit.{status}"]
    assert named(VisitUpdated({**visit, "status": "greeted"}, staff_only=True)) == []
    escalated = webhooks.webhook_events(VisitEscalated(visit, "managers", "timeout"))
    assert escalated == [("visit.escalated", "visit.escalated:managers",
                          {"escalation": {"level": "managers", "reason": "timeout"}})]


@pytest.mark.parametrize("url, allowed", [
    ("https://crm.example/hook", True),
    ("http://crm.example/hook", False),
    ("http://127.0.0.1:9000/hook", False),  # without the setting
    ("ftp://crm.example/hook", False),
    ("https://user:pw@crm.example/hook", False),
    ("https:///nohost", False),
    ("https://crm.example:99999/", False),
    ("https://crm.example/hook#x", False),
    ("https://crm.example/" + "a" * 500, False),
    ("", False),
])
def test_only_https_urls_are_accepted(url, allowed):
    if allowed:
        assert webhooks.check_url(url, allow_http_loopback=False) == url
    else:
        with pytest.raises(Invalid) as refused:
            webhooks.check_url(url, allow_http_loopback=False)
        assert refused.value.field == "url"
    assert webhooks.check_url("http://localhost:9000/x", allow_http_loopback=True)


# --- the outbox on the publish path ------------------------------------------------------------------

def test_each_step_of_a_visit_is_queued_once_for_each_endpoint_that_wants_it(app, client, api, demo, clock):
    everything = register(client, demo, "https://crm.example/all")["webhook"]
    greetings = register(client, demo, "https://crm.example/greet", events=["visit.greeted"])["webhook"]
    register(client, demo, "https://crm.example/paused", active=False)
    kiosk, anna = demo["kiosk"]["token"], demo["hosts"][0]
    visit = api.check_in(kiosk, name="Zoë").get_json()["visit"]
    host_token = next(h["token"] for h in demo["hosts"] if h["id"] == visit["host"]["id"])
    for action in ("acknowledge", "acknowledge", "greet", "complete"):  # the repeated step changes nothing
        assert api.act(host_token, visit["id"], action).status_code == 200
    left = api.check_in(kiosk, name="Jonas").get_json()["visit"]
    clock.advance(services(app).settings["escalate_managers_after_seconds"] + 1)
    services(app).presence.heartbeat()
    assert services(app).escalator.tick() >= 1  # still waiting: the managers hear of it too
    assert api.act(anna["token"], left["id"], "abandon").status_code == 200

    def events_of(webhook):
        deliveries = client.get(f"{WEBHOOKS}/{webhook['id']}/deliveries?limit=100",
                                headers=manager_headers(demo)).get_json()["deliveries"]
        return [(d["visit_id"], d["event"]) for d in reversed(deliveries)]

    # Nobody is signed in on a board here, so each visit escalates to the team at check-in.
    assert events_of(everything) == [
        (visit["id"], "visit.arrived"), (visit["id"], "visit.escalated"), (visit["id"], "visit.acknowledged"),
        (visit["id"], "visit.greeted"), (visit["id"], "visit.completed"),
        (left["id"], "visit.arrived"), (left["id"], "visit.escalated"), (left["id"], "visit.escalated"),
        (left["id"], "visit.abandoned")]
    levels = [json.loads(row["body"])["escalation"]["level"] for row in services(app).store.db.query(
        "SELECT body FROM webhook_deliveries WHERE visit_id = ? AND event = 'visit.escalated' ORDER BY id",
        (left["id"],))]
    assert levels == ["team", "managers"]
    assert events_of(greetings) == [(visit["id"], "visit.greeted")]
    store = services(app).store
    assert store.db.execute("SELECT count(*) FROM webhook_deliveries").fetchone()[0] == 10  # none for the paused one


def test_a_failing_outbox_never_stops_the_alert(app, api, demo, monkeypatch, socket_client):
    register(app.test_client(), demo, "https://crm.example/all")

    def broken(*_args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services(app).store, "subscribed_webhooks", broken)
    anna = demo["hosts"][0]
    board = socket_client(token=anna["token"])
    made = api.check_in(demo["kiosk"]["token"], name="Zoë")
    assert made.status_code == 201
    assert any(event["name"] == "visit.arrived" for event in board.get_received())


def test_a_slow_receiver_does_not_delay_the_check_in(app, client, api, demo, receiver):
    """Publishing only writes the outbox: the check-in answers while nobody has called the receiver."""
    receiver.hold = threading.Event()
    register(client, demo, receiver.url, events=["visit.arrived"])
    started = time.monotonic()
    assert api.check_in(demo["kiosk"]["token"], name="Zoë").status_code == 201
    assert time.monotonic() - started < 1.0
    assert receiver.requests == []  # the network is the worker's business, not the request's
    assert services(app).store.db.execute(
        "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'").fetchone()[0] == 1


def test_a_receiver_that_does_not_answer_in_time_is_recorded_and_retried(app, client, demo, receiver, clock):
    receiver.hold = threading.Event()
    hook = register(client, demo, receiver.url)["webhook"]
    client.post(f"{WEBHOOKS}/{hook['id']}/test", headers=manager_headers(demo))
    assert sender(app, timeout=0.3).deliver_due() == 1
    receiver.hold.set()
    delivery = latest_delivery(client, demo, hook)
    assert delivery["status"] == "pending"
    assert (delivery["attempts"][0]["status_code"], delivery["attempts"][0]["error"]) == (None, "timed out after 0.3 s")
    assert delivery["next_attempt_at"] == to_iso(clock.now() + timedelta(seconds=10))


# --- end to end: a receiver that fails first ----------------------------------------------------

def test_a_delivery_is_retried_after_a_500_and_arrives_signed(app, client, api, demo, clock, receiver, doc):
    receiver.statuses = [500]
    made = register(client, demo, receiver.url, events=["visit.greeted"])
    secret = made["secret"]
    visit = api.check_in(demo["kiosk"]["token"], name="Zoë Example").get_json()["visit"]
    host_token = next(h["token"] for h in demo["hosts"] if h["id"] == visit["host"]["id"])
    clock.advance(42)
    greeted = api.act(host_token, visit["id"], "greet").get_json()["visit"]
    worker = sender(app)

    assert worker.deliver_due() == 1  # first attempt: the receiver answers 500
    assert worker.deliver_due() == 0  # not due again yet
    clock.advance(9.9)
    assert worker.deliver_due() == 0
    clock.advance(0.1)
    assert worker.deliver_due() == 1  # ten seconds later: 200

    first, second = receiver.requests
    for request in (first, second):
        payload = receiver_checks(secret, request, now=clock.now().timestamp())  # the server's "now"
        assert request["headers"]["X-Gastgeber-Event"] == "visit.greeted"
        assert request["headers"]["X-Gastgeber-Delivery"] == payload["id"]
        assert request["headers"]["Content-Type"] == "application/json"
    assert first["body"] == second["body"]  # the same delivery, signed afresh
    assert first["headers"]["X-Gastgeber-Signature"] != second["headers"]["X-Gastgeber-Signature"]
    assert payload["event"] == "visit.greeted" and payload["occurred_at"] == greeted["greeted_at"]
    assert payload["visit"] == api.get(f"/visits/{visit['id']}", demo["manager"]["token"]).get_json()["visit"]

    log = check(doc, client.get(f"{WEBHOOKS}/{made['webhook']['id']}/deliveries", headers=manager_headers(demo)),
                "get", DELIVERIES)["deliveries"]
    assert len(log) == 1 and log[0]["status"] == "delivered" and log[0]["id"] == payload["id"]
    assert [(a["status_code"], a["error"]) for a in log[0]["attempts"]] == [(500, "HTTP 500"), (200, None)]
    clock.advance(3600 * 2)
    assert worker.deliver_due() == 0 and len(receiver.requests) == 2  # delivered means done


def test_after_the_last_retry_the_delivery_is_given_up(app, client, demo, clock, receiver):
    receiver.statuses = [503] * 10
    hook = register(client, demo, receiver.url)["webhook"]
    client.post(f"{WEBHOOKS}/{hook['id']}/test", headers=manager_headers(demo))
    worker = sender(app)
    assert worker.deliver_due() == 1
    for wait in RETRY_AFTER_SECONDS:
        clock.advance(wait)
        assert worker.deliver_due() == 1
    clock.advance(24 * 3600)
    assert worker.deliver_due() == 0
    assert len(receiver.requests) == 1 + len(RETRY_AFTER_SECONDS)
    delivery = latest_delivery(client, demo, hook)
    assert delivery["status"] == "failed" and delivery["next_attempt_at"] is None
    assert len(delivery["attempts"]) == 6


def test_a_claimed_delivery_is_sent_by_one_process_only(app, client, demo, receiver):
    hook = register(client, demo, receiver.url)["webhook"]
    client.post(f"{WEBHOOKS}/{hook['id']}/test", headers=manager_headers(demo))
    first, second = sender(app), Sender(services(app).store, services(app).clock, claimer="other-process")
    claimed = first.claim_due()
    assert len(claimed) == 1 and second.claim_due() == []
    first.attempt(claimed[0])
    assert len(receiver.requests) == 1


# --- the API -------------------------------------------------------------------------------------

def test_managers_register_change_and_remove_webhooks_through_the_api(app, client, demo, doc):
    headers = manager_headers(demo)
    made = check(doc, client.post(WEBHOOKS, json={"url": "https://crm.example/in", "events": ["visit.arrived"]},
                                  headers=headers), "post", WEBHOOKS)
    assert made["secret"].startswith("whsec_") and made["webhook"]["events"] == ["visit.arrived"]
    hook_id = made["webhook"]["id"]
    listed = check(doc, client.get(WEBHOOKS, headers=headers), "get", WEBHOOKS)
    assert listed == {"webhooks": [made["webhook"]]}
    assert made["secret"] not in json.dumps(listed)  # never shown again

    paused = check(doc, client.patch(f"{WEBHOOKS}/{hook_id}", json={"active": False, "events": EVENTS[::-1]},
                                     headers=headers), "patch", WEBHOOK)
    assert paused["webhook"]["active"] is False and paused["webhook"]["events"] == list(EVENTS)
    assert "secret" not in paused
    rotated = check(doc, client.patch(f"{WEBHOOKS}/{hook_id}", json={"rotate_secret": True}, headers=headers),
                    "patch", WEBHOOK)
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != made["secret"]
    assert services(app).store.webhook(hook_id)["secret"] == rotated["secret"]
    test = check(doc, client.post(f"{WEBHOOKS}/{hook_id}/test", headers=headers), "post", TEST)
    assert test["delivery"]["event"] == "webhook.test"
    removed = check(doc, client.delete(f"{WEBHOOKS}/{hook_id}", headers=headers), "delete", WEBHOOK)
    assert removed["webhook"]["id"] == hook_id
    assert check(doc, client.get(WEBHOOKS, headers=headers), "get", WEBHOOKS) == {"webhooks": []}

    entries = client.get("/api/v1/audit", headers=headers).get_json()["entries"]
    assert [e["action"] for e in entries] == ["webhook.deleted", "webhook.tested", "webhook.secret_rotated",
                                              "webhook.changed", "webhook.added"]
    assert entries[-1]["actor"]["name"] == demo["manager"]["name"]
    audit_text = json.dumps(entries)
    assert made["secret"] not in audit_text and rotated["secret"] not in audit_text


def test_the_api_refuses_what_it_should(app, client, demo, doc, clock):
    headers = manager_headers(demo)
    other = add_person(services(app).store, clock, "manager", "Otto", "north")
    theirs = register(client, {"manager": other}, "https://north.example/hook")["webhook"]
    mine = register(client, demo, "https://crm.example/hook")["webhook"]

    for method, template in (("patch", WEBHOOK), ("delete", WEBHOOK), ("get", DELIVERIES), ("post", TEST)):
        path = template.format(webhook_id=theirs["id"])
        error_check(doc, client.open(path, method=method.upper(), json={} if method == "patch" else None,
                                     headers=headers), method, template, 404, "not_found")
    host = {"Authorization": f"Bearer {demo['hosts'][0]['token']}"}
    error_check(doc, client.get(WEBHOOKS, headers=host), "get", WEBHOOKS, 403, "forbidden")
    error_check(doc, client.post(WEBHOOKS, json={"url": "https://x.example"}, headers=host), "post", WEBHOOKS,
                403, "forbidden")
    error_check(doc, client.get(WEBHOOKS), "get", WEBHOOKS, 401, "unauthorized")
    error_check(doc, client.post(WEBHOOKS, json={"url": "http://crm.example/hook"}, headers=headers), "post",
                WEBHOOKS, 400, "invalid_input", "url")
    error_check(doc, client.post(WEBHOOKS, json={"url": "https://crm.example", "events": ["visit.teleported"]},
                                 headers=headers), "post", WEBHOOKS, 400, "invalid_input", "events")
    error_check(doc, client.post(WEBHOOKS, json={"url": "https://crm.example", "events": []}, headers=headers),
                "post", WEBHOOKS, 400, "invalid_input", "events")
    error_check(doc, client.post(WEBHOOKS, json={"url": "https://crm.example", "active": "yes"}, headers=headers),
                "post", WEBHOOKS, 400, "invalid_input", "active")
    error_check(doc, client.post(WEBHOOKS, json=["https://crm.example"], headers=headers), "post", WEBHOOKS,
                400, "invalid_input")
    error_check(doc, client.post(WEBHOOKS, data="{", content_type="application/json", headers=headers),
                "post", WEBHOOKS, 400, "invalid_json")
    error_check(doc, client.patch(f"{WEBHOOKS}/{mine['id']}", json={"secret": "mine"}, headers=headers),
                "patch", WEBHOOK, 400, "invalid_input", "secret")
    error_check(doc, client.get(f"{WEBHOOKS}/{mine['id']}/deliveries?limit=0", headers=headers), "get", DELIVERIES,
                400, "invalid_input", "limit")
    error_check(doc, client.delete(f"{WEBHOOKS}/99999999999999999999", headers=headers), "delete", WEBHOOK,
                404, "not_found")
    assert [w["id"] for w in client.get(WEBHOOKS, headers=headers).get_json()["webhooks"]] == [mine["id"]]


def test_plain_http_to_this_machine_needs_the_setting(app, client, demo, doc):
    services(app).settings["webhooks_allow_http_loopback"] = False
    error_check(doc, client.post(WEBHOOKS, json={"url": "http://127.0.0.1:9/hook"}, headers=manager_headers(demo)),
                "post", WEBHOOKS, 400, "invalid_input", "url")
    services(app).settings["webhooks_allow_http_loopback"] = True
    made = client.post(WEBHOOKS, json={"url": "http://127.0.0.1:9/hook"}, headers=manager_headers(demo))
    assert made.status_code == 201


# --- the page ------------------------------------------------------------------------------------

def csrf(client):
    return csrf_token(client, "/admin/webhooks")


def english_manager(client, demo):
    """Sign the browser in as the manager, reading English (?lang=, remembered): the texts asserted are English."""
    manager_session(client, demo["manager"]["token"])
    client.get("/admin/webhooks?lang=en")


def test_the_page_registers_a_webhook_and_shows_its_secret_once(app, client, demo):
    assert client.get("/admin/webhooks").status_code == 302  # a stranger signs in first
    english_manager(client, demo)
    refused = client.post("/admin/webhooks", data={"csrf_token": csrf(client), "url": "http://crm.example/<in>",
                                                   "events": ["visit.greeted"]})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert 'aria-invalid="true"' in page and 'id="url-error"' in page and "must start with https://" in page
    assert 'value="http://crm.example/&lt;in&gt;"' in page  # what was typed stays, escaped
    assert 'value="visit.greeted" checked' in page and 'value="visit.arrived" checked' not in page

    made = client.post("/admin/webhooks", data={"csrf_token": csrf(client), "url": "https://crm.example/in",
                                                "events": ["visit.greeted", "visit.arrived"], "active": "on"},
                       follow_redirects=True)
    assert made.status_code == 200 and made.history[0].status_code == 303
    secret = services(app).store.webhooks_of_site(1)[0]["secret"]
    assert secret in made.get_data(as_text=True)
    again = client.get("/admin/webhooks").get_data(as_text=True)
    assert secret not in again and "https://crm.example/in" in again and "visit.arrived, visit.greeted" in again
    without_token = client.post("/admin/webhooks", data={"url": "https://crm.example/x", "events": ["visit.arrived"]})
    assert without_token.status_code == 400
    assert len(services(app).store.webhooks_of_site(1)) == 1  # without the CSRF token nothing happened


def test_the_page_pauses_tests_rotates_and_removes(app, client, demo):
    hook = register(client, demo, "https://crm.example/in")
    english_manager(client, demo)
    base = f"/admin/webhooks/{hook['webhook']['id']}"
    paused = client.post(f"{base}/active", data={"csrf_token": csrf(client), "active": "false"})
    assert paused.status_code == 303 and not services(app).store.webhook(hook["webhook"]["id"])["active"]
    assert "Resume" in client.get("/admin/webhooks").get_data(as_text=True)
    tested = client.post(f"{base}/test", data={"csrf_token": csrf(client)}, follow_redirects=True)
    assert "webhook.test" in tested.get_data(as_text=True) and "not yet sent" in tested.get_data(as_text=True)
    rotated = client.post(f"{base}/rotate", data={"csrf_token": csrf(client)}, follow_redirects=True)
    rotated = rotated.get_data(as_text=True)
    new_secret = services(app).store.webhook(hook["webhook"]["id"])["secret"]
    assert new_secret != hook["secret"] and new_secret in rotated
    assert client.post("/admin/webhooks/999/rotate", data={"csrf_token": csrf(client)}).status_code == 404
    removed = client.post(f"{base}/delete", data={"csrf_token": csrf(client)}, follow_redirects=True)
    assert "No webhooks yet" in removed.get_data(as_text=True)


# --- the real server: sending never holds up the event loop ------------------------------------------

def test_under_the_real_server_a_slow_receiver_holds_up_nobody(tmp_path, receiver):
    receiver.hold = threading.Event()
    server = LiveServer(tmp_path, "webhooks_allow_http_loopback = true\n")
    server.start()
    try:
        headers = {"Authorization": f"Bearer {server.manager['token']}"}
        made = requests.post(f"{server.url}{WEBHOOKS}", json={"url": receiver.url, "events": ["visit.arrived"]},
                             headers=headers, timeout=10)
        assert made.status_code == 201
        assert server.check_in("Zoë").status_code == 201
        assert receiver.arrived.wait(10), "the worker did not send the delivery"
        # The receiver holds the first delivery; meanwhile the server answers as fast as ever.
        started = time.monotonic()
        assert server.check_in("Jonas").status_code == 201
        assert requests.get(f"{server.url}/healthz", timeout=5).ok
        assert time.monotonic() - started < 1.0
        receiver.hold.set()
        hook_id = made.json()["webhook"]["id"]

        def both_delivered():
            deliveries = requests.get(f"{server.url}{WEBHOOKS}/{hook_id}/deliveries", headers=headers,
                                      timeout=5).json()["deliveries"]
            delivered = [d for d in deliveries if d["status"] == "delivered"]
            return len(delivered) == 2

        wait_until(both_delivered, message="both deliveries delivered")
        names = sorted(receiver_checks(made.json()["secret"], r, time.time())["visit"]["customer"]["name"]
                       for r in receiver.requests)
        assert names == ["Jonas", "Zoë"]
    finally:
        server.stop()


def test_the_delivery_log_forgets_old_deliveries_and_the_names_in_them(app, client, api, demo, clock):
    hook = register(client, demo, "https://crm.example/in", events=["visit.arrived"])["webhook"]
    api.check_in(demo["kiosk"]["token"], name="Zoë Old")
    clock.advance(6 * 24 * 3600)
    api.check_in(demo["kiosk"]["token"], name="Jonas Recent")
    clock.advance(2 * 24 * 3600)
    assert sender(app).forget_old() == 1  # only the one from eight days ago
    deliveries = client.get(f"{WEBHOOKS}/{hook['id']}/deliveries",
                            headers=manager_headers(demo)).get_json()["deliveries"]
    assert len(deliveries) == 1
    bodies = " ".join(row["body"] for row in services(app).store.db.query("SELECT body FROM webhook_deliveries"))
    assert "Jonas Recent" in bodies and "Zoë Old" not in bodies


@pytest.mark.parametrize("address", ["10.0.0.7", "192.168.1.20", "169.254.169.254", "127.0.0.1", "::1", "fd00::1",
                                     "::ffff:127.0.0.1", "0.0.0.0"])
def test_a_receiver_inside_this_machine_or_its_network_is_refused_unless_allowed(address):
    with pytest.raises(webhooks.AddressRefused):
        webhooks.check_address(address, allow_private=False, allow_loopback=False)
    webhooks.check_address(address, allow_private=True, allow_loopback=False)  # an internal receiver, allowed
    bracketed = f"[{address}]" if ":" in address else address
    with pytest.raises(Invalid):
        webhooks.check_url(f"https://{bracketed}/hook", allow_http_loopback=False)
    assert webhooks.check_url(f"https://{bracketed}/hook", allow_http_loopback=False, allow_private=True)
    webhooks.check_address("8.8.8.8", allow_private=False, allow_loopback=False)  # public: fine


# --- security review (issue #13): DNS rebinding, the delivery log as a port scanner ------------------

PUBLIC = "93.184.216.34"  # a public address: the fake internet refuses it, nothing leaves this machine
BODY = b'{"event":"webhook.test"}'


def test_a_name_that_turns_into_loopback_after_the_check_is_never_reached(receiver, monkeypatch):
    """DNS rebinding: the receiver's DNS answers a public address to the check and 127.0.0.1
    to whatever asks next. The connection goes to the address checked, so the loopback
    receiver hears nothing."""
    dns = FakeDns({"rebind.example": [PUBLIC, "127.0.0.1"]})
    internet = fake_internet(monkeypatch)
    with pytest.raises(webhooks.DeliveryFailed) as failed:
        webhooks.http_post(f"http://rebind.example:{receiver.port}/hook", BODY, {}, 1.0,
                           allow_private=False, allow_loopback=False, lookup=dns)
    assert str(failed.value) == "could not connect"
    assert receiver.requests == []
    assert dns.asked == ["rebind.example"]  # looked up once
    assert internet.dialled == [(PUBLIC, receiver.port)]  # and connected to exactly what was checked


def test_the_connection_goes_to_the_checked_address_and_speaks_to_the_name(receiver):
    dns = FakeDns({"hooks.example": ["127.0.0.1"]})
    status = webhooks.http_post(f"http://hooks.example:{receiver.port}/in?x=1", BODY, {}, 5.0,
                                allow_loopback=True, lookup=dns)
    assert status == 200 and dns.asked == ["hooks.example"]
    assert receiver.requests[0]["headers"]["Host"] == f"hooks.example:{receiver.port}"


def test_https_keeps_the_name_for_sni_and_the_certificate_while_connecting_to_the_checked_address(tmp_path):
    certificate = self_signed_certificate(tmp_path, "hooks.example")
    trust = ssl.create_default_context(cafile=certificate[0])
    dns = FakeDns({"hooks.example": ["127.0.0.1"], "other.example": ["127.0.0.1"]})
    with serving_receiver(certificate) as receiver:
        status = webhooks.http_post(f"https://hooks.example:{receiver.port}/in", BODY, {}, 5.0, allow_loopback=True,
                                    lookup=dns, tls=trust)
        assert status == 200
        assert receiver.server_names == ["hooks.example"]
        assert receiver.requests[0]["headers"]["Host"] == f"hooks.example:{receiver.port}"
        with pytest.raises(webhooks.DeliveryFailed) as failed:  # the same address, but not this name's certificate
            webhooks.http_post(f"https://other.example:{receiver.port}/in", BODY, {}, 5.0, allow_loopback=True,
                               lookup=dns, tls=trust)
        assert str(failed.value) == "secure connection failed (certificate or TLS)"
        assert len(receiver.requests) == 1


def attempt_errors(client, demo, hook) -> list:
    deliveries = client.get(f"{WEBHOOKS}/{hook['id']}/deliveries", headers=manager_headers(demo)).get_json()
    return [(a["status_code"], a["error"]) for d in deliveries["deliveries"] for a in d["attempts"]]


def test_a_name_resolving_into_the_local_network_is_refused_by_policy(app, client, demo, monkeypatch, caplog):
    internet = fake_internet(monkeypatch)
    hook = register(client, demo, "https://intranet.example/hook")["webhook"]  # a name: checked when sending
    client.post(f"{WEBHOOKS}/{hook['id']}/test", headers=manager_headers(demo))
    dns = FakeDns({"intranet.example": ["10.0.0.7"]})
    assert sender(app, post=webhooks.poster(services(app).settings, lookup=dns)).deliver_due() == 1
    assert attempt_errors(client, demo, hook) == [(None, "refused by policy: private address")]
    assert internet.dialled == []  # not even tried
    assert "10.0.0.7" in caplog.text  # the details are for the server's log


def test_the_delivery_log_does_not_tell_refused_from_unreachable_or_silent(app, client, demo, monkeypatch, caplog):
    """What a manager reads must not map the network: a closed port, a host that does not
    answer, no route and no such name all read `could not connect`."""
    internet = fake_internet(monkeypatch, {"93.184.216.35": TimeoutError("timed out"),
                                           "93.184.216.36": OSError(errno.EHOSTUNREACH, "No route to host")})
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        closed_port = closed.getsockname()[1]  # nobody listens there once closed
    urls = [f"http://127.0.0.1:{closed_port}/hook", "https://silent.example/hook", "https://noroute.example/hook",
            "https://nosuchname.example/hook", f"https://refusing.example:{closed_port}/hook"]
    hooks = [register(client, demo, url)["webhook"] for url in urls]
    for hook in hooks:
        client.post(f"{WEBHOOKS}/{hook['id']}/test", headers=manager_headers(demo))
    dns = FakeDns({"silent.example": ["93.184.216.35"], "noroute.example": ["93.184.216.36"],
                   "refusing.example": [PUBLIC]})
    assert sender(app, post=webhooks.poster(services(app).settings, lookup=dns), timeout=0.3).deliver_due() == 5
    assert [attempt_errors(client, demo, hook) for hook in hooks] == [[(None, "could not connect")]] * 5
    assert len(internet.dialled) == 3
    assert "No route to host" in caplog.text and "Connection refused" in caplog.text  # the server's log has it all


# --- security review (issue #13): a bounded number of webhooks per site, fair sending ------------------

def test_a_site_has_at_most_the_settings_number_of_webhooks(app, client, demo, doc, clock):
    most = services(app).settings["webhooks_per_site_max"]
    assert most == 20  # the default
    made = [register(client, demo, f"https://crm.example/{n}")["webhook"] for n in range(most)]
    refused = error_check(doc, client.post(WEBHOOKS, json={"url": "https://crm.example/one-more"},
                                           headers=manager_headers(demo)), "post", WEBHOOKS, 409, "conflict")
    assert "at most" in refused["error"]["message"] or "most it may have" in refused["error"]["message"]
    assert len(client.get(WEBHOOKS, headers=manager_headers(demo)).get_json()["webhooks"]) == most
    other = add_person(services(app).store, clock, "manager", "Otto", "north")
    register(client, {"manager": other}, "https://north.example/hook")  # another site counts for itself
    client.delete(f"{WEBHOOKS}/{made[0]['id']}", headers=manager_headers(demo))
    register(client, demo, "https://crm.example/one-more")  # room again

    english_manager(client, demo)
    page = client.post("/admin/webhooks", data={"csrf_token": csrf(client), "url": "https://crm.example/x",
                                                "events": ["visit.arrived"]})
    assert page.status_code == 409 and "most it may have" in page.get_data(as_text=True)


def test_one_sites_backlog_does_not_hold_up_another_sites_delivery(app, client, demo, clock, receiver):
    busy = register(client, demo, receiver.url)["webhook"]
    other = add_person(services(app).store, clock, "manager", "Otto", "north")
    quiet = register(client, {"manager": other}, receiver.url)["webhook"]
    for _ in range(200):
        client.post(f"{WEBHOOKS}/{busy['id']}/test", headers=manager_headers(demo))
    clock.advance(1)
    client.post(f"{WEBHOOKS}/{quiet['id']}/test", headers=manager_headers({"manager": other}))

    sent = sender(app).deliver_due()  # one pass
    quiet_log = client.get(f"{WEBHOOKS}/{quiet['id']}/deliveries", headers=manager_headers({"manager": other}))
    assert quiet_log.get_json()["deliveries"][0]["status"] == "delivered"
    assert sent == webhooks.CLAIM_PER_SITE + 1  # the busy site's share of the pass, and the quiet one's
