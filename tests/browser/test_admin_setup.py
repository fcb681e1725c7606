"""First run and the site's settings in a real browser (issue #8).

A real `gastgeber serve` on a database without any manager prints a one-time setup
code in its log. In Chromium the operator opens the server, is led to /setup,
names the site and becomes its first manager; then, on /admin/settings, they shorten
the time after which an unacknowledged guest is escalated to the team, and a
check-in right afterwards escalates after that new time (not the config file's 30 s).
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from kiosk.clock import seconds_between
from tests.support.browser import DESK, no_errors, shot, watch
from tests.support.live_server import Board, LiveServer
from tests.support.polling import wait_until

SETUP_CODE = re.compile(r"setup code ([A-Z0-9]{4}-[A-Z0-9]{4})")


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory):
    """`gastgeber serve` on a database made with plain `gastgeber init`: no site, no manager."""
    server = LiveServer(tmp_path_factory.mktemp("first-run"), demo=False)
    server.start()
    yield server
    server.stop()


def setup_code(server: LiveServer) -> str:
    """The one-time setup code the server printed in its log (another process writes it)."""
    found = wait_until(lambda: SETUP_CODE.search(server.log_path.read_text()),
                       message=lambda: f"a setup code in the server's log:\n{server.log_path.read_text()}")
    return found.group(1)


@pytest.mark.docs_screenshots
def test_first_run_setup_then_a_shorter_escalation_time_takes_effect_at_once(browser, fresh_server, artifacts):
    code = setup_code(fresh_server)
    assert f"{fresh_server.url}/setup" in fresh_server.log_path.read_text()  # the URL to open, with the code
    context = browser.new_context(viewport=DESK, timezone_id="Europe/Berlin")
    try:
        page = context.new_page()
        person = watch(page)
        page.goto(f"{fresh_server.url}/")
        expect(page).to_have_url(f"{fresh_server.url}/setup")
        expect(page.get_by_role("heading", name="Set up Gastgeber")).to_be_visible()

        page.get_by_label("Setup code").fill(code)
        page.get_by_label("Site name").fill("Main-Street")
        page.get_by_label("Time zone").select_option("Europe/Vienna")
        page.get_by_label("Türkçe").uncheck()
        page.get_by_label("The kiosk starts in").select_option("en")
        page.get_by_label("Your name (the first manager)").fill("Selin")
        page.get_by_label("Your PIN (6 digits)").fill("482913")
        page.get_by_label("The PIN again").fill("482913")
        shot(page, artifacts, "admin-setup", docs="admin-setup.png", full_page=True)

        # a wrong code first: a clear message next to the field, and what was typed stays
        page.get_by_label("Setup code").fill("AAAA-AAAA")
        page.get_by_role("button", name="Set up and sign in").click()
        expect(page.locator("#code-error")).to_contain_text("not right, or it has expired")
        expect(page.get_by_label("Setup code")).to_have_attribute("aria-invalid", "true")
        expect(page.get_by_label("Site name")).to_have_value("Main-Street")
        expect(page.get_by_label("Time zone")).to_have_value("Europe/Vienna")
        expect(page.get_by_label("Türkçe")).not_to_be_checked()

        page.get_by_label("Setup code").fill(code.lower())  # typed as it comes: case does not matter
        page.get_by_label("Your PIN (6 digits)").fill("482913")
        page.get_by_label("The PIN again").fill("482913")
        page.get_by_role("button", name="Set up and sign in").click()
        expect(page).to_have_url(re.compile(r"/admin(/[a-z]+)?$"))
        expect(page.locator(".stats-manager")).to_have_text("Selin")

        # the setup page is gone, and the code is spent
        assert context.request.get(f"{fresh_server.url}/setup").status == 404

        # the team for the check-in: the same domain code as always, through the CLI
        host = json.loads(fresh_server.gastgeber("host", "add", "Anna", "--site", "Main-Street", "--json").stdout)
        fresh_server.kiosk = json.loads(fresh_server.gastgeber("kiosk", "add", "Door", "--site", "Main-Street",
                                                               "--json").stdout)

        page.goto(f"{fresh_server.url}/admin/settings")
        field = page.get_by_label("Alert the whole team after (seconds)", exact=True)
        expect(field).to_have_value("30")
        expect(page.locator("#escalate_after_seconds-source")).to_contain_text("In force: default")
        expect(page.locator("#timezone-source")).to_contain_text("changed here by Selin")
        field.fill("0")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.locator("#escalate_after_seconds-error")).to_contain_text("Enter a whole number from 1 to 3600")
        expect(field).to_have_attribute("aria-invalid", "true")
        field.fill("2")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.locator("#settings-saved")).to_have_text("Saved: 1 change.")
        expect(page.locator("#escalate_after_seconds-source")).to_contain_text("changed here by Selin")
        expect(page.get_by_label("Alert the whole team after (seconds)", exact=True)).to_have_value("2")
        no_errors(person)
    finally:
        context.close()

    # in force at once, without a restart: Anna's board is live and confirms the alert,
    # so only the new 2 s (not the config file's 30 s) can escalate the guest
    board = Board(fresh_server.url, host["token"])
    try:
        answer = fresh_server.check_in("Zoë Example")
        assert answer.status_code in (200, 201), answer.text
        visit = answer.json()["visit"]
        escalated = board.next("visit.escalated")
        assert escalated["visit"]["id"] == visit["id"] and escalated["reason"] == "timeout"
        waited = seconds_between(escalated["visit"]["arrived_at"], escalated["visit"]["escalated_at"])
        assert 2 <= waited < 5
    finally:
        board.close()
