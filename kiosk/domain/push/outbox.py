"""Web Push for board devices: subscriptions, the notices an alert owes them, the notification's
content, and its "I've seen it" button.

Who is owed a push, and when, follows the "unconfirmed" channels (CONTRACT.md, "channels"): the
host's own alert (`visit.arrived`) and a team escalation to them (`visit.escalated`) go to each of
the host's subscribed devices at once when no board of the host is open, else when no board
confirmed the alert within `alert_receipt_seconds`; each device hears of a visit once. The notices
are written in the check-in's (or escalation's) own transaction, beside the channels' notices.

The service worker that shows a notification has no sign-in of its own it can count on, so
"I've seen it" carries a one-time token instead: 128 random bits, stored only as SHA-256, good
for its one visit, once, until it expires (`POST /api/v1/push/ack/<token>`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from datetime import timedelta
from zoneinfo import ZoneInfo

from kiosk.clock import from_iso, to_iso
from kiosk.domain.auth import Principal
from kiosk.domain.channels import messages
from kiosk.domain.domain_events import VisitArrived, VisitEscalated
from kiosk.domain.errors import Forbidden, NotFound
from kiosk.domain.push import keys, sending, subscriptions

ACK_TOKEN_BYTES = 16  # 128 bits
ACK_HOURS = 2  # a notification's button works this long (a visit is long settled by then)
log = logging.getLogger(__name__)


def ack_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def public_device(row: dict) -> dict:
    """A subscription as its host sees it: never its keys; the endpoint's push service only."""
    return {"id": row["id"], "endpoint": row["endpoint"], "created_at": row["created_at"],
            "last_ok_at": row["last_ok_at"], "last_error": row["last_error"], "last_error_at": row["last_error_at"]}


class WebPush:
    """Board devices' push subscriptions (a host's own), and the push outbox."""

    def __init__(self, store, clock, presence, settings: dict, *, site_settings, texts_for, languages=("en",),
                 send=sending.send, offload=None):
        """`send`: one push (sending.py); `offload(function)`: runs it on an OS thread (the server's)."""
        self.store = store
        self.clock = clock
        self.presence = presence
        self.settings = settings
        self.site_settings = site_settings
        self.texts_for = texts_for
        self.languages = tuple(languages)
        self.send = send
        self.offload = offload or (lambda function: function())

    def _now(self) -> str:
        return to_iso(self.clock.now())

    # ---------------------------------------------------------------- keys and subscriptions

    def vapid_keys(self) -> tuple[str, str]:
        """(private PEM, public base64url), made the first time they are needed (`gastgeber init` asks)."""
        return self.store.vapid_keys(keys.make_keys)

    def public_key(self) -> str:
        return self.vapid_keys()[1]

    def subscribe(self, principal, body: dict) -> dict:
        """Keep a board device's subscription for the signed-in host (the same device again replaces it)."""
        _host_only(principal)
        fields = subscriptions.parse(body, allow_http_loopback=self.settings["push_allow_http_loopback"])
        subscription_id = self.store.save_push_subscription(
            {"site_id": principal.site_id, "host_id": principal.id, **fields, "created_at": self._now()})
        return public_device(self.store.push_subscription(subscription_id))

    def unsubscribe(self, principal, subscription_id: int) -> None:
        _host_only(principal)
        row = self.store.push_subscription(subscription_id) if 0 < subscription_id < 2**62 else None
        if row is None or row["host_id"] != principal.id:
            raise NotFound(f"no push subscription {subscription_id} of yours")
        self.store.remove_push_subscription(row["id"])

    def forget_devices(self, principal, subscription_ids: list[int]) -> int:
        """At a board's sign-out: remove those of the browser's subscriptions that are still the
        host's (another host may have taken the device over since); how many were removed."""
        _host_only(principal)
        removed = 0
        for subscription_id in subscription_ids:
            row = self.store.push_subscription(subscription_id) if 0 < subscription_id < 2**62 else None
            if row is not None and row["host_id"] == principal.id:
                self.store.remove_push_subscription(row["id"])
                removed += 1
        return removed

    def devices(self, principal) -> list[dict]:
        _host_only(principal)
        return [public_device(row) for row in self.store.push_subscriptions_of_host(principal.id)]

    # ---------------------------------------------------------------- the outbox

    def notices_for(self, events) -> list[dict]:
        """The push notices an alert's events owe, for the store to write in the change's own
        transaction. A fault here is logged and owes nothing: push never stops a check-in."""
        try:
            return [row for event in events for row in self._notices(event)]
        except Exception:
            log.exception("could not prepare the push notices of %s", [getattr(e, "name", e) for e in events])
            return []

    def _notices(self, event) -> list[dict]:
        if isinstance(event, VisitArrived) and event.visit["host_id"] is not None:
            return self._for_hosts(event.visit, "arrived", [event.visit["host_id"]])
        if isinstance(event, VisitEscalated) and event.level == "team":
            return self._for_hosts(event.visit, "team", event.host_ids)
        return []

    def _for_hosts(self, visit: dict, alert: str, host_ids) -> list[dict]:
        devices = self.store.push_subscriptions_of_hosts(host_ids)
        if not devices:
            return []
        now = self.clock.now()
        later = to_iso(now + timedelta(seconds=self.settings["alert_receipt_seconds"]))
        with_boards = {host_id for host_id in {d["host_id"] for d in devices} if self.presence.boards_of(host_id)}
        return [{"subscription_id": device["id"], "visit_id": visit["id"], "alert": alert, "unless_confirmed": 1,
                 "status": "pending", "attempts": 0, "created_at": to_iso(now),
                 "next_attempt_at": later if device["host_id"] in with_boards else to_iso(now)}
                for device in devices]

    def new_ack(self, notice: dict) -> tuple[str, dict]:
        """A fresh one-time token for one notification, and the row that keeps its hash."""
        token = secrets.token_urlsafe(ACK_TOKEN_BYTES)
        expires = to_iso(self.clock.now() + timedelta(hours=ACK_HOURS))
        return token, {"token_hash": ack_hash(token), "visit_id": notice["visit_id"], "host_id": notice["host_id"],
                       "expires_at": expires, "used_at": None}

    def payload_for(self, notice: dict, token: str) -> bytes:
        """The notification the service worker shows: the guest (named only with
        `notify_customer_names`), since when, and the "I've seen it" button's one-time URL."""
        site = self.site_settings(notice["site_id"])
        language = messages.host_language(notice["host_languages"], self.languages, site["default_language"],
                                          notice["host_language"])
        texts = self.texts_for(language)
        since = from_iso(notice["arrived_at"]).astimezone(ZoneInfo(site["timezone"])).strftime("%H:%M")
        name = notice["customer_name"] if site["notify_customer_names"] else None
        key = "waiting_for_you" if notice["alert"] == "arrived" else "waiting_for_colleague"
        line = _text(texts, f"notify.named_{key}" if name else f"notify.{key}").format(
            time=since, host=notice["visit_host_name"] or "", name=_short(name or ""))
        return json.dumps({"title": _text(texts, "notify.title"), "body": line, "tag": f"visit-{notice['visit_id']}",
                           "visit_id": notice["visit_id"], "url": "/board", "ack_url": f"/api/v1/push/ack/{token}",
                           "ack_label": _text(texts, "board.js.acknowledge")}).encode()

    def push_now(self, notice: dict, payload: bytes) -> dict:
        private_pem, _public = self.vapid_keys()
        allow_loopback = self.settings["push_allow_http_loopback"]
        contact = self.settings["push_contact"] or "mailto:webpush@gastgeber.invalid"
        outcome = self.offload(lambda: self.send(notice, payload, private_pem=private_pem, contact=contact,
                                                 allow_loopback=allow_loopback))
        return {"at": self._now(), **outcome}

    # ---------------------------------------------------------------- the notification's button

    def acknowledge(self, token, desk) -> dict:
        """"I've seen it" from a notification: acknowledges its one visit as its host, once."""
        if not isinstance(token, str) or not 10 <= len(token) <= 100:
            raise NotFound("this notification's button is not known")
        row = self.store.use_push_ack(ack_hash(token), self._now())
        if row is None:
            raise NotFound("this notification's button has been used or has expired")
        host = self.store.person("host", row["host_id"])
        if host is None:
            raise NotFound("this notification's button is not known")
        principal = Principal("host", host["id"], host["name"], host["site_id"], host["site"])
        return desk.act(principal, row["visit_id"], "acknowledge")


def _host_only(principal) -> None:
    if principal.role != "host":
        raise Forbidden("push subscriptions belong to a host's board device")


def _short(name: str) -> str:
    return name if len(name) <= messages.NAME_MAX else name[:messages.NAME_MAX - 1] + "…"


def _text(texts: dict, key: str) -> str:
    return texts.get(key) or key
