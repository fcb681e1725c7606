"""In Chromium: the start page is the staff's styled front door, and the tablet's setup screen shows
pairing first with the kiosk token behind "Advanced"; axe finds nothing serious on either."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support.browser import DESK, SITE_ZONE, TABLET, audit


def test_the_start_page_is_a_styled_front_door_for_staff(browser, live_server):
    context = browser.new_context(viewport=DESK, locale="en-GB", timezone_id=SITE_ZONE)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/")
        expect(page.get_by_role("heading", name="Staff entrance", level=1)).to_be_visible()
        cards = page.locator(".start-card")
        expect(cards).to_have_count(3)
        assert cards.first.evaluate("card => getComputedStyle(card).backgroundColor") == "rgb(255, 255, 255)"
        side_by_side = cards.evaluate_all("cards => new Set(cards.map(card => card.getBoundingClientRect().top)).size")
        assert side_by_side == 1  # one row of cards at a desk, not a bare list in the corner
        page.get_by_role("link", name="Sign in with your name and PIN").first.click()
        expect(page).to_have_url(f"{live_server.url}/board/login")
        page.goto(f"{live_server.url}/")
        assert audit(page, live_server.url, "start page", {}) == []
    finally:
        context.close()


def test_the_tablet_setup_shows_pairing_and_hides_the_token_until_asked(browser, live_server):
    context = browser.new_context(viewport=TABLET, has_touch=True, locale="de-DE", timezone_id=SITE_ZONE)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/kiosk/setup")
        expect(page.get_by_label("Kopplungscode")).to_be_visible()
        expect(page.get_by_label("Kiosk-Token")).to_be_hidden()
        assert audit(page, live_server.url, "kiosk setup, pairing first", {}) == []
        page.get_by_text("Erweitert: mit einem Kiosk-Token einrichten").tap()
        expect(page.get_by_label("Kiosk-Token")).to_be_visible()
    finally:
        context.close()
