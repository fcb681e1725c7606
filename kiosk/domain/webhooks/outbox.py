"""A site's webhook endpoints and the outbox of their events.

Endpoints are registered, changed and removed with an audit entry each, in one
transaction. A use case that changes a visit writes the deliveries it owes in its own
transaction (`Webhooks.deliveries_for`, handed to the store): durable with the change,
and no network on the alert path. sender.py sends them.
"""

from __future__ import annotations

import json
import logging
import uuid

from kiosk.clock import to_iso
from kiosk.domain import audit
from kiosk.domain.domain_events import VisitArrived, VisitEscalated, VisitUpdated
from kiosk.domain.errors import Conflict, Invalid, NotFound, Reason
from kiosk.domain.visits import public_visit
from kiosk.domain.webhooks.addresses import check_url
from kiosk.domain.webhooks.signing import new_secret

EVENTS = ("visit.arrived", "visit.acknowledged", "visit.greeted", "visit.completed", "visit.abandoned",
          "visit.escalated")
TEST_EVENT = "webhook.test"
log = logging.getLogger(__name__)
_STATUS_EVENTS = {"acknowledged": "visit.acknowledged", "greeted": "visit.greeted",
                  "completed": "visit.completed", "abandoned": "visit.abandoned"}
_STATUS_TIMES = {"visit.arrived": "arrived_at", "visit.acknowledged": "acknowledged_at",
                 "visit.greeted": "greeted_at", "visit.completed": "completed_at",
                 "visit.abandoned": "abandoned_at"}


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


def check_events(events) -> list[str]:
    if not isinstance(events, list) or not all(isinstance(name, str) for name in events):
        raise Invalid(Reason("events_list", "'events' must be a list of event names"), "events")
    unknown = [name for name in events if name not in EVENTS]
    if unknown:
        raise Invalid(Reason("events_unknown", f"Unknown event {unknown[0][:40]!r}; choose from {', '.join(EVENTS)}",
                             name=unknown[0][:40]), "events")
    if not events:
        raise Invalid(Reason("events_none", "Choose at least one event"), "events")
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
            raise NotFound(Reason("webhook_missing", f"no webhook {webhook_id} on this site"))
        return row

    def register(self, principal, url, events, active=True) -> tuple[dict, str]:
        """A new endpoint; returns it and its secret (shown to the manager this once)."""
        url = check_url(url, self.settings.get("webhooks_allow_http_loopback", False),
                        self.settings.get("webhooks_allow_private_addresses", False))
        events = check_events(events)
        if not isinstance(active, bool):
            raise Invalid("'active' must be true or false", "active")
        secret, now = new_secret(), self._now()
        most = self.settings["webhooks_per_site_max"]
        webhook_id = self.store.add_webhook(
            {"site_id": principal.site_id, "url": url, "events": ",".join(events), "active": int(active),
             "secret": secret, "created_at": now, "updated_at": now},
            audit=lambda webhook_id: [audit.entry(self.clock, principal, "webhook.added",
                                                  subject=f"webhook {webhook_id} {url}",
                                                  details={"url": url, "events": events, "active": active})],
            most=most)
        if webhook_id is None:
            raise Conflict(Reason("webhooks_full", f"This site has {most} webhooks, the most it may have (setting "
                                  "webhooks_per_site_max); remove one first", most=most))
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
            details["secret"] = "rotated"  # nosec B105  # the audit says it changed, never the value
        action = "webhook.secret_rotated" if list(details) == ["secret"] else "webhook.changed"
        self.store.change_webhook(row["id"], {**changes, "updated_at": self._now()}, audit=[audit.entry(
            self.clock, principal, action, subject=f"webhook {row['id']} {changes.get('url', row['url'])}",
            details=details)])
        return public_webhook(self.store.webhook(row["id"])), secret

    def delete(self, principal, webhook_id) -> None:
        row = self.get(principal, webhook_id)
        self.store.remove_webhook(row["id"], audit=[audit.entry(
            self.clock, principal, "webhook.deleted", subject=f"webhook {row['id']} {row['url']}",
            details={"url": row["url"]})])

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
        self.store.queue_test_delivery(delivery, audit=[audit.entry(
            self.clock, principal, "webhook.tested", subject=f"webhook {row['id']} {row['url']}",
            details={"delivery": delivery["uuid"]})])
        return {"id": delivery["uuid"], "event": TEST_EVENT}

    def deliveries_for(self, events) -> list[dict]:
        """The outbox rows a change owes for its events, for each endpoint that asked for them;
        the store writes them in the change's own transaction. Cheap: one indexed read per
        event, rows only when an endpoint wants it. A fault here is logged and owes nothing,
        so a webhook problem never stops a check-in or its alert."""
        try:
            return [row for event in events for row in self._deliveries(event)]
        except Exception:
            log.exception("could not prepare the webhooks of %s", [getattr(event, "name", event) for event in events])
            return []

    def _deliveries(self, event) -> list[dict]:
        rows = []
        for name, key, extra in webhook_events(event):
            visit = event.visit
            for webhook in self.store.subscribed_webhooks(visit["site_id"], name):
                occurred = visit.get(_STATUS_TIMES.get(name, "")) or self._now()
                rows.append(self._delivery(webhook["id"], visit["id"], name, key, self._now(), public_visit(visit),
                                           extra, occurred))
        return rows

    @staticmethod
    def _delivery(webhook_id, visit_id, name, key, now, visit, extra, occurred_at=None) -> dict:
        delivery_id = str(uuid.uuid4())
        body = {"event": name, "id": delivery_id, "occurred_at": occurred_at or now, "visit": visit, **extra}
        return {"uuid": delivery_id, "webhook_id": webhook_id, "visit_id": visit_id, "event": name, "event_key": key,
                "body": json.dumps(body, ensure_ascii=False, separators=(",", ":")), "status": "pending",
                "attempts": 0, "created_at": now, "next_attempt_at": now}
