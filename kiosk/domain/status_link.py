"""The customer's own view of their visit: the status link (`/v/<token>`) and what it shows.

The token is `<visit id>-<HMAC-SHA256 of the visit id under the database's status secret>`,
the HMAC cut to 192 bits: nothing is stored per link, the kiosk's `GET /visits/<id>` shows
the same link again, and a token cannot be made without the secret (compared in constant
time). A link works until `status_link_hours` after its visit closed.

What the link shows (`status_of`) is the contract's Status: first names of the host and of
who acknowledged, who has been alerted, how many wait ahead for the same host, an honest
estimate (estimates.py) — never another customer, the customer's contact data or a note.
The customer may leave (an open visit not yet greeted is abandoned, `left_by_customer`),
step out for 5, 10 or 15 minutes (the host's card says so; the ladder waits), and rate
their visit once it is completed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import timedelta

from kiosk.clock import from_iso, to_iso
from kiosk.domain.domain_events import VisitUpdated
from kiosk.domain.errors import Conflict, NotFound
from kiosk.domain.visits import CLOSED_STATUSES

TOKEN_PATTERN = re.compile(r"([1-9][0-9]{0,18})-([A-Za-z0-9_-]{32})")
MAC_BYTES = 24  # 192 bits
AWAY_MINUTES = (5, 10, 15)
LEFT_BY_CUSTOMER = "left_by_customer"


def first_name(name: str | None) -> str | None:
    if not name:
        return None
    words = name.split()
    return words[0] if words else None


def _person(name: str | None) -> dict | None:
    first = first_name(name)
    return {"name": first} if first else None


def alerted(visit: dict) -> str:
    """Who has been alerted so far: the team once it escalated, the host once an alert reached them."""
    if visit["escalated_at"]:
        return "team"
    return "host" if visit["alert_delivered_at"] else "nobody"


def updated_at(visit: dict) -> str:
    times = [visit[key] for key in ("arrived_at", "acknowledged_at", "greeted_at", "completed_at", "abandoned_at",
                                    "escalated_at", "alert_delivered_at") if visit.get(key)]
    return max(times)


class StatusLinks:
    def __init__(self, store, clock, estimates, publish, *, hours_for, feedback):
        """`hours_for(site_id)` is a site's `status_link_hours`; `feedback(visit_id, rating)`
        stores the one-tap rating of a visit row (the front desk's rule, shared with the kiosk)."""
        self.store = store
        self.clock = clock
        self.estimates = estimates
        self.publish = publish
        self.hours_for = hours_for
        self.feedback = feedback
        self._secret: bytes | None = None

    def token_for(self, visit_id: int) -> str:
        return f"{visit_id}-{self._mac(visit_id)}"

    def path_for(self, visit_id: int) -> str:
        return f"/v/{self.token_for(visit_id)}"

    def visit_for_token(self, token) -> dict:
        """The visit a token is for, if it is genuine and not expired; else NotFound."""
        match = TOKEN_PATTERN.fullmatch(token) if isinstance(token, str) else None
        if match is None or not hmac.compare_digest(self._mac(int(match[1])), match[2]):
            raise NotFound("no such status link")
        visit = self.store.visit(int(match[1])) if int(match[1]) < 2**63 else None
        if visit is None or self._expired(visit):
            raise NotFound("no such status link")
        return visit

    def status_of(self, visit: dict, *, log: bool = True) -> dict:
        """The contract's Status of one visit."""
        waiting = visit["status"] in ("waiting", "acknowledged")
        ahead = self.store.visits_ahead(visit) if waiting and visit["host_id"] is not None else (0 if waiting else None)
        return {
            "status": visit["status"],
            "host": _person(visit["host_name"]),
            "acknowledged_by": _person(visit["acknowledged_by_name"]),
            "alerted": alerted(visit),
            "ahead": ahead,
            "wait_estimate_seconds": self.estimates.for_visit(visit, ahead, log=log) if waiting else None,
            "away_until": visit["away_until"] if waiting and visit["away_until"] else None,
            "feedback_given": visit["feedback_rating"] is not None,
            "arrived_at": visit["arrived_at"],
            "updated_at": updated_at(visit),
        }

    def status(self, token) -> dict:
        return self.status_of(self.visit_for_token(token))

    def leave(self, token) -> dict:
        """The customer had to go: a visit not yet greeted is abandoned; any other stays as it is."""
        visit = self.visit_for_token(token)
        if visit["status"] in ("waiting", "acknowledged"):
            now = to_iso(self.clock.now())
            changed = self.store.apply_transition(
                visit["id"], visit["status"],
                {"status": "abandoned", "abandoned_at": now, "abandon_reason": LEFT_BY_CUSTOMER})
            if changed is not None:
                self.publish(VisitUpdated(changed))
                return self.status_of(changed)
            visit = self.store.visit(visit["id"])
        return self.status_of(visit)

    def step_out(self, token, minutes) -> dict:
        """The customer stepped out for `minutes` (5, 10 or 15): the host's card says so, and the
        ladder waits until then before escalating further. 409 once greeted or closed."""
        visit = self.visit_for_token(token)
        until = to_iso(self.clock.now() + timedelta(minutes=minutes))
        changed = self.store.set_away_until(visit["id"], until)
        if changed is None:
            raise Conflict(f"the visit is {visit['status']}: nobody is waiting for you to come back")
        self.publish(VisitUpdated(changed, staff_only=True))
        return self.status_of(changed)

    def give_feedback(self, token, rating: int) -> dict:
        visit = self.visit_for_token(token)
        self.feedback(visit, rating)
        return self.status_of(self.store.visit(visit["id"]))

    def updates_for(self, visit: dict, open_pages: set[int] | None = None) -> list[tuple[int, dict]]:
        """(visit id, Status) for each status page a change of `visit` concerns: its own, and
        those waiting for the same host (their number ahead may have moved); of these only
        the pages that are open (`open_pages`, the visits whose page listens; None: any may be):
        a Status costs queries, and most customers never open their page. With the open pages
        known this costs what they number, not what the host's queue numbers."""
        def watched(visit_id: int) -> bool:
            return open_pages is None or visit_id in open_pages

        updates = [(visit["id"], self.status_of(visit, log=False))] if watched(visit["id"]) else []
        if visit["host_id"] is None:
            return updates
        if open_pages is None:
            others = [visit_id for visit_id in self.store.waiting_visit_ids_of_host(visit["site_id"], visit["host_id"])
                      if visit_id != visit["id"]]
        else:
            others = sorted(open_pages - {visit["id"]})
        rows = self.store.open_visits_by_id(others) if others else []
        return updates + [(other["id"], self.status_of(other, log=False)) for other in rows
                          if other["status"] == "waiting" and other["host_id"] == visit["host_id"]
                          and other["site_id"] == visit["site_id"]]

    def _expired(self, visit: dict) -> bool:
        if visit["status"] not in CLOSED_STATUSES:
            return False
        closed = from_iso(visit["completed_at"] or visit["abandoned_at"])
        return self.clock.now() - closed > timedelta(hours=self.hours_for(visit["site_id"]))

    def _mac(self, visit_id: int) -> str:
        if self._secret is None:
            self._secret = self.store.status_link_secret()
        digest = hmac.new(self._secret, f"visit:{visit_id}".encode(), hashlib.sha256).digest()[:MAC_BYTES]
        return base64.urlsafe_b64encode(digest).decode()

