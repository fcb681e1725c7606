""""Send a test digest now" on /stats/digest in a real browser against a real `serve`: the test
digest reaches a real SMTP server (aiosmtpd) as HTML and plain text, marked as a test; a channel
whose receiver is slow shows "on its way" and then, without a reload, "delivered"; a channel
nobody listens on shows that it failed and why; a second press within the minute is refused
next to the button; no channel URL's secret is ever on the page."""

from __future__ import annotations

import threading

import pytest
from playwright.sync_api import expect

from tests.support.browser import DESK, audit, no_errors, sign_in_manager, watch
from tests.support.live_server import LiveServer, free_port
from tests.support.polling import wait_until
from tests.support.receivers import apprise_json_url, serving_mail


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("digest-test"), "notify_allow_private_addresses = true\n")
    server.start()
    yield server
    server.stop()


def add_channel(page, url: str, label: str):
    """Add a digest channel by the page's form; the channel's line on the page that follows."""
    page.get_by_label("Channel URL").fill(url)
    page.get_by_label("Label (optional)").fill(label)
    page.locator("#digest-add-channel").get_by_role("button").click()
    line = page.locator("#digest-channels li", has_text=label)
    expect(line).to_be_visible()
    return line


def result_of(line):
    return line.locator(".digest-test-result")


def test_a_manager_sends_a_test_digest_per_channel_and_sees_what_became_of_each(browser, server, receiver):
    context = browser.new_context(viewport=DESK, locale="en-GB")
    try:
        person = watch(context.new_page())
        page = person.page
        sign_in_manager(page, server)
        page.goto(f"{server.url}/stats/digest")
        with serving_mail() as mail:
            inbox = add_channel(page, mail.url("maria@example.org"), "Work mail")
            inbox.get_by_role("button", name="Send a test digest now").click()
            expect(result_of(inbox)).to_have_attribute("data-state", "delivered")
            expect(result_of(inbox)).to_contain_text("delivered (")
            wait_until(lambda: mail.messages, message="the test digest reaching the mail server")
            (message,) = mail.messages
        assert message["Subject"].startswith("Test: Letzte Woche in main: ")  # in Maria's language, the site's German
        parts = {part.get_content_type(): part for part in message.walk() if not part.is_multipart()}
        assert {"text/plain", "text/html"} <= set(parts)
        assert parts["text/plain"].get_content().splitlines()[0] == message["Subject"]
        assert f"<h1 style=\"font-size:20px;margin:0 0 4px\">{message['Subject']}</h1>" in parts[
            "text/html"].get_content()

        receiver.hold = threading.Event()
        chat = add_channel(page, apprise_json_url(receiver, "digest") + "?+X-Token=s3cretChatToken", "Team chat")
        chat.get_by_role("button", name="Send a test digest now").click()
        expect(result_of(chat)).to_have_attribute("data-state", "sending")
        expect(result_of(chat)).to_contain_text("on its way")
        page.evaluate("window.stayedOnThePage = true")  # the page after POST → 303 → GET
        wait_until(lambda: receiver.requests, message="the test digest reaching the chat receiver")
        receiver.hold.set()
        expect(result_of(chat)).to_have_attribute("data-state", "delivered")  # redrawn by the page's script
        assert page.evaluate("window.stayedOnThePage") is True

        nobody = add_channel(page, f"json://127.0.0.1:{free_port()}/digest", "Nobody listens")
        nobody.get_by_role("button", name="Send a test digest now").click()
        expect(result_of(nobody)).to_have_attribute("data-state", "failed")
        expect(result_of(nobody)).to_contain_text("failed: A Connection error occurred sending JSON notification")

        nobody.get_by_role("button", name="Send a test digest now").click()
        expect(nobody.locator(".field-error")).to_contain_text("One test digest per channel a minute")
        assert "s3cretChatToken" not in page.content() and "s3cret-Mail-pw" not in page.content()
        results = {}
        assert audit(page, server.url, "digest tests", results) == [], results["digest tests"]
        no_errors(person)
    finally:
        context.close()
