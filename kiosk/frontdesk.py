"""The visit loop as use cases: check in, acknowledge, greet, complete, abandon.

Plain Python: it takes a store, a clock, the presence tracker and a `publish`
callable, and knows nothing of Flask or Socket.IO. Every change is committed
before its event is published.
"""

from __future__ import annotations

from dataclasses import dataclass

from .assignment import assign_host
from .auth import Principal
from .clock import to_iso
from .ratelimit import RateLimiter
from .visits import plan_transition


@dataclass(frozen=True)
class VisitArrived:
    """A new visit was stored; its host must be alerted."""

    visit: dict
    name = "visit.arrived"


@dataclass(frozen=True)
class VisitUpdated:
    """A visit was created or changed; boards of the site and its kiosk follow it."""

    visit: dict
    name = "visit.updated"


class VisitNotFound(Exception):
    pass


class NotYourVisit(Exception):
    """The visit exists on the caller's site but the caller may not see it (another kiosk's)."""


class FrontDesk:
    def __init__(self, store, clock, presence, publish, checkin_limiter: RateLimiter):
        self.store = store
        self.clock = clock
        self.presence = presence
        self.publish = publish
        self.checkin_limiter = checkin_limiter

    def check_in(self, kiosk: Principal, checkin: dict) -> tuple[dict, bool]:
        """Store a check-in made at `kiosk` and alert its host.

        Returns (visit row, created). A retry with a `client_id` this kiosk already
        sent returns the stored visit and changes nothing (and is not rate limited).
        Raises RateLimited when the kiosk checks in too often.
        """
        existing = self.store.visit_by_client_id(kiosk.id, checkin["client_id"])
        if existing:
            return existing, False
        self.checkin_limiter.hit(kiosk.id)
        now = to_iso(self.clock.now())
        assignment = assign_host(
            self.store.active_hosts(kiosk.site_id),
            self.store.open_visit_counts(kiosk.site_id),
            self.presence.signed_in(),
        )
        customer = {
            "site_id": kiosk.site_id, "name": checkin["name"], "phone": checkin.get("phone"),
            "email": checkin.get("email"), "language": checkin.get("language"), "created_at": now,
        }
        visit = {
            "site_id": kiosk.site_id, "kiosk_id": kiosk.id, "client_id": checkin["client_id"],
            "host_id": assignment.host_id, "assignment_reason": assignment.reason, "status": "waiting",
            "language": checkin.get("language"), "topic": checkin.get("topic"),
            "party_size": checkin.get("party_size"), "appointment_code": checkin.get("appointment_code"),
            "arrived_at": now,
        }
        visit_id = self.store.insert_visit(customer, visit)
        if visit_id is None:
            return self.store.visit_by_client_id(kiosk.id, checkin["client_id"]), False
        row = self.store.visit(visit_id)
        self.publish(VisitArrived(row))
        self.publish(VisitUpdated(row))
        return row, True

    def visit_for(self, principal: Principal, visit_id: int) -> dict:
        row = self.store.visit(visit_id) if 0 < visit_id < 2**63 else None
        if row is None or row["site_id"] != principal.site_id:
            raise VisitNotFound(visit_id)
        if not principal.sees(row):
            raise NotYourVisit(visit_id)
        return row

    def open_visits(self, principal: Principal) -> list[dict]:
        return self.store.open_visits(principal.site_id)

    def act(self, host: Principal, visit_id: int, action: str, note: str | None = None) -> dict:
        """Apply one step of the state machine for `host`; raises IllegalTransition (409).

        The update is conditional on the status read, so of two hosts acting at
        once exactly one changes the visit; the other re-reads and gets the
        answer for the visit as it now is.
        """
        row = self.visit_for(host, visit_id)
        while True:
            changes = plan_transition(row, action, host.id, to_iso(self.clock.now()), note)
            if not changes:
                return row
            if self.store.update_visit(visit_id, row["status"], changes):
                row = self.store.visit(visit_id)
                self.publish(VisitUpdated(row))
                return row
            row = self.store.visit(visit_id)
