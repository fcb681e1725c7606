"""The channels' HTTP API (/api/v1/channels) as CONTRACT.md fixes it: who may do what, bad
input, the site's address policy (no loopback or private targets unless allowed), and
secrets in a URL that never come back in an answer, a page, a log line or the audit log."""

from __future__ import annotations

import logging
import socket

import pytest

from kiosk.domain.people import add_person
from tests.support.forms import manager_session
from tests.support.openapi import check, error_check
from tests.support.receivers import apprise_json_url

CHANNELS = "/api/v1/channels"
CHANNEL = "/api/v1/channels/{channel_id}"
TEST = "/api/v1/channels/{channel_id}/test"
SECRET = "s3cretPassw0rd"
HEADER_SECRET = "tok3nInAHeader"


def bearer(person):
    return {"Authorization": f"Bearer {person['token']}"}


def services(app):
    return app.extensions["gastgeber"]


def test_a_host_adds_lists_tests_and_removes_their_own_channel(client, demo, doc):
    anna = demo["hosts"][0]
    made = client.post(CHANNELS, json={"url": "ntfys://ntfy.example.org/anna-desk", "label": "Phone"},
                       headers=bearer(anna))
    channel = check(doc, made, "post", CHANNELS)["channel"]
    assert made.status_code == 201
    assert channel["host"] == {"id": anna["id"], "name": "Anna"} and channel["kind"] == "ntfys"
    assert channel["when"] == "unconfirmed" and channel["label"] == "Phone" and channel["last_delivery"] is None
    listed = check(doc, client.get(CHANNELS, headers=bearer(anna)), "get", CHANNELS)
    assert [c["id"] for c in listed["channels"]] == [channel["id"]]
    tested = client.post(TEST.format(channel_id=channel["id"]), headers=bearer(anna))
    delivery = check(doc, tested, "post", TEST)["delivery"]  # no internet here: a real attempt that fails
    assert delivery["ok"] is False and delivery["error"] and delivery["ms"] >= 0
    again = client.get(CHANNELS, headers=bearer(anna)).get_json()["channels"][0]
    assert again["last_delivery"] == delivery
    assert client.delete(CHANNEL.format(channel_id=channel["id"]), headers=bearer(anna)).status_code == 204
    assert client.get(CHANNELS, headers=bearer(anna)).get_json()["channels"] == []


def test_a_manager_sees_every_hosts_channels_and_adds_one_for_a_host(client, demo, doc):
    anna, ben = demo["hosts"][0], demo["hosts"][1]
    client.post(CHANNELS, json={"url": "ntfys://ntfy.example.org/anna"}, headers=bearer(anna))
    made = client.post(CHANNELS, json={"url": "ntfys://ntfy.example.org/ben", "host_id": ben["id"], "when": "always"},
                       headers=bearer(demo["manager"]))
    assert check(doc, made, "post", CHANNELS)["channel"]["host"]["name"] == "Ben"
    everyone = client.get(CHANNELS, headers=bearer(demo["manager"])).get_json()["channels"]
    assert [(c["host"]["name"], c["when"]) for c in everyone] == [("Anna", "unconfirmed"), ("Ben", "always")]
    assert [c["host"]["name"] for c in client.get(CHANNELS, headers=bearer(ben)).get_json()["channels"]] == ["Ben"]


@pytest.mark.parametrize("body, field", [
    ({}, "url"),
    ({"url": ""}, "url"),
    ({"url": 42}, "url"),
    ({"url": "not a url"}, "url"),
    ({"url": "nosuchservice://example.org/x"}, "url"),
    ({"url": "https://example.org/plain-web-page"}, "url"),
    ({"url": "ntfys://ntfy.example.org/" + "x" * 1000}, "url"),
    ({"url": "ntfys://ntfy.example.org/t", "when": "sometimes"}, "when"),
    ({"url": "ntfys://ntfy.example.org/t", "label": "x" * 81}, "label"),
    ({"url": "ntfys://ntfy.example.org/t", "label": 7}, "label"),
])
def test_bad_input_is_a_400_naming_the_field(client, demo, doc, body, field):
    answer = client.post(CHANNELS, json=body, headers=bearer(demo["hosts"][0]))
    error_check(doc, answer, "post", CHANNELS, 400, "invalid_input", field)


@pytest.mark.parametrize("url", [
    "json://127.0.0.1:9/x",
    "json://localhost:9/x",
    "jsons://[::1]:9/x",
    "mailto://user:pw@192.168.1.5?to=a@example.org",
    "ntfy://10.0.0.7/topic",
    "gotify://169.254.169.254/token123",
    "mailtos://user:pw@example.org?to=a@example.org&smtp=127.0.0.1",
])
def test_loopback_and_private_targets_are_refused_unless_allowed(client, demo, doc, url):
    answer = client.post(CHANNELS, json={"url": url}, headers=bearer(demo["hosts"][0]))
    body = error_check(doc, answer, "post", CHANNELS, 400, "invalid_input", "url")
    assert "notify_allow_private_addresses" in body["error"]["message"]


def test_a_name_that_leads_into_the_local_network_is_refused_at_delivery(client, demo, receiver):
    """A name passes registration (no DNS there); after DNS, the send refuses it: the receiver hears nothing."""
    name = socket.gethostname()
    addresses = {info[4][0] for info in socket.getaddrinfo(name, None)}
    assert addresses and not any(__import__("ipaddress").ip_address(a).is_global for a in addresses)
    url = apprise_json_url(receiver).replace("127.0.0.1", name)
    anna = demo["hosts"][0]
    channel = client.post(CHANNELS, json={"url": url}, headers=bearer(anna)).get_json()["channel"]
    delivery = client.post(TEST.format(channel_id=channel["id"]), headers=bearer(anna)).get_json()["delivery"]
    assert delivery["ok"] is False and "notify_allow_private_addresses" in delivery["error"]
    assert receiver.requests == []


def test_who_may_do_what(app, client, demo, doc, clock):
    anna, ben = demo["hosts"][0], demo["hosts"][1]
    annas = client.post(CHANNELS, json={"url": "ntfys://ntfy.example.org/a"}, headers=bearer(anna)).get_json()
    channel_id = annas["channel"]["id"]
    kiosk = bearer(demo["kiosk"])
    error_check(doc, client.get(CHANNELS, headers=kiosk), "get", CHANNELS, 403, "forbidden")
    error_check(doc, client.post(CHANNELS, json={"url": "ntfys://n.example.org/k"}, headers=kiosk),
                "post", CHANNELS, 403, "forbidden")
    error_check(doc, client.get(CHANNELS), "get", CHANNELS, 401, "unauthorized")
    assert client.delete(CHANNEL.format(channel_id=channel_id), headers=kiosk).status_code == 403
    # a colleague neither sees nor removes nor tests Anna's channel, nor adds one for her
    assert client.delete(CHANNEL.format(channel_id=channel_id), headers=bearer(ben)).status_code == 404
    error_check(doc, client.post(TEST.format(channel_id=channel_id), headers=bearer(ben)), "post", TEST, 404,
                "not_found")
    error_check(doc, client.post(CHANNELS, json={"url": "ntfys://n.example.org/k", "host_id": anna["id"]},
                                 headers=bearer(ben)), "post", CHANNELS, 403, "forbidden")
    # a manager must say whose channel it is, and only for a host of their own site
    manager = bearer(demo["manager"])
    error_check(doc, client.post(CHANNELS, json={"url": "ntfys://n.example.org/k"}, headers=manager),
                "post", CHANNELS, 400, "invalid_input", "host_id")
    far_host = add_person(services(app).store, clock, "host", "Dora", site="branch")
    far_manager = add_person(services(app).store, clock, "manager", "Fritz", site="branch")
    error_check(doc, client.post(CHANNELS, json={"url": "ntfys://n.example.org/k", "host_id": far_host["id"]},
                                 headers=manager), "post", CHANNELS, 400, "invalid_input", "host_id")
    # another site's channel is not found
    assert client.get(CHANNELS, headers=bearer(far_manager)).get_json()["channels"] == []
    error_check(doc, client.delete(CHANNEL.format(channel_id=channel_id), headers=bearer(far_manager)),
                "delete", CHANNEL, 404, "not_found")
    error_check(doc, client.post(TEST.format(channel_id=channel_id), headers=bearer(far_host)), "post", TEST, 404,
                "not_found")
    assert client.delete(CHANNEL.format(channel_id=channel_id), headers=manager).status_code == 204


def test_a_host_may_have_only_so_many_channels(client, demo, doc, app):
    anna = demo["hosts"][0]
    most = services(app).settings["channels_per_host"]
    for number in range(most):
        made = client.post(CHANNELS, json={"url": f"ntfys://ntfy.example.org/t{number}"}, headers=bearer(anna))
        assert made.status_code == 201
    over = client.post(CHANNELS, json={"url": "ntfys://ntfy.example.org/one-more"}, headers=bearer(anna))
    error_check(doc, over, "post", CHANNELS, 409, "conflict")
    other = client.post(CHANNELS, json={"url": "ntfys://ntfy.example.org/ben"}, headers=bearer(demo["hosts"][1]))
    assert other.status_code == 201  # the bound is per host


def test_a_secret_in_a_url_never_appears_in_an_answer_a_page_a_log_line_or_the_audit_log(
        app, client, demo, caplog):
    caplog.set_level(logging.DEBUG)
    anna = demo["hosts"][0]
    urls = [f"mailtos://anna:{SECRET}@mail.example.org?to=anna@example.org",
            f"jsons://hooks.example.org/anna?+X-Token={HEADER_SECRET}",
            f"tgram://123456789:{SECRET}/12345",
            f"ntfys://tk_{SECRET}@ntfy.example.org/topic"]
    seen = []
    for url in urls:
        made = client.post(CHANNELS, json={"url": url}, headers=bearer(anna))
        assert made.status_code == 201, made.get_json()
        seen.append(made.get_data(as_text=True))
        channel_id = made.get_json()["channel"]["id"]
        seen.append(client.post(TEST.format(channel_id=channel_id), headers=bearer(anna)).get_data(as_text=True))
    seen.append(client.get(CHANNELS, headers=bearer(anna)).get_data(as_text=True))
    seen.append(client.get(CHANNELS, headers=bearer(demo["manager"])).get_data(as_text=True))
    client.post("/api/v1/checkins", json={"name": "Zoë", "client_id": "c-secret"}, headers=bearer(demo["kiosk"]))
    services(app).channel_sender.deliver_due()  # real attempts that fail (no internet) and are logged
    for channel in client.get(CHANNELS, headers=bearer(anna)).get_json()["channels"]:
        client.delete(CHANNEL.format(channel_id=channel["id"]), headers=bearer(anna))
    seen.append(client.get("/api/v1/audit", headers=bearer(demo["manager"])).get_data(as_text=True))
    pages = manager_session(app.test_client(), demo["manager"]["token"])
    seen.append(pages.get("/admin/audit").get_data(as_text=True))
    seen.extend(record.getMessage() for record in caplog.records)
    seen.extend(str(record.args) for record in caplog.records)
    assert any("channel.added" in text for text in seen) and any("failed" in text for text in seen)
    for text in seen:
        assert SECRET not in text and HEADER_SECRET not in text, text
