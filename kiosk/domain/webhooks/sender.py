"""Sending the outbox: claim due deliveries atomically (with several server processes each
goes out once; the sites take turns), POST them signed with a short timeout (transport.py),
record every attempt, and retry with backoff (RETRY_AFTER_SECONDS) before giving up."""

from __future__ import annotations

import functools
import logging
import time
from datetime import timedelta

from kiosk.clock import to_iso
from kiosk.domain.webhooks.signing import SIGNATURE_HEADER, sign
from kiosk.domain.webhooks.transport import DeliveryFailed, http_post

# After the first attempt fails: wait this long before each retry; after the last, give up.
RETRY_AFTER_SECONDS = (10, 30, 120, 600, 3600)
TIMEOUT_SECONDS = 5.0
CLAIM_SECONDS = 60  # a claimed delivery's lease: longer than any attempt; a dead process's rows come back
CLAIM_LIMIT = 50  # deliveries taken per pass (once a second) ...
CLAIM_PER_SITE = 20  # ... at most this many of one site: the sites take turns (store: claim_due_deliveries)
LOG_DAYS = 7  # the delivery log (whose bodies name customers) is kept this long, or retention_days if shorter
FORGET_EVERY_SECONDS = 3600
USER_AGENT = "Gastgeber-Webhooks/1"
COULD_NOT_SEND = "could not send"  # an unexpected fault; the details are in the server's log
log = logging.getLogger(__name__)


def poster(settings: dict, **options):
    """`http_post` with the settings' rules for which addresses a receiver may have (and, for
    tests, `lookup` for DNS and `tls` for the trusted certificates)."""
    return functools.partial(http_post, allow_private=settings.get("webhooks_allow_private_addresses", False),
                             allow_loopback=settings.get("webhooks_allow_http_loopback", False), **options)


class Sender:
    """Sends due deliveries: claim, POST, record the attempt, schedule the retry or give up."""

    def __init__(self, store, clock, *, claimer: str, post=http_post, timeout: float = TIMEOUT_SECONDS,
                 log_days: int = LOG_DAYS):
        self.store = store
        self.clock = clock
        self.claimer = claimer
        self.post = post
        self.timeout = timeout
        self.log_days = log_days

    def forget_old(self) -> int:
        """Drop deliveries older than the log keeps them (the personal data in their bodies goes too)."""
        return self.store.forget_deliveries_before(to_iso(self.clock.now() - timedelta(days=self.log_days)))

    def claim_due(self, limit: int = CLAIM_LIMIT, per_site: int = CLAIM_PER_SITE) -> list[dict]:
        """One pass's due deliveries, the sites' in turn, so one site's backlog cannot starve another's."""
        now = self.clock.now()
        return self.store.claim_due_deliveries(to_iso(now), to_iso(now + timedelta(seconds=CLAIM_SECONDS)),
                                               self.claimer, limit, per_site)

    def attempt(self, delivery: dict) -> dict:
        """One attempt of a claimed delivery; returns what was recorded."""
        body = delivery["body"].encode()
        timestamp = int(self.clock.now().timestamp())
        headers = {
            "Content-Type": "application/json", "User-Agent": USER_AGENT,
            "X-Gastgeber-Event": delivery["event"], "X-Gastgeber-Delivery": delivery["uuid"],
            SIGNATURE_HEADER: sign(delivery["secret"], timestamp, body),
        }
        started = time.monotonic()
        status_code, error = None, None
        try:
            status_code = self.post(delivery["url"], body, headers, self.timeout)
            if not 200 <= status_code < 300:
                error = f"HTTP {status_code}"
        except DeliveryFailed as problem:
            error = str(problem)
            log.warning("webhook delivery %s to webhook %s: %s (%r)", delivery["uuid"], delivery["webhook_id"],
                        error, problem.__cause__)
        except Exception:
            error = COULD_NOT_SEND
            log.exception("webhook delivery %s to webhook %s failed", delivery["uuid"], delivery["webhook_id"])
        duration_ms = round((time.monotonic() - started) * 1000)
        now = self.clock.now()
        attempt = {"at": to_iso(now), "status_code": status_code, "error": error, "duration_ms": duration_ms}
        outcome = next_step(delivery["attempts"] + 1, error is None, now)
        self.store.record_attempt(delivery["id"], attempt, outcome)
        return {**attempt, **outcome}

    def deliver_due(self) -> int:
        """One pass: claim and send the due deliveries one after the other (tests; the worker runs them side
        by side)."""
        claimed = self.claim_due()
        for delivery in claimed:
            self.attempt(delivery)
        return len(claimed)


def next_step(attempts_made: int, succeeded: bool, now) -> dict:
    """After `attempts_made` attempts: delivered, a retry at the next backoff step, or given up."""
    if succeeded:
        return {"status": "delivered", "next_attempt_at": None}
    if attempts_made > len(RETRY_AFTER_SECONDS):
        return {"status": "failed", "next_attempt_at": None}
    wait = RETRY_AFTER_SECONDS[attempts_made - 1]
    return {"status": "pending", "next_attempt_at": to_iso(now + timedelta(seconds=wait))}
