"""Webhooks in a real browser (issue #8): a manager registers an endpoint on /admin/webhooks,
sends a test event, and watches the delivery log: the receiver (a small server of the
test's own on loopback) first answers 500, the delivery is retried ten seconds later and
arrives, signed with the secret the page showed once.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.support.browser import DESK, no_errors, shot, sign_in_manager, watch
from tests.support.live_server import LiveServer
from tests.support.receivers import receiver_checks


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("webhooks"), extra_config="webhooks_allow_http_loopback = true\n")
    server.start()
    yield server
    server.stop()


@pytest.mark.docs_screenshots
def test_a_manager_registers_a_webhook_and_sees_the_retried_delivery(browser, server, receiver, artifacts):
    receiver.statuses = [500]
    context = browser.new_context(viewport=DESK, locale="en-GB")
    try:
        person = watch(context.new_page())
        page = person.page
        sign_in_manager(page, server)
        page.goto(f"{server.url}/admin/webhooks")
        expect(page.get_by_role("heading", name="Webhooks", exact=True)).to_be_visible()

        # A plain http:// URL elsewhere is refused next to the field, and what was typed stays.
        page.get_by_label("Receiver URL").fill("http://crm.example/hook")
        page.get_by_role("button", name="Register webhook").click()
        expect(page.locator("#url-error")).to_contain_text("https://")
        expect(page.get_by_label("Receiver URL")).to_have_attribute("aria-invalid", "true")
        expect(page.get_by_label("Receiver URL")).to_have_value("http://crm.example/hook")

        page.get_by_label("Receiver URL").fill(receiver.url)
        page.get_by_label("visit.escalated").uncheck()
        page.get_by_role("button", name="Register webhook").click()
        expect(page.locator("#new-secret")).to_contain_text("Shown only this once")
        secret = page.locator("#new-secret-value").inner_text().strip()
        assert secret.startswith("whsec_")

        endpoint = page.locator("section.webhook")
        expect(endpoint).to_have_count(1)
        expect(endpoint.get_by_role("heading")).to_have_text(receiver.url)
        endpoint.get_by_role("button", name="Send test event").click()
        expect(page.locator("#webhook-notice")).to_contain_text("test event is on its way")
        expect(page.locator("#new-secret")).to_have_count(0)  # the secret is not shown again

        row = page.locator("section.webhook tbody tr", has_text="webhook.test")
        expect(row).to_have_count(1)
        # The first attempt meets the 500; the log says so and when it tries again.
        expect(row.locator("li[data-status-code='500']")).to_contain_text("HTTP 500", timeout=15_000)
        expect(row).to_have_attribute("data-status", "pending")
        # Ten seconds later the retry gets through, without reloading the page.
        expect(row.locator("li[data-status-code='200']")).to_contain_text("HTTP 200", timeout=30_000)
        expect(row.locator(".delivery-status")).to_have_text("Delivered")
        shot(page, artifacts, "admin-webhooks", docs="admin-webhooks.png", full_page=True)

        assert len(receiver.requests) == 2
        for request in receiver.requests:
            payload = receiver_checks(secret, request, now=time.time())
            assert payload["event"] == "webhook.test" and request["headers"]["X-Gastgeber-Event"] == "webhook.test"
        assert receiver.requests[1]["at"] - receiver.requests[0]["at"] >= 9.5
        no_errors(person)
    finally:
        context.close()
