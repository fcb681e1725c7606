"""The branch's side: the outbox of site-days owed to the head office, sent and retried.

A local day is owed once it is over (and SETTLE_SECONDS more, for the visits still open at
closing time); at most BACKFILL_DAYS back when a branch is first connected. Each owed day is
claimed with a lease (several server processes: one sends it), its summary made at that
moment from the stats, and POSTed with the webhooks' transport (kiosk/domain/webhooks/
transport.py: one checked address, a short timeout, the certificate checked for https://).
A failure is retried with backoff, capped at an hour and never given up: a branch whose WAN
is down for a week sends the week when it is back. The head office keeps one row per
branch, site and day, so a day sent twice (a lost answer) is still one row.

A day's summary can change after it was sent (a visit completed late, closed by the
housekeeping the next morning): the SHA-256 of each sent body is kept, the last RECHECK_DAYS
sent days are summed up again at each look, and a day whose body differs is owed again;
the head office replaces the day.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import ssl
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from kiosk.clock import to_iso
from kiosk.domain.branches.summary import day_summary
from kiosk.domain.webhooks.transport import DeliveryFailed, http_post

RETRY_AFTER_SECONDS = (5, 15, 60, 300, 1800, 3600)  # after the last: every hour, until it is through
SETTLE_SECONDS = 3600
BACKFILL_DAYS = 90
RECHECK_DAYS = 7  # sent days summed up again at each look, in case a visit of theirs changed
CLAIM_SECONDS = 60
CLAIM_LIMIT = 20
TIMEOUT_SECONDS = 10.0
QUEUE_EVERY_SECONDS = 60
USER_AGENT = "Gastgeber-Branch/1"
PATH = "/api/v1/branches/summaries"
REFUSED_STATUSES = (400, 413, 422)  # the head office will refuse this body again: not retried
COULD_NOT_SEND = "could not send"
log = logging.getLogger(__name__)


def retry_at(attempts_made: int, now: datetime) -> str:
    wait = RETRY_AFTER_SECONDS[min(attempts_made, len(RETRY_AFTER_SECONDS)) - 1]
    return to_iso(now + timedelta(seconds=wait))


def head_office_post(settings: dict):
    """`http_post` to the configured head office: its address may be private or this machine
    (the operator wrote it in the config file, not a site manager), and https:// is checked
    against the system's authorities or `head_office_ca_file`."""
    tls = ssl.create_default_context(cafile=settings["head_office_ca_file"] or None)
    return functools.partial(http_post, allow_private=True, allow_loopback=True, tls=tls)


class SummaryPusher:
    def __init__(self, store, clock, settings_of, *, url: str, token: str, claimer: str, post=http_post,
                 timeout: float = TIMEOUT_SECONDS):
        """`settings_of(site_id)`: the site's settings in force (time zone, greet target)."""
        self.store, self.clock, self.settings_of = store, clock, settings_of
        self.url = url.rstrip("/") + PATH
        self.token, self.claimer, self.post, self.timeout = token, claimer, post, timeout

    def queue_ended_days(self) -> int:
        """Owe every site's days that are over (since its first visit, at most BACKFILL_DAYS back)."""
        now = self.clock.now()
        rows = []
        for site_id, first_hour in self.store.first_visit_hours().items():
            zone = ZoneInfo(self.settings_of(site_id)["timezone"])
            last = (now - timedelta(seconds=SETTLE_SECONDS)).astimezone(zone).date() - timedelta(days=1)
            first_visit = datetime.fromisoformat(first_hour + ":00:00+00:00").astimezone(zone).date()
            day = max(first_visit, last - timedelta(days=BACKFILL_DAYS - 1))
            while day <= last:
                rows.append({"site_id": site_id, "day": day.isoformat(), "next_attempt_at": to_iso(now),
                             "created_at": to_iso(now)})
                day += timedelta(days=1)
        return self.store.queue_summary_days(rows) + self.queue_changed_days()

    def queue_changed_days(self) -> int:
        """Owe again each sent day of the last RECHECK_DAYS whose summary is not what was sent."""
        first = (self.clock.now() - timedelta(days=RECHECK_DAYS + 1)).date().isoformat()
        changed = [sent["id"] for sent in self.store.sent_summaries_since(first)
                   if _sha256(self.body(sent)) != sent["sent_hash"]]
        if changed:
            self.store.owe_summaries_again(changed, to_iso(self.clock.now()))
        return len(changed)

    def claim_due(self) -> list[dict]:
        now = self.clock.now()
        return self.store.claim_due_summaries(to_iso(now), to_iso(now + timedelta(seconds=CLAIM_SECONDS)),
                                              self.claimer, CLAIM_LIMIT)

    def body(self, owed: dict) -> bytes:
        site = self.store.site(owed["site_id"])
        summary = day_summary(self.store, {"id": site["id"], "name": site["name"]}, self.settings_of(site["id"]),
                              owed["day"], self.clock.now())
        return json.dumps(summary, separators=(",", ":")).encode()

    def attempt(self, owed: dict) -> str | None:
        """One attempt of a claimed site-day; returns the error recorded (None: the head office has it)."""
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT,
                   "Authorization": f"Bearer {self.token}"}
        error, status, sent_hash = None, None, None
        try:
            body = self.body(owed)
            sent_hash = _sha256(body)
            status = self.post(self.url, body, headers, self.timeout)
            error = None if 200 <= status < 300 else f"HTTP {status}"
        except DeliveryFailed as problem:
            error = str(problem)
        except Exception:
            error = COULD_NOT_SEND
            log.exception("summary of site %s, %s, for the head office", owed["site_id"], owed["day"])
        if error is not None:
            log.warning("summary of site %s, %s, not taken by the head office: %s", owed["site_id"], owed["day"],
                        error)
        now = self.clock.now()
        if status in REFUSED_STATUSES:
            self.store.record_summary_attempt(owed["id"], to_iso(now), error, None, refused=True)
        else:
            self.store.record_summary_attempt(owed["id"], to_iso(now), error,
                                              None if error is None else retry_at(owed["attempts"] + 1, now),
                                              sent_hash=sent_hash)
        return error

    def send_due(self) -> int:
        """One pass, one after the other (tests; the serving process runs each on a task of its own)."""
        claimed = self.claim_due()
        for owed in claimed:
            self.attempt(owed)
        return len(claimed)


def _sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()
