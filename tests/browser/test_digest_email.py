"""The weekly digest as a mail client shows it: received by a real SMTP server (aiosmtpd), its
HTML part rendered in Chromium with the inline chart resolved (cid: → the PNG part), as a
mail client does. The picture is docs/digest.png."""

from __future__ import annotations

import base64

import pytest

from kiosk.clock import FixedClock
from kiosk.domain import config, own_language
from kiosk.domain.auth import Principal
from kiosk.wiring import build_services
from tests.support.browser import shot
from tests.support.demo import demo_site
from tests.support.digest import MONDAY_MORNING, two_weeks
from tests.support.receivers import serving_mail


def received_digest(store, monkeypatch):
    """Maria's digest (in English, her own language) as it arrived at the mail server."""
    clock = FixedClock(MONDAY_MORNING)
    settings = config.defaults() | {"db": str(store.path), "notify_allow_private_addresses": True,
                                    "public_url": "https://door.example.org"}
    site = demo_site(store, clock, monkeypatch)
    two_weeks(store, site)
    own_language.choose(store, "manager", site["manager"]["id"], "en")
    services = build_services(settings, store, clock)
    maria = Principal("manager", site["manager"]["id"], "Maria", 1, "main")
    with serving_mail() as mail:
        services.digests.add_channel(maria, {"url": mail.url("maria@example.org")})
        services.digests.queue_due()
        services.digest_sender.deliver_due()
        (message,) = mail.messages
    return message


def as_a_mail_client_shows_it(message) -> str:
    parts = {part.get_content_type(): part for part in message.walk() if not part.is_multipart()}
    chart = base64.b64encode(parts["image/png"].get_content()).decode()
    cid = parts["image/png"]["Content-ID"].strip("<>")
    return parts["text/html"].get_content().replace(f"cid:{cid}", f"data:image/png;base64,{chart}")


@pytest.mark.docs_screenshots
def test_the_received_digest_renders_with_its_chart(browser, artifacts, store, monkeypatch):
    html = as_a_mail_client_shows_it(received_digest(store, monkeypatch))
    page = browser.new_page(viewport={"width": 680, "height": 900})
    try:
        page.set_content(html)
        chart = page.locator("img")
        chart.wait_for()
        assert page.evaluate("document.images[0].complete && document.images[0].naturalWidth") == 560
        assert page.locator("h1").inner_text() == "Last week at main: Nov 16, 2026 – Nov 22, 2026"
        body = page.locator("body").inner_text()
        assert "Tue 11:00–12:00: guests who waited longer than 2:00 min: 4" in body
        assert "Secret Guestname" not in body
        shot(page, artifacts, "digest-email", docs="digest.png", full_page=True)
    finally:
        page.close()
