"""The visit loop as use cases: check in, acknowledge, greet, complete, abandon, feedback.

Plain Python: it takes a store, a clock, the presence tracker, the escalation
ladder, the webhooks' outbox and a `publish` callable, and knows nothing of Flask
or Socket.IO. Each use case writes in one transaction of the store's, with the
deliveries it owes; its events are published once that is committed.
"""

from __future__ import annotations

from kiosk.clock import to_iso
from kiosk.domain import audit
from kiosk.domain.assignment import assign_host
from kiosk.domain.auth import Principal
from kiosk.domain.customers import customer_fields, match_customer, normalize_phone
from kiosk.domain.domain_events import VisitArrived, VisitEscalated, VisitUpdated
from kiosk.domain.errors import Conflict, Forbidden, Invalid, NotFound
from kiosk.domain.inputs import is_id
from kiosk.domain.presence import candidates
from kiosk.domain.ratelimit import RateLimiter
from kiosk.domain.visits import arrival_context, plan_transition, plan_undo_complete

FEEDBACK_RATINGS = (1, 2, 3)  # the kiosk's three faces: unhappy, neutral, happy


class NoChannels:
    """Where no channels are wired: no alert owes any notice."""

    def notices_for(self, _events) -> list[dict]:
        return []


def _visit_columns(kiosk: Principal, checkin: dict, customer, appointment, assignment, now: str) -> dict:
    """The stored row of a new visit (its customer id is filled in when the customer is new)."""
    return {
        "site_id": kiosk.site_id, "kiosk_id": kiosk.id, "client_id": checkin["client_id"],
        "customer_id": customer["id"] if customer else None,
        "host_id": assignment.host_id, "assignment_reason": assignment.reason, "status": "waiting",
        "language": checkin.get("language"), "topic": checkin.get("topic"),
        "party_size": checkin.get("party_size"), "appointment_code": checkin.get("appointment_code"),
        "appointment_id": appointment["id"] if appointment else None, "arrived_at": now,
        "privacy_notice_version": checkin.get("privacy_notice_version"),
        "help_requested": int(checkin.get("help", False)), "name_given": checkin["name"] or None,
        "sms_consent": int(checkin.get("text_me", False)),
    }


def sms_number(checkin: dict, default_country_code: str) -> str | None:
    """The number to text when someone is coming (+ and digits), only with the customer's consent."""
    if not checkin.get("text_me"):
        return None
    digits = normalize_phone(checkin.get("phone"), default_country_code)
    return f"+{digits}" if digits else None


def visit_context(store, visit: dict) -> dict:
    """What the host's alert card shows about a visit (sent with the alert and in snapshots)."""
    return arrival_context(visit, store.previous_visits(visit["customer_id"], visit["id"]))


class FrontDesk:
    def __init__(self, store, clock, presence, publish, *, checkin_limiter: RateLimiter, escalator,
                 appointments, outbox, settings: dict, channels=None):
        """`outbox` (webhooks/outbox.py) says which deliveries a change owes, `channels`
        (channels/outbox.py) which notices to hosts' channels; both are written in the
        change's own transaction."""
        self.store = store
        self.clock = clock
        self.presence = presence
        self.publish = publish
        self.checkin_limiter = checkin_limiter
        self.escalator = escalator
        self.appointments = appointments
        self.outbox = outbox
        self.settings = settings
        self.channels = channels or NoChannels()

    def check_in(self, kiosk: Principal, checkin: dict) -> tuple[dict, bool]:
        """Store a check-in made at `kiosk` and alert its host.

        Returns (visit row, created). A retry with a `client_id` this kiosk already
        sent gets the stored visit and changes nothing (and is not rate limited); so does
        a known customer who already has an open visit, who is answered like a new one (a
        kiosk's answer never tells whether a contact was known). Raises RateLimited when
        the kiosk checks in too often.
        """
        existing = self.store.visit_by_client_id(kiosk.id, checkin["client_id"])
        if existing:
            self._alert_again_if_unheard(existing)
            return existing, False
        appointment = self.appointments.for_checkin(kiosk.site_id, checkin.get("appointment_code"))
        customer, contact_conflict = match_customer(self.store, kiosk.site_id, checkin, appointment)
        if customer is not None:
            open_visit = self.store.open_visit_of_customer(customer["id"])
            if open_visit:
                return self._follow_to_kiosk(open_visit, kiosk), True
        self.checkin_limiter.hit(kiosk.id)
        now = to_iso(self.clock.now())
        assignment = assign_host(
            candidates(self.store, self.presence, kiosk.site_id),
            dedicated_host_id=customer["host_id"] if customer else None,
            appointment_host_id=appointment["host_id"] if appointment else None,
            language=checkin.get("language") or (customer or {}).get("language"),
            topic=checkin.get("topic"),
            order=tuple(self.settings["assignment_order"]),
        )
        if checkin.get("help"):
            escalation = "help_requested"
        elif assignment.escalate_now:
            escalation = "host_unavailable"
        else:
            escalation = None
        visit = _visit_columns(kiosk, checkin, customer, appointment, assignment, now)
        visit["contact_conflict"] = int(contact_conflict)
        visit["sms_to"] = sms_number(checkin, self.settings["default_country_code"])
        if escalation:  # the team is alerted at once: the visit begins on the ladder's first step
            visit.update(escalated_at=now, escalation_reason=escalation)
        new_customer = None if customer else customer_fields(
            kiosk.site_id, checkin, now, with_contact=not contact_conflict)
        row = self.store.record_check_in(
            visit, new_customer, appointment["id"] if appointment else None,
            owed=lambda row: self.outbox.deliveries_for(self._arrival_events(row, escalation)),
            notices=lambda row: self.channels.notices_for(self._arrival_events(row, escalation)))
        if row is None:
            existing = self.store.visit_by_client_id(kiosk.id, checkin["client_id"])
            self._alert_again_if_unheard(existing)
            return existing, False
        for event in self._arrival_events(row, escalation, visit_context(self.store, row)):
            self.publish(event)
        return row, True

    def _alert_again_if_unheard(self, visit: dict | None) -> None:
        """A kiosk retries a check-in whose answer it never got: the server process that stored
        it may have died between the commit and the alert (several processes behind a proxy,
        one killed). While the guest still waits and no board has confirmed the alert, the host
        is alerted again from here; the channels' and webhooks' notices were stored with the visit."""
        if visit is not None and visit["status"] == "waiting" and visit["alert_delivered_at"] is None:
            for event in self._arrival_events(visit, None, visit_context(self.store, visit)):
                self.publish(event)

    def _arrival_events(self, row: dict, escalation: str | None, context: dict | None = None) -> list:
        """A new visit's events: its host's alert, the site's update, and the team's alert when
        it escalates at once (help requested, or its host cannot be reached)."""
        events = [VisitArrived(row, context or {}), VisitUpdated(row)]
        if escalation:
            events.append(VisitEscalated(row, "team", escalation, self.escalator.available_hosts(row["site_id"])))
        return events

    def _follow_to_kiosk(self, visit: dict, kiosk: Principal) -> dict:
        """A customer with an open visit checks in again at another kiosk: that kiosk now follows it."""
        if visit["kiosk_id"] != kiosk.id and self.store.move_visit_to_kiosk(visit["id"], kiosk.id):
            return self.store.visit(visit["id"])
        return visit

    def visit_for(self, principal: Principal, visit_id: int) -> dict:
        row = self.store.visit(visit_id) if 0 < visit_id < 2**63 else None
        if row is None or row["site_id"] != principal.site_id:
            raise NotFound(f"no visit {visit_id}")
        if not principal.sees(row):
            raise Forbidden("a kiosk may only read the visits it made")  # another kiosk's
        return row

    def open_visits(self, principal: Principal) -> list[dict]:
        return self.store.open_visits(principal.site_id)

    def act(self, host: Principal, visit_id: int, action: str, note: str | None = None) -> dict:
        """Apply one step of the state machine for `host`; raises IllegalTransition (409).

        The update is conditional on the status read, so of two hosts acting at
        once exactly one changes the visit; the other re-reads and gets the
        answer for the visit as it now is (and so learns who was first). The
        first host to greet a customer without a host becomes their host.
        """
        row = self.visit_for(host, visit_id)
        while True:
            now = to_iso(self.clock.now())
            changes = plan_transition(row, action, host.id, now, note)
            if not changes:
                return row
            owner = (row["customer_id"], host.id, now) if action == "greet" else None
            changed = self.store.apply_transition(
                visit_id, row["status"], changes, owner=owner,
                owed=lambda changed: self.outbox.deliveries_for([VisitUpdated(changed)]),
                notices=lambda changed: self.channels.notices_for([VisitUpdated(changed)]))
            if changed is not None:
                self.publish(VisitUpdated(changed))
                return changed
            row = self.store.visit(visit_id)

    def undo_complete(self, host: Principal, visit_id: int) -> dict:
        """Take back a "Done" tapped less than a minute ago (visits.UNDO_COMPLETE_SECONDS): the
        visit is greeted again, its completion time gone (no stats count it), recorded in the
        audit log with when it had been completed, and every board of the site hears of it.
        Raises UndoExpired or IllegalTransition (409). Conditional like `act`: of two hosts
        undoing at once, one changes the visit and the other gets it as it now is."""
        row = self.visit_for(host, visit_id)
        while True:
            changes = plan_undo_complete(row, self.clock.now())
            if not changes:
                return row
            changed = self.store.apply_transition(
                visit_id, "completed", changes,
                owed=lambda changed: self.outbox.deliveries_for([VisitUpdated(changed)]),
                notices=lambda changed: self.channels.notices_for([VisitUpdated(changed)]),
                audit=self._undo_entries(host, row))
            if changed is not None:
                self.publish(VisitUpdated(changed))
                return changed
            row = self.store.visit(visit_id)

    def _undo_entries(self, host: Principal, row: dict):
        """The audit entry of undoing `row`'s completion, for the store to write with the change."""
        def entries(_changed: dict) -> list[dict]:
            return [audit.entry(self.clock, host, "visit.completion_undone", subject=f"visit {row['id']}",
                                details={"completed_at": row["completed_at"]})]
        return entries

    def give_feedback(self, kiosk: Principal, visit_id: int, rating) -> dict:
        """A customer's one-tap rating on the way out, through the kiosk that checked them in."""
        return self.record_feedback(self.visit_for(kiosk, visit_id), rating)

    def record_feedback(self, row: dict, rating: int) -> dict:
        """A visit's one rating (from its kiosk or its status page): completed visits only, once."""
        if row["status"] != "completed":
            raise Conflict("feedback is for completed visits")
        if not self.store.insert_feedback(row["id"], rating, to_iso(self.clock.now())):
            raise Conflict("this visit already has feedback")
        return self.store.visit(row["id"])

    def reassign_customer(self, principal: Principal, customer_id: int, host_id) -> dict:
        """Make another host of the site the customer's own host (logged with who and when)."""
        customer = self.store.customer(customer_id) if 0 < customer_id < 2**63 else None
        if customer is None or customer["site_id"] != principal.site_id:
            raise NotFound(f"no customer {customer_id}")
        hosts = {row["id"]: row for row in self.store.active_hosts(principal.site_id)}
        if not is_id(host_id) or host_id not in hosts:
            raise Invalid("'host_id' must be the id of an active host of this site", "host_id")
        self.store.set_customer_host(customer_id, host_id, principal.role, principal.id, to_iso(self.clock.now()))
        open_visit = self.store.open_visit_of_customer(customer_id)
        if open_visit is not None:
            self.publish(VisitUpdated(open_visit, staff_only=True))
        return {"id": customer_id, "name": customer["name"],
                "host": {"id": host_id, "name": hosts[host_id]["name"]}}
