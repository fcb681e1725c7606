"""Webhooks: a site's HTTPS endpoints hear of its visits' events, signed, in the background.

The alert path only ever writes rows to an outbox (`Webhooks.enqueue`, called by the
publish wrapper `publishing`, after Socket.IO has had the event): no network there.
`Sender` claims due rows atomically (so with several server processes each delivery
goes out once), POSTs them with a short timeout, records every attempt and retries
with backoff (RETRY_AFTER_SECONDS) before giving up. docs/webhooks.md is the
receiver's side: payload, headers and how to check the signature.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import secrets
import socket
import ssl
import time
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

from kiosk.domain import audit
from kiosk.domain.errors import Invalid, NotFound
from kiosk.clock import to_iso
from kiosk.domain.domain_events import VisitArrived, VisitEscalated, VisitUpdated
from kiosk.domain.visits import public_visit

log = logging.getLogger(__name__)

EVENTS = ("visit.arrived", "visit.acknowledged", "visit.greeted", "visit.completed", "visit.abandoned",
          "visit.escalated")
TEST_EVENT = "webhook.test"
# After the first attempt fails: wait this long before each retry; after the last, give up.
RETRY_AFTER_SECONDS = (10, 30, 120, 600, 3600)
TIMEOUT_SECONDS = 5.0
CLAIM_SECONDS = 60  # a claimed delivery's lease: longer than any attempt; a dead process's rows come back
CLAIM_LIMIT = 20
LOG_DAYS = 7  # the delivery log (whose bodies name customers) is kept this long, or retention_days if shorter
FORGET_EVERY_SECONDS = 3600
URL_MAX = 500
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
SIGNATURE_HEADER = "X-Gastgeber-Signature"
USER_AGENT = "Gastgeber-Webhooks/1"
_STATUS_EVENTS = {"acknowledged": "visit.acknowledged", "greeted": "visit.greeted",
                  "completed": "visit.completed", "abandoned": "visit.abandoned"}
_STATUS_TIMES = {"visit.arrived": "arrived_at", "visit.acknowledged": "acknowledged_at",
                 "visit.greeted": "greeted_at", "visit.completed": "completed_at",
                 "visit.abandoned": "abandoned_at"}


# --- what the receiver sees ---------------------------------------------------------------------

def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The X-Gastgeber-Signature value: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes, now: float, tolerance_seconds: int = 300) -> bool:
    """The receiver's check, as docs/webhooks.md shows it (the tests use it too)."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance_seconds:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))


def webhook_events(event) -> list[tuple[str, str, dict]]:
    """The webhook events a domain event stands for: [(event name, dedupe key, extra payload)].

    A greet straight from waiting is only `visit.greeted` (its acknowledged_at is set with it).
    Staff-only updates (escalation marks, a customer's new own host) change no status."""
    if isinstance(event, VisitArrived):
        return [("visit.arrived", "visit.arrived", {})]
    if isinstance(event, VisitEscalated):
        return [("visit.escalated", f"visit.escalated:{event.level}",
                 {"escalation": {"level": event.level, "reason": event.reason}})]
    if isinstance(event, VisitUpdated) and not event.staff_only:
        name = _STATUS_EVENTS.get(event.visit["status"])
        return [(name, name, {})] if name else []
    return []


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def check_url(url, allow_http_loopback: bool, allow_private: bool = False) -> str:
    """An https:// URL (or http:// to this machine when allowed); raises Invalid.
    An address of this machine or the local network written into the URL is refused
    here already unless allowed (names are checked after DNS, at each delivery)."""
    if not isinstance(url, str) or not url.strip():
        raise Invalid("Enter the receiver's URL, starting with https://", "url")
    url = url.strip()
    if len(url) > URL_MAX:
        raise Invalid(f"The URL may be at most {URL_MAX} characters long", "url")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a port that is not a number raises ValueError here
    except ValueError:
        raise Invalid("This is not a valid URL", "url") from None
    host = (parts.hostname or "").lower()
    if not host or any(ch.isspace() for ch in url) or not url.isprintable():
        raise Invalid("This is not a valid URL", "url")
    if parts.username is not None or parts.password is not None:
        raise Invalid("Leave the user name and password out of the URL: the signature proves the sender",
                             "url")
    if parts.fragment:
        raise Invalid("A webhook URL has no #fragment", "url")
    if parts.scheme == "https":
        if not allow_private and _is_non_public_address(host):
            raise Invalid("This URL points into this machine or its local network; only public addresses "
                                 "are allowed (setting webhooks_allow_private_addresses)", "url")
        return url
    if parts.scheme == "http" and allow_http_loopback and host in LOOPBACK_NAMES:
        return url
    if parts.scheme == "http" and host in LOOPBACK_NAMES:
        raise Invalid("Plain http:// is allowed only to this machine and only with the setting "
                             "webhooks_allow_http_loopback; use https://", "url")
    raise Invalid("The URL must start with https://", "url")


def _is_non_public_address(host: str) -> bool:
    try:
        return not ipaddress.ip_address(host.strip("[]")).is_global
    except ValueError:
        return host in LOOPBACK_NAMES  # a name: checked after DNS when delivering


def check_events(events) -> list[str]:
    if not isinstance(events, list) or not all(isinstance(name, str) for name in events):
        raise Invalid("'events' must be a list of event names", "events")
    unknown = [name for name in events if name not in EVENTS]
    if unknown:
        raise Invalid(f"Unknown event {unknown[0][:40]!r}; choose from {', '.join(EVENTS)}", "events")
    if not events:
        raise Invalid("Choose at least one event", "events")
    return [name for name in EVENTS if name in events]  # in the documented order, each once


def public_webhook(row: dict) -> dict:
    """An endpoint as the page and the API show it: never its secret."""
    return {"id": row["id"], "url": row["url"], "events": row["events"].split(","), "active": bool(row["active"]),
            "created_at": row["created_at"], "updated_at": row["updated_at"]}


def public_delivery(row: dict) -> dict:
    return {"id": row["uuid"], "event": row["event"], "visit_id": row["visit_id"], "status": row["status"],
            "created_at": row["created_at"], "next_attempt_at": row["next_attempt_at"],
            "attempts": [{"at": a["at"], "status_code": a["status_code"], "error": a["error"],
                          "duration_ms": a["duration_ms"]} for a in row["attempt_log"]]}


# --- registering and queueing ---------------------------------------------------------------------

class Webhooks:
    """A site's endpoints (managed with an audit entry for each change) and the outbox."""

    def __init__(self, store, clock, settings: dict):
        self.store = store
        self.clock = clock
        self.settings = settings

    def _now(self) -> str:
        return to_iso(self.clock.now())

    def of_site(self, site_id: int) -> list[dict]:
        return [public_webhook(row) for row in self.store.webhooks_of_site(site_id)]

    def get(self, principal, webhook_id) -> dict:
        """The endpoint of the principal's site, else NotFound (another site's is not found either)."""
        row = self.store.webhook(webhook_id) if isinstance(webhook_id, int) and 0 < webhook_id < 2**62 else None
        if row is None or row["site_id"] != principal.site_id:
            raise NotFound(f"no webhook {webhook_id} on this site")
        return row

    def register(self, principal, url, events, active=True) -> tuple[dict, str]:
        """A new endpoint; returns it and its secret (shown to the manager this once)."""
        url = check_url(url, self.settings.get("webhooks_allow_http_loopback", False),
                        self.settings.get("webhooks_allow_private_addresses", False))
        events = check_events(events)
        if not isinstance(active, bool):
            raise Invalid("'active' must be true or false", "active")
        secret, now = new_secret(), self._now()
        with self.store.transaction():
            webhook_id = self.store.insert_webhook({
                "site_id": principal.site_id, "url": url, "events": ",".join(events), "active": int(active),
                "secret": secret, "created_at": now, "updated_at": now})
            audit.record(self.store, self.clock, principal, "webhook.added", subject=f"webhook {webhook_id} {url}",
                         details={"url": url, "events": events, "active": active})
        return public_webhook(self.store.webhook(webhook_id)), secret

    def update(self, principal, webhook_id, *, url=None, events=None, active=None,
               rotate_secret: bool = False) -> tuple[dict, str | None]:
        """Change what is given; `rotate_secret` makes a new secret (returned, shown once)."""
        row = self.get(principal, webhook_id)
        changes = {}
        if url is not None:
            changes["url"] = check_url(url, self.settings.get("webhooks_allow_http_loopback", False),
                                       self.settings.get("webhooks_allow_private_addresses", False))
        if events is not None:
            changes["events"] = ",".join(check_events(events))
        if active is not None:
            if not isinstance(active, bool):
                raise Invalid("'active' must be true or false", "active")
            changes["active"] = int(active)
        if not isinstance(rotate_secret, bool):
            raise Invalid("'rotate_secret' must be true or false", "rotate_secret")
        changes = {key: value for key, value in changes.items() if value != row[key]}
        secret = new_secret() if rotate_secret else None
        if not changes and secret is None:
            return public_webhook(row), None
        details = {key: (value.split(",") if key == "events" else bool(value) if key == "active" else value)
                   for key, value in changes.items()}
        if secret is not None:
            changes["secret"] = secret
            details["secret"] = "rotated"
        with self.store.transaction():
            self.store.update_webhook(row["id"], {**changes, "updated_at": self._now()})
            action = "webhook.secret_rotated" if list(details) == ["secret"] else "webhook.changed"
            audit.record(self.store, self.clock, principal, action,
                         subject=f"webhook {row['id']} {changes.get('url', row['url'])}", details=details)
        return public_webhook(self.store.webhook(row["id"])), secret

    def delete(self, principal, webhook_id) -> None:
        row = self.get(principal, webhook_id)
        with self.store.transaction():
            self.store.delete_webhook(row["id"])
            audit.record(self.store, self.clock, principal, "webhook.deleted", subject=f"webhook {row['id']} {row['url']}",
                         details={"url": row["url"]})

    def deliveries(self, principal, webhook_id, limit: int = 20) -> list[dict]:
        row = self.get(principal, webhook_id)
        return [public_delivery(d) for d in self.store.deliveries_of_webhook(row["id"], limit)]

    def send_test(self, principal, webhook_id) -> dict:
        """Queue a `webhook.test` event with an example visit; the worker sends it at once."""
        row = self.get(principal, webhook_id)
        now = self._now()
        example = {
            "id": 0, "status": "waiting", "customer": {"id": 0, "name": "Test Customer", "host": None},
            "host": {"id": 0, "name": "Test Host"}, "acknowledged_by": None, "arrived_at": now,
            "acknowledged_at": None, "greeted_at": None, "completed_at": None, "abandoned_at": None,
            "appointment": None, "help_requested": False, "assignment_reason": None, "language": None,
            "topic": None, "party_size": 1, "escalated_at": None, "escalation_reason": None,
        }
        delivery = self._delivery(row["id"], None, TEST_EVENT, f"{TEST_EVENT}:{uuid.uuid4()}", now, example, {})
        self.store.enqueue_deliveries([delivery])
        with self.store.transaction():
            audit.record(self.store, self.clock, principal, "webhook.tested", subject=f"webhook {row['id']} {row['url']}",
                         details={"delivery": delivery["uuid"]})
        return {"id": delivery["uuid"], "event": TEST_EVENT}

    def enqueue(self, event) -> int:
        """For the publish path: queue the event for each subscribed endpoint. Cheap: one
        indexed read, and one insert only when an endpoint wants the event."""
        rows = []
        for name, key, extra in webhook_events(event):
            visit = event.visit
            for webhook in self.store.subscribed_webhooks(visit["site_id"], name):
                occurred = visit.get(_STATUS_TIMES.get(name, "")) or self._now()
                rows.append(self._delivery(webhook["id"], visit["id"], name, key, self._now(), public_visit(visit),
                                           extra, occurred))
        return self.store.enqueue_deliveries(rows)

    @staticmethod
    def _delivery(webhook_id, visit_id, name, key, now, visit, extra, occurred_at=None) -> dict:
        delivery_id = str(uuid.uuid4())
        body = {"event": name, "id": delivery_id, "occurred_at": occurred_at or now, "visit": visit, **extra}
        return {"uuid": delivery_id, "webhook_id": webhook_id, "visit_id": visit_id, "event": name, "event_key": key,
                "body": json.dumps(body, ensure_ascii=False, separators=(",", ":")), "status": "pending",
                "attempts": 0, "created_at": now, "next_attempt_at": now}


def publishing(publish, webhooks: Webhooks):
    """Wrap the realtime publish: boards first, then the outbox; a webhook problem never
    stops an alert (it is logged)."""

    def publish_and_queue(event) -> None:
        publish(event)
        try:
            webhooks.enqueue(event)
        except Exception:
            log.exception("could not queue webhooks for %s", getattr(event, "name", event))

    return publish_and_queue


# --- sending ------------------------------------------------------------------------------------------

class AddressRefused(OSError):
    """The receiver's name leads into this machine or its local network, which is not allowed."""


def check_address(host: str, port: int, *, allow_private: bool, allow_loopback: bool) -> None:
    """Refuse a receiver that resolves to a loopback, private, link-local or otherwise
    non-public address, unless the settings allow it: a site manager must not be able to
    make the server call into the network it runs in (checked at each delivery, after DNS)."""
    for *_, sockaddr in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP):
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if address.is_loopback and allow_loopback:
            continue
        if not address.is_global and not allow_private:
            raise AddressRefused(f"{host} resolves to {address}, which is not a public address "
                                 "(setting webhooks_allow_private_addresses)")


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


def start_worker(socketio, sender: Sender, poll_seconds: float = 1.0) -> None:
    """In the serving process: once a second, claim what is due and send each on a task of its own."""

    def run_forever():
        rounds = 0
        while True:
            try:
                if rounds % round(FORGET_EVERY_SECONDS / poll_seconds) == 0:
                    sender.forget_old()
                rounds += 1
                for delivery in sender.claim_due():
                    socketio.start_background_task(_attempt_logged, sender, delivery)
            except Exception:
                log.exception("webhook worker: could not claim deliveries; trying again")
            socketio.sleep(poll_seconds)

    socketio.start_background_task(run_forever)


def _attempt_logged(sender: Sender, delivery: dict) -> None:
    try:
        sender.attempt(delivery)
    except Exception:
        log.exception("webhook delivery %s could not be recorded", delivery.get("uuid"))
