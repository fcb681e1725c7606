"""Web Push to board devices (/api/v1/push) with the push service played on loopback: the
notification arrives encrypted to the subscription (RFC 8291, decrypted here with http_ece) and
signed with the server's VAPID key (checked here); a gone subscription is removed; the
notification's "I've seen it" acknowledges its one visit, once; the endpoint policy holds."""

from __future__ import annotations

import pytest

from tests.support.forms import form_post
from tests.support.openapi import check, error_check
from tests.support.push_service import Browser, opened

KEY = "/api/v1/push/key"
SUBSCRIPTIONS = "/api/v1/push/subscriptions"
SUBSCRIPTION = "/api/v1/push/subscriptions/{subscription_id}"
ACK = "/api/v1/push/ack/{token}"


def bearer(person):
    return {"Authorization": f"Bearer {person['token']}"}


def services(app):
    return app.extensions["gastgeber"]


@pytest.fixture
def settings(db_path, request):
    """A loopback push service is allowed here (the development setting); a test may add settings."""
    return {"db": str(db_path), "push_allow_http_loopback": True, **getattr(request, "param", {})}


def endpoint(receiver, name: str) -> str:
    return f"http://127.0.0.1:{receiver.port}/push/{name}"


def subscribe_team(client, demo, receiver, doc) -> dict:
    """Each host's board device subscribes (a browser of their own each); their Browser by host id."""
    browsers = {}
    for host in demo["hosts"]:
        browsers[host["id"]] = browser = Browser()
        made = client.post(SUBSCRIPTIONS, json=browser.subscription(endpoint(receiver, host["name"])),
                           headers=bearer(host))
        assert made.status_code == 201, made.get_json()
        check(doc, made, "post", SUBSCRIPTIONS)
    return browsers


def check_in(client, demo, name="Zoë Example") -> dict:
    body = {"name": name, "client_id": f"c-{name.encode().hex()}"}
    made = client.post("/api/v1/checkins", json=body, headers=bearer(demo["kiosk"]))
    assert made.status_code == 201
    return made.get_json()["visit"]


def notifications(receiver, demo, browsers, server_key) -> list[tuple[str, dict]]:
    """(push path, the notification's JSON) of every push the service took, each checked and
    decrypted with the key of the browser that subscribed at that path."""
    origin = f"http://127.0.0.1:{receiver.port}"
    by_path = {f"/push/{host['name']}": browsers[host["id"]] for host in demo["hosts"]}
    return [(request["path"], opened(request, by_path[request["path"]], server_key, origin))
            for request in receiver.requests]


def test_a_check_in_reaches_the_hosts_device_encrypted_and_signed_when_no_board_is_open(client, demo, receiver,
                                                                                        app, doc):
    browsers = subscribe_team(client, demo, receiver, doc)
    server_key = check(doc, client.get(KEY, headers=bearer(demo["hosts"][0])), "get", KEY)["public_key"]
    visit = check_in(client, demo)

    assert services(app).push_sender.deliver_due() == 1  # the visit's host only, at once: no board of theirs is open
    [(path, shown)] = notifications(receiver, demo, browsers, server_key)
    assert path == f"/push/{visit['host']['name']}"
    assert shown["title"] == "Ein Gast wartet"  # in the host's language (the demo's hosts speak German first)
    assert shown["body"] == "Ein Gast wartet auf Sie (seit 10:00)"  # 09:00 UTC in Europe/Berlin; no name
    assert "Zoë" not in str(shown)
    assert shown["ack_label"] == "Gesehen" and shown["ack_url"].startswith("/api/v1/push/ack/")
    assert services(app).store.visit(visit["id"])["alert_delivered_at"] is not None  # reached the host: no escalation
    assert services(app).push_sender.deliver_due() == 0  # each device hears of a visit once


@pytest.mark.parametrize("settings", [{"notify_customer_names": True}], indirect=True)
def test_the_notification_names_the_guest_only_when_the_site_allows_it(app, client, demo, receiver, doc):
    browsers = subscribe_team(client, demo, receiver, doc)
    server_key = client.get(KEY, headers=bearer(demo["hosts"][0])).get_json()["public_key"]
    check_in(client, demo, name="Zoë Example")
    services(app).push_sender.deliver_due()
    [(_path, shown)] = notifications(receiver, demo, browsers, server_key)
    assert shown["body"] == "Zoë Example wartet auf Sie (seit 10:00)"


def test_a_subscription_the_push_service_says_is_gone_is_removed(client, demo, receiver, app, doc):
    subscribe_team(client, demo, receiver, doc)
    receiver.statuses = [410]
    visit = check_in(client, demo)
    host = next(h for h in demo["hosts"] if h["id"] == visit["host"]["id"])
    assert len(client.get(SUBSCRIPTIONS, headers=bearer(host)).get_json()["subscriptions"]) == 1

    services(app).push_sender.deliver_due()
    listed = check(doc, client.get(SUBSCRIPTIONS, headers=bearer(host)), "get", SUBSCRIPTIONS)
    assert listed["subscriptions"] == []
    assert services(app).store.push_notices_of_visit(visit["id"]) == []  # nothing left to retry
    assert services(app).store.visit(visit["id"])["alert_delivered_at"] is None


def test_a_failing_push_is_retried_and_the_device_shows_the_failure(client, demo, receiver, app, clock, doc):
    subscribe_team(client, demo, receiver, doc)
    receiver.statuses = [503]
    visit = check_in(client, demo)
    host = next(h for h in demo["hosts"] if h["id"] == visit["host"]["id"])
    services(app).push_sender.deliver_due()
    [device] = client.get(SUBSCRIPTIONS, headers=bearer(host)).get_json()["subscriptions"]
    assert device["last_error"] == "the push service answered 503" and device["last_ok_at"] is None
    clock.advance(5)
    assert services(app).push_sender.deliver_due() == 1
    [device] = client.get(SUBSCRIPTIONS, headers=bearer(host)).get_json()["subscriptions"]
    assert device["last_ok_at"] is not None and len(receiver.requests) == 2


def test_ive_seen_it_acknowledges_its_one_visit_once(client, demo, receiver, app, doc):
    browsers = subscribe_team(client, demo, receiver, doc)
    server_key = client.get(KEY, headers=bearer(demo["hosts"][0])).get_json()["public_key"]
    first = check_in(client, demo, name="Zoë Example")
    services(app).push_sender.deliver_due()
    [(_path, shown)] = notifications(receiver, demo, browsers, server_key)
    second = check_in(client, demo, name="Jonas Weber")

    acked = app.test_client().post(shown["ack_url"])  # the service worker: no cookie, no token
    visit = check(doc, acked, "post", ACK)["visit"]
    assert acked.status_code == 200 and visit["id"] == first["id"] and visit["status"] == "acknowledged"
    assert visit["acknowledged_by"]["id"] == first["host"]["id"]
    again = app.test_client().post(shown["ack_url"])
    error_check(doc, again, "post", ACK, 404, "not_found")
    assert services(app).store.visit(second["id"])["status"] == "waiting"  # never another visit
    made_up = app.test_client().post(ACK.format(token="A" * 22))
    assert made_up.status_code == 404
    assert "token_hash" not in str(services(app).store.push_notices_of_visit(first["id"]))


def test_ive_seen_it_expires(client, demo, receiver, app, clock, doc):
    browsers = subscribe_team(client, demo, receiver, doc)
    server_key = client.get(KEY, headers=bearer(demo["hosts"][0])).get_json()["public_key"]
    check_in(client, demo)
    services(app).push_sender.deliver_due()
    [(_path, shown)] = notifications(receiver, demo, browsers, server_key)
    clock.advance(3 * 3600)
    assert app.test_client().post(shown["ack_url"]).status_code == 404


def test_only_a_hosts_own_board_device_subscribes(client, demo, doc):
    browser = Browser()
    for person in (demo["kiosk"], demo["manager"]):
        refused = client.post(SUBSCRIPTIONS, json=browser.subscription("https://push.example.org/x"),
                              headers=bearer(person))
        assert refused.status_code == 403
    assert client.post(SUBSCRIPTIONS, json=browser.subscription("https://push.example.org/x")).status_code == 401
    anna, ben = demo["hosts"][0], demo["hosts"][1]
    mine = client.post(SUBSCRIPTIONS, json=browser.subscription("https://push.example.org/x"), headers=bearer(anna))
    subscription_id = mine.get_json()["subscription"]["id"]
    assert client.delete(SUBSCRIPTION.format(subscription_id=subscription_id), headers=bearer(ben)).status_code == 404
    gone = client.delete(SUBSCRIPTION.format(subscription_id=subscription_id), headers=bearer(anna))
    assert gone.status_code == 204
    assert client.get(SUBSCRIPTIONS, headers=bearer(anna)).get_json()["subscriptions"] == []


def test_signing_out_of_the_board_stops_the_pushes_to_that_browser_only(client, demo):
    anna = demo["hosts"][0]
    assert form_post(client, "/board/login", {"host_id": anna["id"], "pin": anna["pin"]}).status_code == 303
    tablet = Browser().subscription("https://push.example.org/tablet")
    assert client.post(SUBSCRIPTIONS, json=tablet).status_code == 201  # the board in this browser
    phone = Browser().subscription("https://push.example.org/phone")
    assert client.post(SUBSCRIPTIONS, json=phone, headers=bearer(anna)).status_code == 201  # Anna's other device
    assert form_post(client, "/board/logout", page="/board").status_code == 303
    endpoints = [device["endpoint"] for device in client.get(SUBSCRIPTIONS, headers=bearer(anna)).get_json()[
        "subscriptions"]]
    assert endpoints == [phone["endpoint"]]


def test_a_device_another_host_took_over_keeps_ringing_for_them_after_the_first_signs_out(client, demo):
    anna, ben = demo["hosts"][0], demo["hosts"][1]
    form_post(client, "/board/login", {"host_id": anna["id"], "pin": anna["pin"]})
    tablet = Browser().subscription("https://push.example.org/tablet")
    assert client.post(SUBSCRIPTIONS, json=tablet).status_code == 201
    assert client.post(SUBSCRIPTIONS, json=tablet, headers=bearer(ben)).status_code == 201  # Ben's now
    assert form_post(client, "/board/logout", page="/board").status_code == 303
    assert [device["endpoint"] for device in client.get(SUBSCRIPTIONS, headers=bearer(ben)).get_json()[
        "subscriptions"]] == [tablet["endpoint"]]


@pytest.mark.parametrize("subscription, field", [
    ({"endpoint": "http://push.example.org/x"}, "endpoint"),
    ({"endpoint": "https://127.0.0.1/x"}, "endpoint"),
    ({"endpoint": "https://10.1.2.3/x"}, "endpoint"),
    ({"endpoint": "https://[::1]/x"}, "endpoint"),
    ({"endpoint": 7}, "endpoint"),
    ({"keys": {"p256dh": "AAAA", "auth": "AAAA"}}, "keys"),
    ({"keys": {"p256dh": "BA" + "A" * 85, "auth": "A" * 22}}, "keys"),  # 65 bytes, but no point of P-256
    ({"keys": "nope"}, "keys"),
])
def test_a_subscription_that_is_no_public_push_service_is_refused(client, demo, doc, subscription, field):
    body = {**Browser().subscription("https://push.example.org/x"), **subscription}
    refused = client.post(SUBSCRIPTIONS, json=body, headers=bearer(demo["hosts"][0]))
    error_check(doc, refused, "post", SUBSCRIPTIONS, 400, "invalid_input", field)


def test_a_loopback_push_service_needs_the_development_setting(app, client, demo, receiver):
    services(app).settings["push_allow_http_loopback"] = False
    refused = client.post(SUBSCRIPTIONS, json=Browser().subscription(endpoint(receiver, "Anna")),
                          headers=bearer(demo["hosts"][0]))
    assert refused.status_code == 400 and refused.get_json()["error"]["field"] == "endpoint"


def test_the_private_key_is_never_answered(client, demo, app):
    private_pem, public = services(app).push.vapid_keys()
    answer = client.get(KEY, headers=bearer(demo["hosts"][0])).get_data(as_text=True)
    assert public in answer and "PRIVATE" not in answer and private_pem.splitlines()[1] not in answer


def board_of(app, socket_client, person):
    """A board of `person` connected (their presence counts), and its id."""
    before = services(app).presence.boards_of(person["id"])
    socket_client(token=person["token"])
    (board_id,) = services(app).presence.boards_of(person["id"]) - before
    return board_id


def test_an_open_board_that_confirms_keeps_the_device_quiet_and_one_that_does_not_lets_it_ring(
        app, client, demo, receiver, clock, socket_client, doc):
    anna = demo["hosts"][0]
    board = board_of(app, socket_client, anna)  # the only host signed in: visits go to Anna
    subscribe_team(client, demo, receiver, doc)
    sender, publisher = services(app).push_sender, services(app).publisher
    seen = check_in(client, demo, name="Zoë")
    assert seen["host"]["id"] == anna["id"]
    sender.deliver_due()
    assert receiver.requests == []  # her board may still confirm
    publisher._receipt(seen["id"], anna["id"], board)({"received": True})
    clock.advance(services(app).settings["alert_receipt_seconds"] + 1)
    sender.deliver_due()
    assert receiver.requests == []  # the board showed it
    assert [n["status"] for n in services(app).store.push_notices_of_visit(seen["id"])] == ["confirmed"]

    missed = check_in(client, demo, name="Jonas")
    clock.advance(services(app).settings["alert_receipt_seconds"] + 1)
    sender.deliver_due()
    assert [r["path"] for r in receiver.requests] == ["/push/Anna"]  # no board confirmed it in time
    assert services(app).store.visit(missed["id"])["alert_delivered_at"] is not None


def test_a_team_escalation_rings_every_available_colleagues_device(app, client, demo, receiver, clock,
                                                                   socket_client, doc):
    anna, ben = demo["hosts"][0], demo["hosts"][1]
    board_of(app, socket_client, anna)
    visit = check_in(client, demo)
    assert visit["host"]["id"] == anna["id"]
    board_of(app, socket_client, ben)  # Ben signs in; his board never confirms the escalation
    browsers = subscribe_team(client, demo, receiver, doc)
    server_key = client.get(KEY, headers=bearer(anna)).get_json()["public_key"]
    clock.advance(services(app).settings["escalate_after_seconds"])
    services(app).presence.heartbeat()
    assert services(app).escalator.tick() == 1
    clock.advance(services(app).settings["alert_receipt_seconds"])
    services(app).push_sender.deliver_due()
    pushed = dict(notifications(receiver, demo, browsers, server_key))
    assert "/push/Ben" in pushed and "/push/Clara" not in pushed  # Clara is not signed in: not available
    assert pushed["/push/Ben"]["body"] == "Ein Gast wartet auf Anna (seit 10:00), noch hat niemand reagiert"
    acked = app.test_client().post(pushed["/push/Ben"]["ack_url"])  # Ben steps in from his lock screen
    assert acked.status_code == 200 and acked.get_json()["visit"]["acknowledged_by"]["name"] == "Ben"
