"""The weekly digest's use cases and outbox: a manager's choice (on or off, the weekday, the hour), their
channels, the preview, the scheduler's job that makes each week's digests, and their sender.

A manager's channels are Apprise URLs like a host's (kiosk/domain/channels/: the same parsing,
masking and address policy). The scheduler's leader makes each due digest once (the store keeps
one per manager and ISO week, so a restart or a second run makes none again) and queues it for
each channel of the manager in the same transaction; `DigestSender` sends them through the
channels' own send (the serving process's sending process, never the event loop) and retries
with their backoff (channels.next_step). An e-mail gets the HTML with the chart as an inline
image and a plain-text part; every other kind gets the plain text.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from kiosk.clock import from_iso, to_iso
from kiosk.domain import audit, digest, digest_render
from kiosk.domain.channels import CLAIM_SECONDS, next_step, parse
from kiosk.domain.channels.messages import host_language
from kiosk.domain.channels.outbox import public_delivery
from kiosk.domain.digest_chart import chart_png
from kiosk.domain.errors import Conflict, Invalid, NotFound, RateLimited, Reason

CHANNELS_PER_MANAGER = 5
LOOK_EVERY_SECONDS = 60  # the scheduler's look for due digests (a digest's time is a whole hour)
KEEP_DAYS = 35
CLAIM_LIMIT = 10
CHOICE = ("enabled", "weekday", "hour")
TEST_EVERY_SECONDS = 60  # one test digest per channel a minute: each is a real message to someone's inbox
log = logging.getLogger(__name__)


def public_manager_channel(row: dict) -> dict:
    return {"id": row["id"], "kind": row["kind"], "url": row["masked_url"], "label": row["label"],
            "last_delivery": public_delivery(row, "last_") if row["last_at"] else None,
            "last_test": _last_test(row)}


def _last_test(row: dict) -> dict | None:
    """The channel's newest test digest: asked for when, and sending, delivered or failed (with why)."""
    if not row["test_at"]:
        return None
    if row["test_status"] == "pending":
        return {"asked_at": row["test_at"], "state": "sending", "delivery": None}
    return {"asked_at": row["test_at"], "state": "delivered" if row["test_last_ok"] else "failed",
            "delivery": public_delivery(row, "test_last_")}


def _whole(value, allowed: range) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in allowed


class Digests:
    def __init__(self, store, clock, channels, *, site_settings, texts_for, languages=("en",), offload=None):
        """`channels`: the hosts' Channels (their URL rules, address policy and send); `offload(function)`
        draws a digest on an OS thread (the server's; without it, right here)."""
        self.store, self.clock, self.channels = store, clock, channels
        self.site_settings, self.texts_for, self.languages = site_settings, texts_for, tuple(languages)
        self.offload = offload or (lambda function: function())
        self._looked_at: float | None = None

    # ---------------------------------------------------------------- a manager's choice and channels

    def choice(self, principal) -> dict:
        return {**self.store.digest_choice(principal.id),
                "timezone": self.site_settings(principal.site_id)["timezone"],
                "channels": [public_manager_channel(row) for row in self.store.manager_channels(principal.id)]}

    def choose(self, principal, body: dict) -> dict:
        """Turn the digest on or off, pick its weekday (0 = Monday) and its local hour (0–23); what
        is not given stays."""
        choice = {**self.store.digest_choice(principal.id), **{key: body[key] for key in CHOICE if key in body}}
        if not isinstance(choice["enabled"], bool):
            raise Invalid("'enabled' must be true or false", "enabled", code="digest_enabled")
        if not _whole(choice["weekday"], range(7)):
            raise Invalid("'weekday' must be a number from 0 (Monday) to 6 (Sunday)", "weekday", code="digest_weekday")
        if not _whole(choice["hour"], digest.HOURS):
            raise Invalid("'hour' must be a whole hour from 0 to 23 (local time)", "hour", code="digest_hour")
        choice = {key: choice[key] for key in CHOICE}
        self.store.set_digest_choice(principal.id, choice, to_iso(self.clock.now()), audit=[audit.entry(
            self.clock, principal, "digest.changed", subject=f"manager {principal.id} {principal.name}",
            details=choice)])
        return self.choice(principal)

    def add_channel(self, principal, body: dict) -> dict:
        channel = parse(body.get("url"))
        self.channels.refuse_private_target(channel.host, channel.port)
        label = body.get("label")
        if label is not None and (not isinstance(label, str) or len(label) > 80 or not label.isprintable()):
            raise Invalid("'label' must be a text of at most 80 characters", "label", code="channel_label",
                          values={"most": 80})
        channel_id = self.store.add_manager_channel(
            {"site_id": principal.site_id, "manager_id": principal.id, "url": channel.url,
             "masked_url": channel.masked, "kind": channel.kind, "label": (label or "").strip() or None,
             "created_at": to_iso(self.clock.now())}, most=CHANNELS_PER_MANAGER,
            audit=lambda channel_id: [audit.entry(self.clock, principal, "digest_channel.added",
                                                  subject=f"digest channel {channel_id} of {principal.name}",
                                                  details={"kind": channel.kind, "url": channel.masked})])
        if channel_id is None:
            raise Conflict(f"You have as many digest channels as allowed ({CHANNELS_PER_MANAGER}); remove one first",
                           code="digest_channels_full", values={"most": CHANNELS_PER_MANAGER})
        return public_manager_channel(self.store.manager_channel(channel_id))

    def _own_channel(self, principal, channel_id) -> dict:
        row = self.store.manager_channel(channel_id) if isinstance(channel_id, int) and 0 < channel_id < 2**62 \
            else None
        if row is None or row["manager_id"] != principal.id:
            raise NotFound(f"no digest channel {channel_id}")
        return row

    def remove_channel(self, principal, channel_id) -> None:
        row = self._own_channel(principal, channel_id)
        self.store.remove_manager_channel(row["id"], audit=[audit.entry(
            self.clock, principal, "digest_channel.removed", subject=f"digest channel {row['id']} of {principal.name}",
            details={"kind": row["kind"], "url": row["masked_url"]})])

    def send_test(self, principal, channel_id, *, figures_of=None) -> dict:
        """Queue the preview's digest, marked as a test and in the manager's own language, for one
        of their channels: the sender sends it at once, off the event loop, in one attempt. Returns
        the channel as shown, its `last_test` "sending". `figures_of(day)`: reads the figures (the
        server's reading process; without it, right here)."""
        row = self._own_channel(principal, channel_id)
        now = self.clock.now()
        self._refuse_a_second_test_too_soon(row["id"], now)
        language = self.language_of(self.store.person("manager", principal.id) or {}, principal.site_id)
        day = self.preview_day(principal)
        figures = (figures_of or (lambda day: self.figures(principal.site_id, day)))(day)
        fields = {"site_id": principal.site_id, "manager_id": principal.id, "language": language,
                  "made_at": to_iso(now), **self.rendered(principal.site_id, figures, language, test=True)}
        not_since = to_iso(now - timedelta(seconds=TEST_EVERY_SECONDS))
        if self.store.queue_test_digest(fields, row["id"], to_iso(now), not_since=not_since) is None:
            raise _too_soon(self._test_wait(row["id"], now))  # another request was quicker
        return public_manager_channel(self.store.manager_channel(row["id"]))

    def _refuse_a_second_test_too_soon(self, channel_id: int, now: datetime) -> None:
        wait = self._test_wait(channel_id, now)
        if wait > 0:
            raise _too_soon(wait)

    def _test_wait(self, channel_id: int, now: datetime) -> float:
        """Seconds until the channel may have its next test digest (0 or less: now)."""
        last = self.store.last_digest_test_at(channel_id)
        return TEST_EVERY_SECONDS - (now - from_iso(last)).total_seconds() if last else 0.0

    # ---------------------------------------------------------------- making a digest

    def language_of(self, manager: dict, site_id: int) -> str:
        return host_language(None, self.languages, self.site_settings(site_id)["default_language"],
                             manager.get("language"))

    def preview_day(self, principal) -> digest.DigestDay:
        """The latest day of the manager's weekday up to today: what they would get (or got) last."""
        zone = ZoneInfo(self.site_settings(principal.site_id)["timezone"])
        today = self.clock.now().astimezone(zone).date()
        weekday = self.store.digest_choice(principal.id)["weekday"]
        return digest.digest_day(today - timedelta(days=(today.weekday() - weekday) % 7), zone)

    def figures(self, site_id: int, day: digest.DigestDay) -> dict:
        return digest.figures(self.store, site_id, day, self.site_settings(site_id))

    def words(self, language: str) -> digest_render.Words:
        return digest_render.Words(self.texts_for(language), language)

    def stats_link(self, site_id: int) -> str:
        return (self.site_settings(site_id)["public_url"] or self.channels.own_address).rstrip("/") + "/stats"

    def rendered(self, site_id: int, figures: dict, language: str, *, chart_src: str | None = None,
                 chart: bool = True, test: bool = False) -> dict:
        """Subject, text, HTML and chart of a digest (drawn off the event loop where the server offloads).
        `chart_src`: where the HTML finds the chart (default: inline in the e-mail); `chart=False` skips drawing it;
        `test`: marked as a test digest in its subject and first line."""
        words, site = self.words(language), self.store.site(site_id)["name"]
        link = self.stats_link(site_id)
        source = {"chart_src": chart_src} if chart_src else {}

        def draw() -> dict:
            return {"subject": digest_render.subject(figures, words, site, test=test),
                    "text": digest_render.text(figures, words, site=site, link=link, test=test),
                    "html": digest_render.html(figures, words, site=site, link=link, test=test, **source),
                    "chart_png": chart_png(figures["by_weekday"], figures["target_seconds"]) if chart else None}

        return self.offload(draw)

    def queue_due(self) -> int:
        """Make and queue every digest due now (each manager's once per week); returns how many."""
        now, made = self.clock.now(), 0
        for site_id in self.store.site_ids():
            zone = ZoneInfo(self.site_settings(site_id)["timezone"])
            for weekday, hour in self.store.digest_schedules(site_id):
                day = digest.due_day(now, zone, weekday, hour)
                if day is not None:
                    made += self._queue_site(site_id, self.store.managers_due_digest(site_id, weekday, hour, day.week),
                                             day, now)
        return made

    def _queue_site(self, site_id: int, managers: list[dict], day: digest.DigestDay, now: datetime) -> int:
        if not managers:
            return 0
        figures, made = self.figures(site_id, day), 0
        for manager in managers:
            language = self.language_of(manager, site_id)
            fields = {"site_id": site_id, "manager_id": manager["id"], "week": day.week, "language": language,
                      "made_at": to_iso(now), **self.rendered(site_id, figures, language)}
            made += self.store.queue_digest(fields, to_iso(now)) is not None
        return made

    def run_if_due(self) -> int:
        """The scheduler's job: look for due digests once a minute (monotonic time)."""
        moment = self.clock.monotonic()
        if self._looked_at is not None and moment - self._looked_at < LOOK_EVERY_SECONDS:
            return 0
        self._looked_at = moment
        return self.queue_due()


def _too_soon(wait: float) -> RateLimited:
    seconds = max(1, math.ceil(wait))
    return RateLimited(seconds, Reason("digest_test_too_soon", f"One test digest per channel a minute: try again "
                                                               f"in {seconds} s", seconds=seconds))


class DigestSender:
    """Sends queued digests (the channels' worker loop runs it: claim_due, attempt, forget_old)."""

    def __init__(self, digests: Digests, *, claimer: str):
        self.digests, self.store, self.clock, self.claimer = digests, digests.store, digests.clock, claimer

    def claim_due(self, limit: int = CLAIM_LIMIT) -> list[dict]:
        now = self.clock.now()
        return self.store.claim_due_digest_notices(to_iso(now), to_iso(now + timedelta(seconds=CLAIM_SECONDS)),
                                                   self.claimer, limit)

    def attempt(self, notice: dict) -> str:
        attempt = self.digests.channels.send_now(notice["url"], notice["subject"], notice["text"],
                                                 html=notice["html"], image=notice["chart_png"])
        outcome = next_step(notice["attempts"] + 1, bool(attempt["ok"]), self.clock.now()) if not notice["test"] \
            else {"status": "sent" if attempt["ok"] else "failed", "next_attempt_at": None}  # a test is tried once
        self.store.record_digest_attempt(notice["id"], attempt, outcome)
        if not attempt["ok"]:
            log.warning("digest %s to channel %s (%s) of manager %s: attempt %s failed (%s)", notice["week"],
                        notice["channel_id"], notice["kind"], notice["manager_id"], notice["attempts"] + 1,
                        attempt["error"])
        return outcome["status"]

    def deliver_due(self) -> int:
        """Claim and send every due digest one after the other (tests; the worker runs them side by side)."""
        claimed = self.claim_due()
        for notice in claimed:
            self.attempt(notice)
        return len(claimed)

    def forget_old(self) -> int:
        return self.store.forget_digests_before(to_iso(self.clock.now() - timedelta(days=KEEP_DAYS)))
