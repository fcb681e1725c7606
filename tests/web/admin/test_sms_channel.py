"""/admin/settings#sms-channel: a manager sets the site's SMS gateway (an Apprise URL, checked as
channels are), tries it on their own phone, and removes it. Each form answers POST → 303 → GET;
once saved the URL's secrets are never shown again (nor put back into a field), a refusal is said
next to its field in the reader's language, and the number tried is kept nowhere. Apprise's
`json://` to a loopback receiver stands in for the gateway (as in tests/web/api/test_sms.py)."""

from __future__ import annotations

import html
import json
import logging
import re

import pytest

from tests.support.forms import form_post, manager_session, token_session
from tests.support.receivers import apprise_json_url

PAGE = "/admin/settings"
SET, TEST, REMOVE = f"{PAGE}/sms-channel", f"{PAGE}/sms-channel/test", f"{PAGE}/sms-channel/remove"
ENGLISH, GERMAN = {"Accept-Language": "en"}, {"Accept-Language": "de"}
SECRET = "s3cretGatewayKey"


@pytest.fixture
def settings(db_path):
    return {"db": str(db_path), "notify_allow_private_addresses": True}  # the receiver listens on loopback


@pytest.fixture
def manager(app, demo):
    return manager_session(app.test_client(), demo["manager"]["token"])


def services(app):
    return app.extensions["gastgeber"]


def section(page: str) -> str:
    """The SMS section of the settings page, its entities decoded (to read its texts as a person does)."""
    return html.unescape(re.search(r'<section[^>]*id="sms-channel".*?</section>', page, re.S).group(0))


def field_value(page: str, name: str) -> str:
    return re.search(rf'<input id="{name}"[^>]*value="([^"]*)"', page, re.S).group(1)


def save(manager, url, **kwargs):
    return form_post(manager, SET, {"sms_url": url}, page=PAGE, **kwargs)


def followed(manager, path, data=None, headers=ENGLISH) -> str:
    """Post the form, which must answer 303, and read the page it leads to (in `headers`' language)."""
    answer = form_post(manager, path, data, page=PAGE, headers=headers)
    assert answer.status_code == 303, (path, answer.status_code)
    return manager.get(answer.headers["Location"], headers=headers).get_data(as_text=True)


def texts(receiver):
    return [json.loads(r["body"]) for r in receiver.requests]


def test_without_a_gateway_the_section_says_so_and_offers_only_to_set_one(manager):
    shown = section(manager.get(PAGE, headers=ENGLISH).get_data(as_text=True))
    assert 'data-configured="false"' in shown
    assert "No SMS gateway is set" in shown and 'id="sms-test-form"' not in shown and 'id="sms-remove"' not in shown


def test_a_saved_gateway_is_shown_masked_and_never_put_back_into_the_field(app, manager):
    answer = save(manager, f"vonage://key:{SECRET}@4930123456")
    assert answer.status_code == 303 and answer.headers["Location"].endswith(f"{PAGE}?sms=saved#sms-channel")
    page = manager.get(answer.headers["Location"], headers=ENGLISH).get_data(as_text=True)
    shown = section(page)
    assert "The SMS gateway is saved" in shown and 'data-configured="true"' in shown
    assert re.search(r'id="sms-channel-url">vonage://[^<]+</code>', shown)
    assert SECRET not in page and field_value(page, "sms_url") == ""
    assert "Not tried yet" in shown and 'id="sms-test-form"' in shown
    assert SECRET not in manager.get("/admin/audit").get_data(as_text=True)
    # reloading the page that the redirect led to sends nothing again: still one gateway, the same
    assert manager.get(PAGE).status_code == 200
    assert services(app).store.sms_channel(1)["kind"] == "vonage"


def test_a_url_no_channel_understands_is_refused_next_to_the_field_in_the_readers_language(app, manager):
    answer = save(manager, "nosuch://gateway.example/sms", headers=GERMAN)
    assert answer.status_code == 400
    shown = section(answer.get_data(as_text=True))
    assert 'id="sms_url-error"' in shown and "Kein Kanal dieses Servers versteht diese URL" in shown
    assert re.search(r'id="sms_url"[^>]*aria-describedby="sms_url-hint sms_url-error"[^>]*aria-invalid="true"',
                     shown, re.S)
    assert field_value(shown, "sms_url") == "nosuch://gateway.example/sms"  # typed, so it can be fixed
    assert services(app).store.sms_channel(1) is None
    answer = save(manager, "   ", headers=ENGLISH)
    assert answer.status_code == 400 and "Enter the SMS gateway's URL." in section(answer.get_data(as_text=True))


def test_a_gateway_in_the_local_network_is_refused_without_the_setting(app, manager):
    services(app).channels.settings["notify_allow_private_addresses"] = False
    answer = save(manager, "json://192.168.1.20:8080/sms", headers=ENGLISH)
    assert answer.status_code == 400
    assert "notify_allow_private_addresses" in section(answer.get_data(as_text=True))
    assert services(app).store.sms_channel(1) is None


def test_a_test_message_reaches_the_managers_phone_and_the_number_is_kept_nowhere(
        app, manager, receiver, caplog):
    caplog.set_level(logging.DEBUG)
    channels, sent_to = services(app).channels, []
    real_send = channels.send
    channels.send = lambda url, *args, **kwargs: sent_to.append(url) or real_send(url, *args, **kwargs)
    save(manager, apprise_json_url(receiver, "sms"))
    page = followed(manager, TEST, {"sms_phone": "0171 2345678"})
    (message,) = texts(receiver)
    assert message["message"] == "Test from main: this is how a guest is told by text message that someone is coming."
    assert sent_to == [apprise_json_url(receiver, "sms") + "?to=%2B491712345678"]  # the site's country code added
    shown = section(page)
    assert "The test message was sent" in shown
    assert 'data-ok="true"' in shown and "Delivered at" in shown
    assert "2345678" not in page and field_value(page, "sms_phone") == ""
    assert "2345678" not in caplog.text
    stored = services(app).store.db.execute("SELECT * FROM channel_attempts").fetchall()
    assert stored and "2345678" not in repr(stored)


def test_a_failing_gateway_shows_the_failure_without_the_number(app, manager, receiver):
    receiver.statuses = [500]
    save(manager, apprise_json_url(receiver, "sms"))
    shown = section(followed(manager, TEST, {"sms_phone": "+49 171 2345678"}))
    assert 'data-ok="false"' in shown and "Failed at" in shown
    assert "2345678" not in shown


def test_a_test_without_a_number_is_refused_next_to_the_phone_field(manager, receiver):
    save(manager, apprise_json_url(receiver, "sms"))
    for typed in ("", "12", "call me"):
        answer = form_post(manager, TEST, {"sms_phone": typed}, page=PAGE, headers=GERMAN)
        assert answer.status_code == 400
        shown = section(answer.get_data(as_text=True))
        assert 'id="sms_phone-error"' in shown and "Bitte geben Sie die Nummer für den Test ein" in shown
    assert receiver.requests == []


def test_removing_the_gateway_stops_the_kiosk_offering_a_text(app, manager, demo, receiver):
    save(manager, apprise_json_url(receiver, "sms"))
    tablet = token_session(app.test_client(), "kiosk", demo["kiosk"]["token"])
    assert 'id="text_me"' in tablet.get("/kiosk").get_data(as_text=True)
    page = followed(manager, REMOVE)
    assert "The SMS gateway is removed" in section(page) and 'data-configured="false"' in section(page)
    assert 'id="text_me"' not in tablet.get("/kiosk").get_data(as_text=True)
    # removed twice (a second tab), or tested once it is gone: back to the page, nothing breaks
    assert form_post(manager, REMOVE, page=PAGE).status_code == 303
    assert form_post(manager, TEST, {"sms_phone": "0171 2345678"}, page=PAGE).status_code == 303
    assert receiver.requests == []


def test_only_a_signed_in_manager_may_use_the_forms(app, demo, receiver):
    host = app.test_client()
    assert form_post(host, "/board/login", {"host_id": demo["hosts"][0]["id"], "pin": demo["hosts"][0]["pin"]}
                     ).status_code == 303
    for browser in (app.test_client(), host):
        for path in (SET, TEST, REMOVE):
            answer = form_post(browser, path, {"sms_url": apprise_json_url(receiver, "sms")}, page="/kiosk/setup")
            assert answer.status_code in (302, 303) and "/admin/login" in answer.headers["Location"]
    assert services(app).store.sms_channel(1) is None
