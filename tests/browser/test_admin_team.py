"""The team page in Chromium: a manager adds a host, reads the PIN shown once, and that
host signs in on the board with it; the team page then shows them signed in.

Takes the screenshot docs/admin-team.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import (
    DESK,
    SITE_ZONE,
    no_errors,
    open_board,
    shot,
    sign_in_board,
    sign_in_manager,
    start_alerts,
    watch,
)


@pytest.mark.docs_screenshots
def test_a_manager_adds_a_host_who_then_signs_in_on_the_board(browser, live_server, artifacts):
    anna_person, anna_context = open_board(browser, live_server, live_server.hosts[0])
    manager_context = browser.new_context(viewport=DESK, locale="en-GB", timezone_id=SITE_ZONE)
    host_context = browser.new_context(viewport=DESK, locale="en-GB", timezone_id=SITE_ZONE)
    try:
        manager = watch(manager_context.new_page())
        page = manager.page
        sign_in_manager(page, live_server)
        page.goto(f"{live_server.url}/admin/team")
        expect(page.get_by_role("heading", name="Team", exact=True)).to_be_visible()
        anna_row = page.locator(f'tr[data-host-id="{live_server.hosts[0]["id"]}"]')
        expect(anna_row).to_contain_text("Available · signed in")

        # A name is required: said next to the field, and what was typed stays.
        page.get_by_label("Languages").fill("de, tr")
        page.get_by_role("button", name="Add host").click()
        expect(page.locator("#name-error")).to_be_visible()
        expect(page.get_by_label("Name", exact=True)).to_have_attribute("aria-invalid", "true")
        expect(page.get_by_label("Languages")).to_have_value("de, tr")

        page.get_by_label("Name", exact=True).fill("Dilara Yılmaz")
        page.get_by_label("Topics").fill("loans, insurance")
        page.get_by_label("Initials colour").select_option("violet")
        page.get_by_role("button", name="Add host").click()
        expect(page.locator("#new-pin")).to_contain_text("Dilara Yılmaz")
        pin = page.locator("#new-pin-value").inner_text().strip()
        assert re.fullmatch(r"\d{6}", pin)
        dilara_row = page.locator("#team-table tr", has_text="Dilara Yılmaz")
        expect(dilara_row).to_contain_text("de, tr")
        expect(dilara_row).to_contain_text("not signed in")

        # The new host signs in on the board with the PIN read from the page.
        host = watch(host_context.new_page())
        host.page.goto(f"{live_server.url}/board/login")
        sign_in_board(host.page, {"name": "Dilara Yılmaz", "pin": pin})
        start_alerts(host.page)
        expect(host.page.locator(".team-member[data-me='true']")).to_contain_text("Dilara Yılmaz")

        # The PIN was shown once: a reload of the team page shows who is signed in, not the PIN.
        page.goto(f"{live_server.url}/admin/team")
        expect(page.locator("#new-pin")).to_have_count(0)
        expect(page.locator("#team-table tr", has_text="Dilara Yılmaz")).to_contain_text("Available · signed in")
        assert pin not in page.content()
        shot(page, artifacts, "admin-team", docs="admin-team.png", full_page=True)
        no_errors(manager, host, anna_person)
    finally:
        for context in (manager_context, host_context, anna_context):
            context.close()
