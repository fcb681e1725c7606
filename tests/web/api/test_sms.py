"""Item 4 of issue 15: a customer who gave a phone number and ticked "text me when someone's
coming" gets one text message when a host acknowledges, through the site's SMS channel (an
Apprise URL a manager sets; here Apprise's `json://` to a loopback receiver stands in for an
SMS gateway). Off by default, never without consent, and the number never in a log."""

from __future__ import annotations

import json
import logging

import pytest

from tests.support.forms import token_session
from tests.support.openapi import check, error_check
from tests.support.receivers import apprise_json_url

SMS = "/api/v1/sms-channel"
CHECKINS = "/api/v1/checkins"
PHONE = "0171 9876543"
NUMBER = "+491719876543"


@pytest.fixture
def settings(db_path):
    return {"db": str(db_path), "notify_allow_private_addresses": True}


def services(app):
    return app.extensions["gastgeber"]


def bearer(person):
    return {"Authorization": f"Bearer {person['token']}"}


def set_sms(client, demo, url):
    answer = client.put(SMS, json={"url": url}, headers=bearer(demo["manager"]))
    assert answer.status_code == 200, answer.get_json()
    return answer


def texts(receiver):
    return [json.loads(r["body"]) for r in receiver.requests if r["path"].startswith("/sms")]


def check_in_and_acknowledge(app, api, demo, **fields):
    visit = api.check_in(demo["kiosk"]["token"], name="Tina Text", **fields).get_json()["visit"]
    host = next(h for h in demo["hosts"] if h["id"] == visit["host"]["id"])
    assert api.act(host["token"], visit["id"], "acknowledge").status_code == 200
    services(app).channel_sender.deliver_due()
    return visit, host


def test_with_consent_acknowledging_sends_exactly_one_text(app, client, api, demo, doc, receiver, caplog):
    caplog.set_level(logging.DEBUG)
    answer = set_sms(client, demo, apprise_json_url(receiver, "sms"))
    assert check(doc, answer, "put", SMS)["sms_channel"]["kind"] == "json"
    visit, host = check_in_and_acknowledge(app, api, demo, phone=PHONE, text_me=True)
    (message,) = texts(receiver)
    assert message["message"] == f"{host['name']} kommt jetzt zu Ihnen – main"  # the kiosk's language: German
    # acknowledging again, greeting and another round of the sender send nothing more
    api.act(host["token"], visit["id"], "acknowledge")
    api.act(host["token"], visit["id"], "greet")
    services(app).channel_sender.deliver_due()
    assert len(texts(receiver)) == 1
    stored = services(app).store.visit(visit["id"])
    assert stored["sms_consent"] == 1 and stored["sms_to"] is None  # the number is forgotten once sent
    assert "9876543" not in caplog.text


def test_the_text_is_in_the_customers_language_with_the_first_name(app, client, api, demo, receiver):
    set_sms(client, demo, apprise_json_url(receiver, "sms"))
    _visit, host = check_in_and_acknowledge(app, api, demo, phone=PHONE, text_me=True, language="en")
    assert [m["message"] for m in texts(receiver)] == [f"{host['name'].split()[0]} is coming to you now — main"]


def test_without_consent_no_text_is_sent(app, client, api, demo, receiver):
    set_sms(client, demo, apprise_json_url(receiver, "sms"))
    visit, _host = check_in_and_acknowledge(app, api, demo, phone=PHONE)
    assert texts(receiver) == []
    assert services(app).store.visit(visit["id"])["sms_consent"] == 0
    assert services(app).store.notices_of_visit(visit["id"]) == []


def test_without_an_sms_channel_consent_sends_nothing(app, client, api, demo, receiver):
    assert client.get(SMS, headers=bearer(demo["manager"])).get_json() == {"sms_channel": None}
    check_in_and_acknowledge(app, api, demo, phone=PHONE, text_me=True)
    assert receiver.requests == []


def test_a_failing_gateway_never_logs_or_stores_the_number(app, client, api, demo, receiver, caplog):
    caplog.set_level(logging.DEBUG)
    receiver.statuses = [500]
    set_sms(client, demo, apprise_json_url(receiver, "sms"))
    visit, _host = check_in_and_acknowledge(app, api, demo, phone=PHONE, text_me=True)
    assert len(receiver.requests) == 1  # tried, refused: retried later
    attempts = services(app).store.db.execute("SELECT error FROM channel_attempts").fetchall()
    assert attempts and all("9876543" not in (error or "") for (error,) in attempts)
    assert "9876543" not in caplog.text
    assert services(app).store.visit(visit["id"])["sms_to"] == NUMBER  # kept for the retry


def test_text_me_without_a_phone_is_a_400(client, demo, doc, api):
    kiosk = demo["kiosk"]["token"]
    for fields in ({"text_me": True}, {"text_me": True, "email": "tina@example.org"}, {"text_me": True, "phone": ""}):
        answer = api.check_in(kiosk, **fields)
        error_check(doc, answer, "post", CHECKINS, 400, "invalid_input", "text_me")
    error_check(doc, api.check_in(kiosk, phone=PHONE, text_me="yes"), "post", CHECKINS, 400, "invalid_input",
                "text_me")


def test_only_a_manager_sets_the_sms_channel_and_its_secret_is_masked(client, demo, doc):
    secret = "s3cretSmsKey"
    answer = client.put(SMS, json={"url": f"vonage://key:{secret}@4930123456"}, headers=bearer(demo["manager"]))
    shown = check(doc, answer, "put", SMS)["sms_channel"]
    assert shown["kind"] == "vonage" and secret not in json.dumps(shown)
    assert secret not in client.get(SMS, headers=bearer(demo["manager"])).get_data(as_text=True)
    # it is the site's, not a host's: it never shows among the hosts' channels
    assert client.get("/api/v1/channels", headers=bearer(demo["manager"])).get_json()["channels"] == []
    error_check(doc, client.put(SMS, json={"url": "nosuch://x"}, headers=bearer(demo["manager"])), "put", SMS, 400,
                "invalid_input", "url")
    for person in (demo["hosts"][0], demo["kiosk"]):
        error_check(doc, client.get(SMS, headers=bearer(person)), "get", SMS, 403, "forbidden")
        error_check(doc, client.put(SMS, json={"url": "vonage://k:s@1"}, headers=bearer(person)), "put", SMS, 403,
                    "forbidden")
    assert client.delete(SMS, headers=bearer(demo["manager"])).status_code == 204
    error_check(doc, client.delete(SMS, headers=bearer(demo["manager"])), "delete", SMS, 404, "not_found")


def test_the_kiosk_offers_the_text_only_where_the_site_can_send_it(app, client, demo, receiver):
    tablet = token_session(app.test_client(), "kiosk", demo["kiosk"]["token"])
    assert 'id="text_me"' not in tablet.get("/kiosk").get_data(as_text=True)
    set_sms(client, demo, apprise_json_url(receiver, "sms"))
    assert 'id="text_me"' in tablet.get("/kiosk").get_data(as_text=True)
