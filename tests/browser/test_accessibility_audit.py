"""Accessibility audit with axe-core in Chromium (issue #7), and the README's pictures.

axe-core comes from the npm registry (package.json pins it). It is loaded from the
app's own `/vendor/axe.min.js` when the server has that route, else evaluated into the
page straight from node_modules (a DevTools evaluation, so the strict CSP stays on).
Every page must have zero serious or critical violations; the counts per page and
severity are printed.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import (
    DESK,
    SITE_ZONE,
    TABLET,
    audit,
    axe_version,
    enter_kiosk_token,
    shot,
    sign_in_board,
    start_alerts,
)


@pytest.fixture(scope="module")
def results():
    found = {}
    yield found
    print("\naxe-core", axe_version())


@pytest.mark.docs_screenshots
def test_kiosk_pages_have_no_serious_violations(browser, live_server, results, artifacts):
    context = browser.new_context(viewport=TABLET, has_touch=True, locale="de-DE", timezone_id=SITE_ZONE)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/kiosk/setup")
        bad = audit(page, live_server.url, "kiosk setup", results)
        enter_kiosk_token(page, live_server.kiosk["token"])
        expect(page.locator("#kiosk")).not_to_have_attribute("aria-busy", "true")
        bad += audit(page, live_server.url, "kiosk (de)", results)
        shot(page, artifacts, "kiosk-de", docs="kiosk-de.png")
        page.locator('.lang-button[data-lang="tr"]').tap()
        expect(page.get_by_role("heading", name="Hoş geldiniz!")).to_be_visible()
        bad += audit(page, live_server.url, "kiosk (tr)", results)
        shot(page, artifacts, "kiosk-tr", docs="kiosk-tr.png")
        page.locator('.lang-button[data-lang="en"]').tap()
        expect(page.get_by_role("heading", name="Welcome!")).to_be_visible()
        page.set_viewport_size({"width": 1280, "height": 800})
        shot(page, artifacts, "kiosk-en", docs="kiosk-en.png")
        page.get_by_role("button", name="Privacy", exact=True).tap()
        bad += audit(page, live_server.url, "kiosk privacy", results)
        page.keyboard.press("Escape")
        expect(page.get_by_role("dialog")).to_be_hidden()  # closed before the next tap, or the tap lands on it
        page.get_by_label("Your name").fill("Amira Haddad")
        page.get_by_role("button", name="Check in", exact=True).tap()
        expect(page.get_by_role("heading", name="We noticed you're here. We're glad you're here.")).to_be_visible()
        bad += audit(page, live_server.url, "kiosk confirm", results)
        assert bad == [], bad
    finally:
        context.close()


@pytest.mark.docs_screenshots
def test_board_pages_have_no_serious_violations(browser, live_server, results, artifacts):
    context = browser.new_context(viewport=DESK, locale="en-GB", timezone_id=SITE_ZONE)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/board/login")
        bad = audit(page, live_server.url, "board sign-in", results)
        page.get_by_label("Site code").fill("main")
        page.get_by_role("button", name="Show my team").click()
        bad += audit(page, live_server.url, "board sign-in, the site's team", results)
        sign_in_board(page, live_server.hosts[0])
        bad += audit(page, live_server.url, "board start", results)
        start_alerts(page)
        live_server.close_open_visits()  # the same three cards whichever test ran before
        for name, fields in (("Amira Haddad", {"language": "en"}), ("Jonas Weber", {}), ("", {"help": True})):
            assert live_server.check_in(name, **fields).status_code == 201
        expect(page.locator(".card")).to_have_count(3)
        bad += audit(page, live_server.url, "board", results)
        # docs/board.png (desktop) comes from test_one_host.py
        page.set_viewport_size({"width": 390, "height": 844})
        shot(page, artifacts, "board-phone", docs="board-phone.png")
        page.set_viewport_size({"width": 1100, "height": 900})
        assert bad == [], bad
    finally:
        context.close()


def test_stats_pages_have_no_serious_violations(browser, live_server, results):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", timezone_id=SITE_ZONE)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/stats/login")
        bad = audit(page, live_server.url, "stats sign-in", results)
        page.get_by_label("Manager token").fill(live_server.manager["token"])
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(re.compile(r"/stats$"))
        expect(page.locator("#charts")).to_have_attribute("data-ready", "true")
        bad += audit(page, live_server.url, "stats", results)
        page.goto(f"{live_server.url}/stats/live")
        expect(page.locator("#conn")).to_have_attribute("data-state", "live")
        bad += audit(page, live_server.url, "stats live", results)
        page.goto(f"{live_server.url}/stats/digest")
        bad += audit(page, live_server.url, "weekly digest", results)
        page.goto(f"{live_server.url}/stats/digest/email")  # its chart drawn by the serving process, off its loop
        expect(page.locator("img")).to_have_js_property("naturalWidth", 560)
        assert bad == [], bad
    finally:
        context.close()
