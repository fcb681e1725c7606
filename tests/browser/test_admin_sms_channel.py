"""The site's SMS gateway on /admin/settings in a real browser: a refused URL is said next to the
field, a saved one is shown masked, a test reaches the gateway (a loopback receiver standing in,
through Apprise's json://), and the section has no serious accessibility fault in each state."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.support.browser import DESK, audit, no_errors, sign_in_manager, watch
from tests.support.live_server import LiveServer
from tests.support.polling import wait_until
from tests.support.receivers import apprise_json_url


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("sms-channel"), "notify_allow_private_addresses = true\n")
    server.start()
    yield server
    server.stop()


def accessible(page, server, name):
    results = {}
    assert audit(page, server.url, name, results) == [], results[name]


def test_a_manager_sets_tests_and_removes_the_sms_gateway(browser, server, receiver, artifacts):
    context = browser.new_context(viewport=DESK, locale="en-GB")
    try:
        person = watch(context.new_page())
        page = person.page
        sign_in_manager(page, server)
        page.goto(f"{server.url}/admin/settings#sms-channel")
        section = page.locator("#sms-channel")
        expect(section.get_by_role("heading", name="Text messages to guests (SMS)")).to_be_visible()
        expect(page.locator("#sms-channel-none")).to_be_visible()
        url_field = page.get_by_label("SMS gateway URL (Apprise)")

        url_field.fill("nosuch://gateway.example/sms")
        page.get_by_role("button", name="Save the SMS gateway").click()
        expect(page.locator("#sms_url-error")).to_contain_text("No channel of this server understands this URL")
        expect(url_field).to_have_attribute("aria-invalid", "true")
        expect(url_field).to_have_value("nosuch://gateway.example/sms")
        accessible(page, server, "sms refused")

        gateway = apprise_json_url(receiver, "sms") + "?+X-Api-Key=s3cretGatewayKey"
        url_field.fill(gateway)
        page.get_by_role("button", name="Save the SMS gateway").click()
        expect(page.locator("#sms-channel-done")).to_contain_text("The SMS gateway is saved")
        expect(page.locator("#sms-channel-url")).to_contain_text("json://")
        expect(url_field).to_have_value("")
        assert "s3cretGatewayKey" not in page.content()

        page.get_by_label("Your phone number").fill("0171 2345678")
        page.get_by_role("button", name="Send a test message").click()
        expect(page.locator("#sms-channel-done")).to_contain_text("The test message was sent")
        expect(page.locator("#sms-channel-last")).to_have_attribute("data-ok", "true")
        wait_until(lambda: receiver.requests, message="the test message reaching the gateway")
        assert json.loads(receiver.requests[0]["body"])["message"].startswith("Test from main")
        assert receiver.requests[0]["headers"]["X-Api-Key"] == "s3cretGatewayKey"
        assert "2345678" not in page.content()
        accessible(page, server, "sms saved")
        section.screenshot(path=str(artifacts / "admin-sms-channel.png"), animations="disabled")

        page.get_by_role("button", name="Remove the SMS gateway").click()
        expect(page.locator("#sms-channel-done")).to_contain_text("The SMS gateway is removed")
        expect(page.locator("#sms-channel")).to_have_attribute("data-configured", "false")
        no_errors(person)
    finally:
        context.close()
