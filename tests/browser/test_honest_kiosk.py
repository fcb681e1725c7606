"""The kiosk tells the guest only what has really happened, live, in real Chromium: the team
message while no alert has reached anyone, "we're letting Anna know" once her board confirmed
it, "Anna is coming" the moment she acknowledges, and "We've called the team" after "Please
help me" until someone does. The confirmation stays past the idle time while nobody has
acknowledged; the next guest starts over from it with one tap and sees nothing of the last.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import card, no_errors, open_board, open_kiosk, shot, to_welcome
from tests.support.live_server import LiveServer
from tests.support.polling import wait_until
from tests.support.qr import decoded_on_screen
from tests.support.receivers import apprise_json_url

# A short idle time to outlast; no escalation by time during a test; a closed board is gone at once.
CONFIG = ("kiosk_idle_seconds = 5\nescalate_after_seconds = 600\nescalate_managers_after_seconds = 1200\n"
          "alert_receipt_seconds = 3\npresence_grace_seconds = 0\n"
          "notify_allow_private_addresses = true\n")  # the SMS gateway stand-in listens on loopback
NOTICED = "Wir haben Sie bemerkt. Schön, dass Sie da sind."
TAKE_A_SEAT = "Bitte nehmen Sie Platz – wir holen jemanden für Sie."
CALLED_THE_TEAM = "Wir haben das Team gerufen."


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("honest"), CONFIG)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def kiosk(browser, live_server):
    person, context = open_kiosk(browser, live_server)
    yield person
    context.close()


@pytest.fixture
def tablet(kiosk, live_server):
    """The kiosk's page on its welcome screen, with no guest of an earlier test still waiting."""
    live_server.close_open_visits()
    to_welcome(kiosk.page)
    yield kiosk.page
    no_errors(kiosk)


@pytest.fixture
def anna_board(browser, live_server):
    """Anna's board, signed in and live (the only board open)."""
    person, context = open_board(browser, live_server, live_server.hosts[0])
    yield person.page
    context.close()


def check_in(page: Page, name: str) -> dict:
    page.get_by_label("Ihr Name").fill(name)
    with page.expect_response(lambda r: r.url.endswith("/api/v1/checkins") and r.request.method == "POST") as answer:
        page.get_by_role("button", name="Einchecken").click()
        expect(page.get_by_role("heading", name=NOTICED)).to_be_visible()
    assert answer.value.status == 201, answer.value.text()
    return answer.value.json()["visit"]


def outlasts_the_idle_time(page: Page) -> None:
    """The idle clock ran out (#kiosk data-idle="held") and the confirmation is still there."""
    expect(page.locator("#kiosk")).to_have_attribute("data-idle", "held")
    expect(page.locator("#screen-confirm")).to_be_visible()


def acknowledge_on(board: Page, visit_id) -> None:
    board_card = card(board, visit_id)
    board_card.get_by_role("button", name="I've seen it").click()
    expect(board_card).to_have_attribute("data-status", "acknowledged")


@pytest.mark.docs_screenshots
def test_with_no_board_open_the_kiosk_says_the_team_is_called_and_stays_until_someone_comes(
        browser, live_server, tablet, artifacts):
    visit = check_in(tablet, "Geduldige Greta")
    assert visit["alerted"] == "team"  # nobody present: the team (and soon the managers) are alerted at once
    status = tablet.locator("#status-line")
    expect(status).to_have_text(TAKE_A_SEAT)
    expect(status).to_have_attribute("data-alerted", "team")
    outlasts_the_idle_time(tablet)
    expect(status).to_have_text(TAKE_A_SEAT)
    shot(tablet, artifacts, "kiosk-team-called", docs="kiosk-team-called.png")

    # Anna opens her board later and acknowledges: the tablet says so at once, without a reload.
    person, context = open_board(browser, live_server, live_server.hosts[0])
    try:
        acknowledge_on(person.page, visit["id"])
        expect(status).to_have_text("Anna kommt gleich zu Ihnen.")
        expect(status).to_have_attribute("data-state", "coming")
        shot(tablet, artifacts, "kiosk-acknowledged", docs="kiosk-acknowledged.png")
        # Now that someone is coming, the idle time takes the kiosk back to its welcome screen.
        expect(tablet.get_by_role("heading", name="Willkommen!")).to_be_visible()
    finally:
        context.close()


@pytest.mark.docs_screenshots
def test_the_kiosk_names_the_host_only_once_her_board_confirmed_the_alert(live_server, tablet, anna_board, artifacts):
    visit = check_in(tablet, "Hanna Hoffnung")
    assert visit["host"]["name"] == "Anna"
    status = tablet.locator("#status-line")
    expect(status).to_have_text("Wir sagen Anna Bescheid.")
    expect(status).to_have_attribute("data-alerted", "host")
    # "Follow on your phone": the server's QR image, read from the screen as a phone's camera
    # would (zxing-cpp on Chromium's pixels), is this visit's status link on this server
    follow = tablet.locator("#follow-on-phone")
    expect(follow).to_be_visible()
    image = follow.locator("img")
    assert image.get_attribute("src").endswith(f"/kiosk/qr/{visit['id']}.svg")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert visit["status_url"].startswith("/v/")
    assert decoded_on_screen(image) == [live_server.url + visit["status_url"]]
    shot(tablet, artifacts, "kiosk-host-alerted", docs="kiosk-host-alerted.png")
    acknowledge_on(anna_board, visit["id"])
    expect(status).to_have_text("Anna kommt gleich zu Ihnen.")


@pytest.mark.docs_screenshots
def test_help_says_the_team_was_called_until_someone_acknowledges_then_who(tablet, anna_board, artifacts):
    with tablet.expect_response(lambda r: r.url.endswith("/api/v1/checkins")) as answer:
        tablet.get_by_role("button", name="Bitte helfen Sie mir").tap()
    visit = answer.value.json()["visit"]
    heading = tablet.locator("#confirm-title")
    expect(heading).to_have_text(CALLED_THE_TEAM)
    expect(tablet.locator("#status-line")).to_have_text(TAKE_A_SEAT)
    outlasts_the_idle_time(tablet)
    expect(heading).to_have_text(CALLED_THE_TEAM)
    shot(tablet, artifacts, "kiosk-help-called", docs="kiosk-help-called.png")
    acknowledge_on(anna_board, visit["id"])
    expect(tablet.locator("#status-line")).to_have_text("Anna kommt gleich zu Ihnen.")
    expect(heading).to_have_text(NOTICED)
    shot(tablet, artifacts, "kiosk-help-acknowledged")


def test_the_next_guest_starts_over_from_the_confirmation_with_one_tap(tablet, artifacts):
    check_in(tablet, "Erika Erste")
    outlasts_the_idle_time(tablet)  # she sat down to wait; the next guest walks up to the same screen
    assert "Erika" not in tablet.locator("#screen-confirm").inner_text()
    tablet.get_by_role("button", name="Neuer Check-in").tap()
    expect(tablet.get_by_role("heading", name="Willkommen!")).to_be_visible()
    expect(tablet.get_by_label("Ihr Name")).to_have_value("")
    assert "Erika" not in tablet.locator("body").inner_text()
    assert "Erika" not in tablet.content()
    shot(tablet, artifacts, "kiosk-next-guest")


def test_a_guest_who_ticks_text_me_gets_one_text_when_anna_acknowledges(
        live_server, tablet, anna_board, receiver, artifacts):
    manager = live_server.manager["token"]
    sms = live_server.call("PUT", "/sms-channel", manager, json={"url": apprise_json_url(receiver, "sms")})
    assert sms.status_code == 200, sms.text
    try:
        tablet.reload()  # the kiosk offers the text message once the site can send one
        tablet.get_by_label("Ihr Name").fill("Tina Text")
        tablet.get_by_label("Telefon oder E-Mail").fill("0171 9876543")
        tablet.get_by_label("Per SMS Bescheid geben, wenn jemand kommt").check()
        shot(tablet, artifacts, "kiosk-text-me")
        with tablet.expect_request(lambda r: r.url.endswith("/api/v1/checkins")) as sent:
            tablet.get_by_role("button", name="Einchecken").click()
        assert sent.value.post_data_json["text_me"] is True
        visit = sent.value.response().json()["visit"]
        acknowledge_on(anna_board, visit["id"])
        expect(tablet.locator("#status-line")).to_have_text("Anna kommt gleich zu Ihnen.")
        wait_until(lambda: receiver.requests, message="the text message reaching the gateway")
        assert [json.loads(r["body"])["message"] for r in receiver.requests] == ["Anna kommt jetzt zu Ihnen – main"]
    finally:
        live_server.call("DELETE", "/sms-channel", manager)
