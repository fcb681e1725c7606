"""Sending the outbox: claim due deliveries atomically (with several server processes each
goes out once), POST them signed with a short timeout, record every attempt, and retry
with backoff (RETRY_AFTER_SECONDS) before giving up."""

from __future__ import annotations

import functools
import http.client
import ssl
import time
from datetime import timedelta
from urllib.parse import urlsplit

from kiosk.clock import to_iso
from kiosk.domain.webhooks.addresses import check_address
from kiosk.domain.webhooks.signing import SIGNATURE_HEADER, sign

# After the first attempt fails: wait this long before each retry; after the last, give up.
RETRY_AFTER_SECONDS = (10, 30, 120, 600, 3600)
TIMEOUT_SECONDS = 5.0
CLAIM_SECONDS = 60  # a claimed delivery's lease: longer than any attempt; a dead process's rows come back
CLAIM_LIMIT = 20
LOG_DAYS = 7  # the delivery log (whose bodies name customers) is kept this long, or retention_days if shorter
FORGET_EVERY_SECONDS = 3600
USER_AGENT = "Gastgeber-Webhooks/1"


def http_post(url: str, body: bytes, headers: dict, timeout: float, *, allow_private: bool = False,
              allow_loopback: bool = False) -> int:
    """POST and return the HTTP status; redirects are not followed (a 3xx is a failure).

    Plain http.client: under `gastgeber serve` eventlet has patched sockets, ssl and DNS,
    so this waits cooperatively and the alert path runs on meanwhile."""
    parts = urlsplit(url)
    check_address(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80),
                  allow_private=allow_private, allow_loopback=allow_loopback)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout,
                                                 context=ssl.create_default_context())
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        response.read(64 * 1024)
        return response.status
    finally:
        connection.close()


def poster(settings: dict):
    """`http_post` with the settings' rules for which addresses a receiver may have."""
    return functools.partial(http_post, allow_private=settings.get("webhooks_allow_private_addresses", False),
                             allow_loopback=settings.get("webhooks_allow_http_loopback", False))


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

    def claim_due(self, limit: int = CLAIM_LIMIT) -> list[dict]:
        now = self.clock.now()
        return self.store.claim_due_deliveries(to_iso(now), to_iso(now + timedelta(seconds=CLAIM_SECONDS)),
                                               self.claimer, limit)

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
        except Exception as problem:  # timeouts, refused connections, TLS and DNS errors
            error = (f"{type(problem).__name__}: {problem}" if str(problem) else type(problem).__name__)[:300]
        duration_ms = round((time.monotonic() - started) * 1000)
        now = self.clock.now()
        attempt = {"at": to_iso(now), "status_code": status_code, "error": error, "duration_ms": duration_ms}
        outcome = next_step(delivery["attempts"] + 1, error is None, now)
        self.store.record_attempt(delivery["id"], attempt, outcome)
        return {**attempt, **outcome}

    def deliver_due(self) -> int:
        """Claim and send every due delivery, one after the other (tests; the worker runs them side by side)."""
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
