"""pa11y with HTML_CodeSniffer (WCAG 2 AA) beside the axe-core audits (issue #16): the main
pages and their states, each as its person sees it, at zero issues.

Playwright signs each person in (the kiosk tablet, a host, the manager) and hands their
session's cookies to pa11y, which loads each page in Debian's Chromium and reaches a state
with its actions. One live server and one pa11y run (one Chromium) for the module.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import DESK, SITE_ZONE, TABLET, enter_kiosk_token, sign_in_board
from tests.support.live_server import LiveServer
from tests.support.pa11y import pa11y_issues, page

PHONE = {"width": 390, "height": 844}
KIOSK_READY = "wait for element #kiosk:not([aria-busy]) to be added"
# The settings page's reset buttons submit the separate #reset-form through their form="…"
# attribute (inside the main form, Enter must still save, not reset); HTML_CodeSniffer does not
# follow form="…" and finds that form without a submit button.
FORM_ATTRIBUTE_UNSEEN = "WCAG2AA.Principle3.Guideline3_2.3_2_2.H32.2"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("pa11y"), extra_config='kiosk_languages = ["de", "en", "tr", "ar"]\n')
    server.start()
    yield server
    server.stop()


def cookies_of(browser, live_server, sign_in, **options) -> list[dict]:
    context = browser.new_context(timezone_id=SITE_ZONE, **options)
    try:
        sign_in(context.new_page())
        return context.cookies()
    finally:
        context.close()


def kiosk_pages(browser, live_server) -> list[dict]:
    def sign_in(tab):
        tab.goto(f"{live_server.url}/kiosk/setup")
        enter_kiosk_token(tab, live_server.kiosk["token"])

    tablet = cookies_of(browser, live_server, sign_in, viewport=TABLET, locale="de-DE")
    kiosk = f"{live_server.url}/kiosk"
    return [
        page("kiosk setup", f"{live_server.url}/kiosk/setup", locale="de", viewport=TABLET),
        page("kiosk (de)", kiosk, cookies=tablet, locale="de", viewport=TABLET, actions=[KIOSK_READY]),
        page("kiosk (ar, right to left)", kiosk, cookies=tablet, locale="de", viewport=TABLET, actions=[
            KIOSK_READY, 'click element .lang-button[data-lang="ar"]', 'wait for element html[dir="rtl"] to be added']),
        page("kiosk privacy", kiosk, cookies=tablet, locale="de", viewport=TABLET, actions=[
            KIOSK_READY, "click element #privacy-open", "wait for element #privacy-dialog to be visible"]),
        page("kiosk confirm", kiosk, cookies=tablet, locale="de", viewport=TABLET, actions=[
            KIOSK_READY, "set field #name to Amira Haddad", "click element #checkin-button",
            "wait for element #screen-confirm to be visible"]),
    ]


def board_pages(browser, live_server) -> list[dict]:
    host = cookies_of(browser, live_server, lambda tab: (tab.goto(f"{live_server.url}/board/login"),
                                                        sign_in_board(tab, live_server.hosts[0])),
                      viewport=DESK, locale="en-GB")
    live_server.close_open_visits()
    for name in ("Jonas Weber", "Amira Haddad"):
        assert live_server.check_in(name).status_code == 201
    board = f"{live_server.url}/board"
    return [
        page("board sign-in", f"{live_server.url}/board/login"),
        page("board start", board, cookies=host),
        page("board with alerts", board, cookies=host, actions=[
            "click element #start-button", "wait for element .card to be visible"]),
        page("board on a phone", board, cookies=host, viewport=PHONE, actions=[
            "click element #start-button", "wait for element .card to be visible"]),
    ]


def manager_pages(browser, live_server) -> list[dict]:
    def sign_in(tab):
        tab.goto(f"{live_server.url}/stats/login")
        tab.get_by_label("Manager token").fill(live_server.manager["token"])
        tab.get_by_role("button", name="Sign in").click()
        expect(tab).to_have_url(re.compile(r"/stats$"))

    manager = cookies_of(browser, live_server, sign_in, viewport=DESK, locale="en-GB")
    url = live_server.url
    return [
        page("manager sign-in", f"{url}/admin/login"),
        page("stats", f"{url}/stats", cookies=manager,
             actions=['wait for element #charts[data-ready="true"] to be added']),
        page("stats live", f"{url}/stats/live", cookies=manager,
             actions=['wait for element #conn[data-state="live"] to be added']),
        *[page(f"admin {name}", f"{url}/admin/{name}", cookies=manager)
          for name in ("team", "kiosks", "brand", "webhooks", "audit")],
        page("admin settings", f"{url}/admin/settings", cookies=manager, ignore=[FORM_ATTRIBUTE_UNSEEN]),
    ]


def other_pages(live_server) -> list[dict]:
    status_url = live_server.check_in("Lina Status").json()["visit"]["status_url"]
    return [
        page("start page", f"{live_server.url}/"),
        page("customer status (phone)", live_server.url + status_url, viewport=PHONE, locale="de"),
        page("operator sign-in", f"{live_server.url}/operator/login"),
    ]


def test_pa11y_finds_no_issue_on_any_page(browser, live_server, tmp_path):
    pages = [*kiosk_pages(browser, live_server), *board_pages(browser, live_server),
             *manager_pages(browser, live_server), *other_pages(live_server)]
    found = pa11y_issues(pages, tmp_path)
    assert set(found) == {item["name"] for item in pages}
    assert {name: issues for name, issues in found.items() if issues} == {}
