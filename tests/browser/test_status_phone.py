"""The customer's phone (390×844) follows their visit through the status link, live; the board hears back."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import SITE_ZONE, audit, card, no_errors, open_board, shot, watch

PHONE = {"width": 390, "height": 844}


def open_phone(browser, live_server, status_url: str):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, locale="en-GB",
                                  timezone_id=SITE_ZONE)
    person = watch(context.new_page())
    person.page.goto(live_server.url + status_url)
    expect(person.page.locator("#status-page")).to_have_attribute("data-live", "true")
    return person, context


def clean_audit(page, live_server, name, results):
    audit(page, live_server.url, name, results)
    assert results[name] == [], results[name]


@pytest.fixture(scope="module")
def results():
    return {}


@pytest.mark.docs_screenshots
def test_the_phone_follows_acknowledge_greet_complete_and_feedback_live(browser, live_server, results, artifacts):
    board, board_context = open_board(browser, live_server, live_server.hosts[0])
    try:
        visit = live_server.check_in("Zoë Example", language="en", phone="0171 2345678").json()["visit"]
        phone, phone_context = open_phone(browser, live_server, visit["status_url"])
        page = phone.page
        headline = page.locator("#status-headline")
        expect(headline).to_have_text("We've let Anna know you're here.")
        expect(page.locator("#status-ahead")).to_have_text("Nobody: you're next")
        expect(page.locator("#status-estimate")).to_have_text("We can't say yet")
        assert "Zoë" not in page.content() and "2345678" not in page.content()
        clean_audit(page, live_server, "status waiting", results)

        page.get_by_role("button", name="Back in 10 min").click()
        expect(page.locator("#status-away")).to_contain_text("We'll wait for you until")
        expect(card(board.page, visit["id"]).locator('[data-tag="away"]')).to_contain_text("Stepped out, back by")

        card(board.page, visit["id"]).get_by_role("button", name="I've seen it").click()
        expect(headline).to_have_text("Anna is coming.")
        clean_audit(page, live_server, "status acknowledged", results)
        shot(page, artifacts, "status-phone", docs="status-phone.png")

        card(board.page, visit["id"]).get_by_role("button", name="Greeted").click()
        expect(headline).to_have_text("Anna is looking after you.")
        expect(page.locator("#status-actions")).to_be_hidden()
        clean_audit(page, live_server, "status greeted", results)

        card(board.page, visit["id"]).get_by_role("button", name="Done").click()
        expect(headline).to_have_text("Thank you for your visit!")
        clean_audit(page, live_server, "status completed", results)
        page.get_by_role("button", name="Happy", exact=True).click()
        expect(page.locator("#status-feedback-done")).to_be_visible()
        clean_audit(page, live_server, "status feedback", results)
        stored = live_server.call("GET", f"/visits/{visit['id']}", live_server.hosts[0]["token"]).json()["visit"]
        assert stored["status"] == "completed"
        no_errors(phone, board)
        phone_context.close()
    finally:
        board_context.close()


def test_i_had_to_leave_takes_the_card_off_the_board_at_once(browser, live_server, results):
    board, board_context = open_board(browser, live_server, live_server.hosts[0])
    try:
        visit = live_server.check_in("Leaving Guest", language="de").json()["visit"]
        expect(card(board.page, visit["id"])).to_have_count(1)
        phone, phone_context = open_phone(browser, live_server, visit["status_url"])
        page = phone.page
        expect(page.locator("html")).to_have_attribute("lang", "de")
        page.get_by_role("button", name="Ich musste gehen").click()
        expect(page.locator("#status-headline")).to_have_text(
            "Ihr Check-in ist beendet. Wir hoffen, Sie bald wiederzusehen.")
        expect(card(board.page, visit["id"])).to_have_count(0, timeout=3000)
        clean_audit(page, live_server, "status left", results)
        stored = live_server.call("GET", f"/visits/{visit['id']}", live_server.hosts[0]["token"]).json()["visit"]
        assert stored["status"] == "abandoned" and stored["abandon_reason"] == "left_by_customer"
        no_errors(phone, board)
        phone_context.close()
    finally:
        board_context.close()
