"""The manager's digest page (/stats/digest): the preview in the reader's language, on or off and
the weekday by form (POST → 303 → GET), the e-mail as it arrives with its chart; and /api/v1/digest."""

from __future__ import annotations

import re

import pytest

from kiosk.domain.auth import Principal
from tests.support.digest import two_weeks
from tests.support.forms import form_post, submitted, token_session
from tests.support.openapi import check

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def maria(app, demo):
    """Maria's browser, with the two weeks of history of tests/support/digest.py (today is its Monday)."""
    two_weeks(app.extensions["gastgeber"].store, demo)
    return token_session(app.test_client(), "manager", demo["manager"]["token"])


def page(browser, language):
    answer = browser.get("/stats/digest", headers={"Accept-Language": language})
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def test_the_stats_page_links_to_the_preview_and_every_managers_page_to_the_digest(maria):
    stats = maria.get("/stats", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'href="/stats/digest" id="digest-link">Preview digest</a>' in stats
    for path in ("/admin/team", "/stats"):
        assert 'href="/stats/digest">Weekly digest</a>' in maria.get(path, headers={"Accept-Language": "en"}).get_data(
            as_text=True)
    assert 'aria-current="page">Weekly digest</a>' in page(maria, "en")


def test_the_preview_speaks_english_and_german_and_names_no_customer(maria):
    english = page(maria, "en")
    assert "Weekly digest" in english and "Send me the weekly digest" in english
    assert "Tue 11:00–12:00: guests who waited longer than 2:00 min: 4 (median wait 2:30 min)" in english
    assert "Does Ben&#39;s calendar leave room for walk-ins?" in english
    assert "No channel yet" in english
    german = page(maria, "de")
    assert "Wochenbericht" in german and "Lässt der Kalender von Ben genug Raum" in german
    assert "Di. 11:00–12:00: Gäste, die länger als 2:00 Min. warteten: 4" in german
    for text in (english, german):
        assert "Secret Guestname" not in text and "digest." not in text


def test_the_email_preview_shows_the_html_with_the_servers_chart(maria):
    email = maria.get("/stats/digest/email", headers={"Accept-Language": "en"})
    assert email.status_code == 200 and email.mimetype == "text/html"
    assert "style-src 'unsafe-inline'" in email.headers["Content-Security-Policy"]
    html = email.get_data(as_text=True)
    assert 'src="/stats/digest/chart.png"' in html and "Last week at main" in html
    chart = maria.get("/stats/digest/chart.png")
    assert chart.mimetype == "image/png" and chart.data.startswith(PNG_SIGNATURE)


def test_turning_it_off_and_picking_a_day_by_form(maria, app, demo):
    maria.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    shown = submitted(maria, "/stats/digest", {"weekday": "4"}, page="/stats/digest").get_data(as_text=True)
    assert "Saved." in shown and "The digest is off" in shown
    assert '<option value="4" selected>Friday</option>' in shown
    assert app.extensions["gastgeber"].store.digest_choice(demo["manager"]["id"]) == {"enabled": False, "weekday": 4,
                                                                                         "hour": 8}


def test_picking_the_hour_by_form_and_a_bad_hour_said_next_to_the_field(maria, app, demo):
    maria.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    shown = submitted(maria, "/stats/digest", {"enabled": "1", "weekday": "0", "hour": "17"},
                      page="/stats/digest").get_data(as_text=True)
    assert '<option value="17" selected>17:00</option>' in shown and "now 17:00" in shown
    assert app.extensions["gastgeber"].store.digest_choice(demo["manager"]["id"])["hour"] == 17
    for typed in ("24", "-1", "eight", ""):
        refused = form_post(maria, "/stats/digest", {"enabled": "1", "weekday": "0", "hour": typed},
                            page="/stats/digest")
        text = refused.get_data(as_text=True)
        assert refused.status_code == 400, typed
        assert '<p class="field-error" id="hour-error">Pick a whole hour from 0 to 23 (local time).</p>' in text
        assert 'aria-describedby="hour-error"' in text
    assert app.extensions["gastgeber"].store.digest_choice(demo["manager"]["id"])["hour"] == 17
    german = form_post(maria, "/stats/digest", {"hour": "99"}, page="/stats/digest",
                       headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "Wählen Sie eine volle Stunde von 0 bis 23 (Ortszeit)." in german


def test_a_refused_channel_url_is_said_next_to_the_field(maria):
    answer = form_post(maria, "/stats/digest/channels", {"url": "nosuch://x", "label": ""}, page="/stats/digest",
                       headers={"Accept-Language": "en"})
    assert answer.status_code == 400
    assert 'id="url-error"' in answer.get_data(as_text=True)


def test_the_api_reads_and_changes_the_choice_and_its_channels_as_documented(demo, app, doc):
    token = {"Authorization": f"Bearer {demo['manager']['token']}"}
    client = app.test_client()
    assert check(doc, client.get("/api/v1/digest", headers=token), "get", "/api/v1/digest")["digest"] == {
        "enabled": True, "weekday": 0, "hour": 8, "timezone": "Europe/Berlin", "channels": []}
    changed = check(doc, client.put("/api/v1/digest", json={"enabled": False, "weekday": 6}, headers=token),
                    "put", "/api/v1/digest")
    assert (changed["digest"]["enabled"], changed["digest"]["weekday"]) == (False, 6)
    refused = client.put("/api/v1/digest", json={"weekday": 7}, headers=token)
    assert refused.status_code == 400 and check(doc, refused, "put", "/api/v1/digest")["error"]["field"] == "weekday"
    at_five = check(doc, client.put("/api/v1/digest", json={"hour": 17}, headers=token), "put", "/api/v1/digest")
    assert (at_five["digest"]["weekday"], at_five["digest"]["hour"]) == (6, 17)
    for hour in (24, "17", 17.5, None):
        refused = client.put("/api/v1/digest", json={"hour": hour}, headers=token)
        error = check(doc, refused, "put", "/api/v1/digest")["error"]
        assert refused.status_code == 400 and (error["code"], error["field"]) == ("invalid_input", "hour"), hour
    assert client.get("/api/v1/digest", headers=token).get_json()["digest"]["hour"] == 17
    added = client.post("/api/v1/digest/channels", headers=token,
                        json={"url": "ntfys://ntfy.example.org/maria-7f3k", "label": "Phone"})
    assert added.status_code == 201
    channel = check(doc, added, "post", "/api/v1/digest/channels")["channel"]
    assert (channel["kind"], channel["label"], channel["last_delivery"]) == ("ntfys", "Phone", None)
    assert client.delete(f"/api/v1/digest/channels/{channel['id']}", headers=token).status_code == 204
    gone = client.delete(f"/api/v1/digest/channels/{channel['id']}", headers=token)
    assert gone.status_code == 404 and check(doc, gone, "delete", "/api/v1/digest/channels/{channel_id}")
    preview = check(doc, client.get("/api/v1/digest/preview", headers=token), "get", "/api/v1/digest/preview")
    assert preview["preview"]["week"] == "2026-W47"  # Sundays now: the latest is the 22nd
    assert preview["preview"]["text"].startswith("Letzte Woche in main")
    host = {"Authorization": f"Bearer {demo['hosts'][0]['token']}"}
    assert client.get("/api/v1/digest", headers=host).status_code == 403


def test_a_test_digest_is_asked_for_by_form_and_the_page_says_what_became_of_it(maria, app, demo, doc):
    services = app.extensions["gastgeber"]
    services.settings["notify_allow_private_addresses"] = True
    maria.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    manager = Principal("manager", demo["manager"]["id"], "Maria", 1, "main")
    channel = services.digests.add_channel(manager, {"url": "json://127.0.0.1:9/digest?:token=s3cret-Tok"})
    path = f"/stats/digest/channels/{channel['id']}/test"
    answer = form_post(maria, path, {}, page="/stats/digest")
    assert answer.status_code == 303 and answer.headers["Location"].endswith(f"#digest-channel-{channel['id']}")
    sending = maria.get(answer.headers["Location"]).get_data(as_text=True)
    assert 'data-state="sending">Test digest asked for at 10:00:00: on its way …</p>' in sending
    assert services.digest_sender.deliver_due() == 1  # the serving process's sender (nothing listens on port 9)
    failed = page(maria, "en")
    result = re.search(rf'id="digest-test-result-{channel["id"]}"[^>]*data-state="failed">([^<]+)</p>', failed)
    assert result and result.group(1).startswith("Test digest of 10:00:00: failed: ")
    assert "s3cret-Tok" not in failed
    listed = check(doc, maria.get("/api/v1/digest"), "get", "/api/v1/digest")  # what the page's script reads
    test = listed["digest"]["channels"][0]["last_test"]
    assert (test["state"], test["delivery"]["ok"]) == ("failed", False) and test["delivery"]["error"]
    assert "s3cret-Tok" not in str(listed)
    too_soon = form_post(maria, path, {}, page="/stats/digest")
    shown = too_soon.get_data(as_text=True)
    assert too_soon.status_code == 429 and too_soon.headers["Retry-After"] == "60"
    assert f'<p class="field-error" id="test-{channel["id"]}-error">One test digest per channel a minute: ' \
           "try again in 60 s.</p>" in shown
    assert f'aria-describedby="test-{channel["id"]}-error"' in shown
    assert form_post(maria, "/stats/digest/channels/999/test", {}, page="/stats/digest").status_code == 404


def test_the_api_sends_a_test_digest_as_documented(demo, app, doc):
    token = {"Authorization": f"Bearer {demo['manager']['token']}"}
    client = app.test_client()
    channel = client.post("/api/v1/digest/channels", headers=token,
                          json={"url": "ntfys://ntfy.example.org/maria-7f3k"}).get_json()["channel"]
    assert channel["last_test"] is None
    path = f"/api/v1/digest/channels/{channel['id']}/test"
    asked = client.post(path, headers=token)
    assert asked.status_code == 202
    shown = check(doc, asked, "post", "/api/v1/digest/channels/{channel_id}/test")["channel"]
    assert (shown["last_test"]["state"], shown["last_test"]["delivery"]) == ("sending", None)
    again = client.post(path, headers=token)
    error = check(doc, again, "post", "/api/v1/digest/channels/{channel_id}/test")["error"]
    assert again.status_code == 429 and error["code"] == "rate_limited" and again.headers["Retry-After"] == "60"
    listed = check(doc, client.get("/api/v1/digest", headers=token), "get", "/api/v1/digest")
    assert listed["digest"]["channels"][0]["last_test"]["state"] == "sending"
    missing = client.post("/api/v1/digest/channels/999/test", headers=token)
    assert missing.status_code == 404 and check(doc, missing, "post", "/api/v1/digest/channels/{channel_id}/test")
    host = {"Authorization": f"Bearer {demo['hosts'][0]['token']}"}
    assert client.post(path, headers=host).status_code == 403
