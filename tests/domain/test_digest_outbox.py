"""The weekly digest as it arrives: in a real SMTP server (aiosmtpd) as multipart HTML + text with
the PNG chart inline, and as plain text at a JSON receiver (Apprise's json://, as a chat channel
would get it); retried like a channel; nothing when the manager turned it off; once per week."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from kiosk.clock import FixedClock
from kiosk.domain import config
from kiosk.domain.auth import Principal
from kiosk.domain.channels import RETRY_AFTER_SECONDS
from kiosk.wiring import build_services
from tests.support.demo import demo_site
from tests.support.digest import MONDAY_MORNING, two_weeks
from tests.support.receivers import apprise_json_url, serving_mail

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def wired(store, monkeypatch):
    clock = FixedClock(MONDAY_MORNING)
    settings = config.defaults() | {"db": str(store.path), "notify_allow_private_addresses": True,
                                    "public_url": "https://door.example.org"}
    site = demo_site(store, clock, monkeypatch)
    two_weeks(store, site)
    services = build_services(settings, store, clock)
    maria = Principal("manager", site["manager"]["id"], "Maria", 1, "main")
    return services, maria


def parts_of(message) -> dict:
    """Content type → payload of each leaf part of a received e-mail."""
    return {part.get_content_type(): part for part in message.walk() if not part.is_multipart()}


def test_the_digest_arrives_as_html_and_text_with_the_chart_inline(wired):
    services, maria = wired
    with serving_mail() as mail:
        services.digests.add_channel(maria, {"url": mail.url("maria@example.org"), "label": "Work mail"})
        assert services.digests.queue_due() == 1
        assert services.digest_sender.deliver_due() == 1
        (message,) = mail.messages
    assert message["Subject"] == "Letzte Woche in main: 16.11.2026 – 22.11.2026"
    assert message.get_content_type() == "multipart/related"
    parts = parts_of(message)
    assert set(parts) == {"text/plain", "text/html", "image/png"}
    html = parts["text/html"].get_content()
    assert 'src="cid:digest-chart.png"' in html and "Gäste, die länger als 2:00 Min. warteten: 4" in html
    assert "Lässt der Kalender von Ben genug Raum" in parts["text/plain"].get_content()
    chart = parts["image/png"]
    assert chart["Content-ID"] == "<digest-chart.png>" and chart.get_content_disposition() == "inline"
    png = chart.get_content()
    assert png.startswith(PNG_SIGNATURE)
    assert Image.open(io.BytesIO(png)).size == (560, 220)  # a PNG Pillow decodes whole
    for part in ("text/plain", "text/html"):
        assert "Secret Guestname" not in parts[part].get_content()
    (channel,) = services.digests.choice(maria)["channels"]
    assert channel["last_delivery"]["ok"] is True and "s3cret" not in channel["url"]


def test_a_chat_channel_gets_the_plain_text(wired, receiver):
    services, maria = wired
    services.digests.add_channel(maria, {"url": apprise_json_url(receiver, "digest")})
    services.digests.queue_due()
    services.digest_sender.deliver_due()
    (request,) = receiver.requests
    message = json.loads(request["body"])
    assert message["title"] == "Letzte Woche in main: 16.11.2026 – 22.11.2026"
    assert "Di. 11:00–12:00: Gäste, die länger als 2:00 Min. warteten: 4" in message["message"]
    assert "<" not in message["message"] and "https://door.example.org/stats" in message["message"]


def test_a_failing_channel_is_retried_with_the_channels_backoff(wired, receiver):
    services, maria = wired
    receiver.statuses = [500]
    services.digests.add_channel(maria, {"url": apprise_json_url(receiver, "digest")})
    services.digests.queue_due()
    assert services.digest_sender.deliver_due() == 1
    assert services.digest_sender.deliver_due() == 0  # not due yet
    services.clock.advance(RETRY_AFTER_SECONDS[0])
    assert services.digest_sender.deliver_due() == 1
    assert len(receiver.requests) == 2
    (notice,) = services.store.digest_notices_of(services.store.digest_of_week(maria.id, "2026-W48")["id"])
    assert (notice["status"], notice["attempts"], notice["last_ok"]) == ("sent", 2, 1)


def test_turned_off_nothing_is_sent_and_a_rerun_sends_nothing_twice(wired, receiver):
    services, maria = wired
    services.digests.add_channel(maria, {"url": apprise_json_url(receiver, "digest")})
    services.digests.choose(maria, {"enabled": False})
    assert services.digests.queue_due() == 0
    assert services.digest_sender.deliver_due() == 0
    assert receiver.requests == []
    services.digests.choose(maria, {"enabled": True})
    assert services.digests.queue_due() == 1
    services.digest_sender.deliver_due()
    restarted = build_services(services.settings, services.store, services.clock)  # the scheduler after a restart
    services.clock.advance(3600)
    assert restarted.digests.run_if_due() == 0 and restarted.digest_sender.deliver_due() == 0
    assert len(receiver.requests) == 1


def test_a_test_digest_arrives_at_once_marked_as_a_test_and_is_not_the_weeks_digest(wired):
    services, maria = wired
    with serving_mail() as mail:
        channel = services.digests.add_channel(maria, {"url": mail.url("maria@example.org")})
        asked = services.digests.send_test(maria, channel["id"])
        assert asked["last_test"] == {"asked_at": "2026-11-23T07:30:00.000Z", "state": "sending", "delivery": None}
        assert services.digest_sender.deliver_due() == 1
        (message,) = mail.messages
    assert message["Subject"] == "Test: Letzte Woche in main: 16.11.2026 – 22.11.2026"  # Maria reads German
    parts = parts_of(message)
    assert set(parts) == {"text/plain", "text/html", "image/png"}
    assert parts["text/plain"].get_content().splitlines()[0] == message["Subject"]
    assert "<h1 style=\"font-size:20px;margin:0 0 4px\">Test: Letzte Woche" in parts["text/html"].get_content()
    (shown,) = services.digests.choice(maria)["channels"]
    assert shown["last_test"]["state"] == "delivered" and shown["last_test"]["delivery"]["ok"] is True
    assert "s3cret" not in str(shown)
    assert services.store.digest_of_week(maria.id, "2026-W48") is None
    assert services.digests.queue_due() == 1  # the week's own digest still comes


def test_a_failing_test_digest_says_why_and_is_tried_once(wired, receiver):
    services, maria = wired
    receiver.statuses = [500]
    channel = services.digests.add_channel(maria, {"url": apprise_json_url(receiver, "digest")})
    services.digests.send_test(maria, channel["id"])
    assert services.digest_sender.deliver_due() == 1
    services.clock.advance(RETRY_AFTER_SECONDS[-1])
    assert services.digest_sender.deliver_due() == 0
    (shown,) = services.digests.choice(maria)["channels"]
    assert shown["last_test"]["state"] == "failed" and shown["last_test"]["delivery"]["ok"] is False
    assert "500" in shown["last_test"]["delivery"]["error"]
    assert shown["last_delivery"] == shown["last_test"]["delivery"]
    assert json.loads(receiver.requests[0]["body"])["title"].startswith("Test: Letzte Woche in main")


def test_one_test_digest_per_channel_a_minute(wired, receiver):
    from kiosk.domain.errors import NotFound, RateLimited

    services, maria = wired
    first = services.digests.add_channel(maria, {"url": apprise_json_url(receiver, "one")})
    second = services.digests.add_channel(maria, {"url": apprise_json_url(receiver, "two")})
    services.digests.send_test(maria, first["id"])
    services.clock.advance(20)
    with pytest.raises(RateLimited) as refused:
        services.digests.send_test(maria, first["id"])
    assert (refused.value.retry_after_seconds, refused.value.code) == (40, "digest_test_too_soon")
    services.digests.send_test(maria, second["id"])  # another channel: its own minute
    services.clock.advance(40)
    services.digests.send_test(maria, first["id"])
    assert services.digest_sender.deliver_due() == 3
    assert sorted(request["path"] for request in receiver.requests) == ["/one", "/one", "/two"]  # each its own
    with pytest.raises(NotFound):
        services.digests.send_test(Principal("manager", 99, "Mira", 1, "main"), first["id"])  # not hers
