"""Reaching a host away from the board, in Chromium (issue 14): the board's "How should we reach
you?" panel adds a json:// channel to a receiver of the test's own on loopback, lists it masked,
tests and removes it; "Test my alert" rings the board and shows, device by device and channel by
channel, what happened: the board's sound played, one channel delivered, one failed and why; the
manager's team page shows who cannot be reached and adds a channel for a host."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import DESK, audit, no_errors, open_board, shot, sign_in_manager, watch
from tests.support.live_server import LiveServer, free_port
from tests.support.polling import wait_until
from tests.support.receivers import apprise_json_url

HEADER_SECRET = "tok3nForTheDesk"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("reach"), extra_config="notify_allow_private_addresses = true\n")
    server.start()
    yield server
    server.stop()


def test_a_host_adds_tests_and_removes_a_channel_on_the_board(browser, server, receiver):
    person, context = open_board(browser, server, server.hosts[0])
    try:
        page = person.page
        panel = page.locator("#reach")
        expect(panel.get_by_role("heading", name="How should we reach you?")).to_be_visible()
        expect(page.locator("#reach-empty")).to_be_visible()
        panel.get_by_text("Add a channel").click()
        expect(panel.get_by_text("mailtos://user:password@smtp.example.org?to=you@example.org")).to_be_visible()
        expect(panel.get_by_text("ntfys://ntfy.example.org/your-secret-topic", exact=True)).to_be_visible()

        # A URL no channel understands: the server's reason, next to the field
        page.get_by_label("Channel URL").fill("nosuchservice://example.org/x")
        page.get_by_role("button", name="Add channel").click()
        expect(page.locator("#reach-url-error")).to_contain_text("No channel of this server understands")
        expect(page.get_by_label("Channel URL")).to_have_attribute("aria-invalid", "true")

        url = f"{apprise_json_url(receiver)}?+X-Token={HEADER_SECRET}"
        page.get_by_label("Channel URL").fill(url)
        page.get_by_label("Label").fill("Desk webhook")
        page.get_by_label("When").select_option("always")
        page.get_by_role("button", name="Add channel").click()
        item = page.locator(".reach-item")
        expect(item).to_have_count(1)
        expect(item).to_contain_text("Desk webhook")
        expect(item).to_contain_text("always")
        expect(item.locator(".reach-url")).to_contain_text(f"json://127.0.0.1:{receiver.port}/notify")
        expect(item.locator(".reach-url")).to_contain_text("****")
        assert HEADER_SECRET not in page.content()
        expect(page.locator("#reach-url-error")).to_be_hidden()
        expect(page.get_by_label("Channel URL")).not_to_have_attribute("aria-invalid", "true")

        item.get_by_role("button", name="Test Desk webhook").click()
        expect(item.locator(".reach-last")).to_contain_text("last message delivered")
        wait_until(lambda: receiver.requests, message="the test message at the receiver")
        assert receiver.requests[0]["headers"]["X-Token"] == HEADER_SECRET

        page.get_by_role("button", name="Remove Desk webhook").click()
        expect(page.locator(".reach-item")).to_have_count(0)
        expect(page.locator("#reach-empty")).to_be_visible()
        assert server.call("GET", "/channels", server.hosts[0]["token"]).json()["channels"] == []
        no_errors(person)
    finally:
        context.close()


@pytest.mark.docs_screenshots
def test_the_drill_shows_the_board_a_working_and_a_failing_channel(browser, server, receiver, artifacts):
    ben = server.hosts[1]
    for label, url in (("Phone (ntfy stand-in)", apprise_json_url(receiver, "drill")),
                       ("Old mail relay", f"json://127.0.0.1:{free_port()}/gone")):
        made = server.call("POST", "/channels", ben["token"], json={"url": url, "label": label})
        assert made.status_code == 201, made.text
    person, context = open_board(browser, server, ben, permissions=["notifications"])
    try:
        page = person.page
        page.get_by_role("button", name="Test my alert").click()
        expect(page.locator("#drill-banner")).to_contain_text("Test alert")
        result = page.locator("#drill-result")
        expect(result).to_have_attribute("data-reached", "true")
        expect(result.locator(".drill-summary")).to_contain_text("but 1 did not work")
        board = result.locator(".drill-group", has_text="Boards").locator(".drill-line")
        expect(board).to_have_count(1)
        expect(board).to_contain_text("Board 1 (Chrome")
        expect(board).to_contain_text("shown, sound played")
        channels = result.locator(".drill-group", has_text="Channels").locator(".drill-line")
        expect(channels).to_have_count(2)
        expect(channels.filter(has_text="Phone (ntfy stand-in)")).to_contain_text("delivered")
        failing = channels.filter(has_text="Old mail relay")
        expect(failing).to_have_attribute("data-result", "failed")
        expect(failing).to_contain_text("failed: A Connection error occurred")
        assert len(receiver.requests) == 1 and receiver.requests[0]["path"] == "/drill"
        # The list below shows the same: each channel's last delivery is the drill's
        expect(page.locator('.reach-item[data-ok="false"]')).to_contain_text("Old mail relay")
        expect(page.locator('.reach-item[data-ok="true"]')).to_contain_text("Phone (ntfy stand-in)")
        page.evaluate("() => { document.getElementById('reach').scrollIntoView(); window.scrollBy(0, -90); }")
        shot(page, artifacts, "board-drill", docs="board-drill.png")
        page.locator("#reach").get_by_text("Add a channel").click()
        violations = {}
        audit(page, server.url, "board drill", violations)
        assert violations["board drill"] == [], violations  # the panel, its form and the result: none at all
        no_errors(person)
    finally:
        context.close()


def test_a_manager_sees_who_can_be_reached_and_adds_a_channel_for_a_host(browser, server, receiver, artifacts):
    clara = server.hosts[2]
    made = server.call("POST", "/channels", clara["token"], json={"url": f"json://127.0.0.1:{free_port()}/old"})
    assert made.status_code == 201
    assert server.call("POST", "/drills", clara["token"], json={}).json()["drill"]["reached"] is False
    context = browser.new_context(viewport=DESK, locale="en-GB")
    try:
        person = watch(context.new_page())
        page = person.page
        sign_in_manager(page, server)
        page.goto(f"{server.url}/admin/team")
        row = page.locator(f'tr[data-reach-host-id="{clara["id"]}"]')
        expect(row).to_have_attribute("data-reachable", "false")
        expect(row.locator(".reach-now")).to_contain_text("Not reachable")
        expect(row.locator(".reach-channels")).to_contain_text("failed")
        expect(row.locator(".reach-drill")).to_contain_text("reached nothing")
        expect(row.locator(".reach-warnings")).to_contain_text("no working channel")

        form = page.locator("#add-channel")
        form.get_by_label("Host").select_option(label=clara["name"])
        form.get_by_label("Channel URL").fill("nosuchservice://example.org/x")
        form.get_by_role("button", name="Add channel").click()
        expect(page.locator("#channel-url-error")).to_contain_text("No channel of this server understands")
        expect(page.locator("#add-channel").get_by_label("Channel URL")).to_have_attribute("aria-invalid", "true")
        page.locator("#add-channel").get_by_label("Channel URL").fill(apprise_json_url(receiver, "clara"))
        page.locator("#add-channel").get_by_label("Label").fill("Clara's phone")
        page.locator("#add-channel").get_by_role("button", name="Add channel").click()
        expect(page.locator("#channel-notice")).to_contain_text("The channel is added")
        expect(page.locator(f'tr[data-reach-host-id="{clara["id"]}"] .reach-channel')).to_have_count(2)
        expect(row.locator(".reach-channels")).to_contain_text("Clara's phone")
        violations = {}
        audit(page, server.url, "team, reachable", violations)
        assert violations["team, reachable"] == [], violations
        page.locator("#reach").scroll_into_view_if_needed()
        shot(page, artifacts, "admin-team-reach")
        no_errors(person)
    finally:
        context.close()
