"""The escalation ladder: nobody is left standing at the door because one alert was missed.

  1. team      the visit is still waiting `escalate_after_seconds` after arrival, or
               no board of its host confirmed the alert within
               `alert_receipt_seconds`, or its host was away or off at check-in:
               every available host of the site is alerted;
  2. managers  still waiting `escalate_managers_after_seconds` after arrival.

While the customer has stepped out ("back in 10 minutes" on their status page,
`away_until`), the ladder takes no further step; it goes on once that time has passed.

Each step is stored on the visit (escalated_at, escalated_to_managers_at). How long a
visit has waited is its stored `arrived_at` by the wall clock when this process first
sees it (within a second of the check-in), and from then on monotonic time
(clock.SteadyAges): a wall clock stepped back an hour does not hold the ladder back, one
set ahead does not fire it early, and after a restart the ladder resumes from the
stored times. Plain Python: a store, a clock, the webhooks' outbox and a `publish` callable.
"""

from __future__ import annotations

import heapq
import logging
from datetime import timedelta

from kiosk.clock import SteadyAges, from_iso, to_iso
from kiosk.domain.config import SETTINGS_BY_NAME
from kiosk.domain.domain_events import VisitEscalated, VisitUpdated
from kiosk.domain.presence import candidates
from kiosk.domain.sites import each_site

log = logging.getLogger(__name__)


class Escalator:
    def __init__(self, store, clock, presence, settings: dict, publish, outbox, site_settings=None, channels=None):
        """`site_settings(site_id)` gives a site's settings in force (site_settings.py);
        without it every site follows `settings`. `outbox` says which webhook deliveries
        a step owes (webhooks/outbox.py), `channels` which notices to hosts' channels
        (channels/outbox.py; the team's step reaches every available host's)."""
        self.store = store
        self.clock = clock
        self.presence = presence
        self.settings = settings
        self.publish = publish
        self.outbox = outbox
        self.site_settings = site_settings or (lambda site_id: settings)
        self.ladder = LadderClock(clock)
        self.channels = channels

    def escalate(self, visit: dict, level: str, reason: str) -> bool:
        """Take one step of the ladder for `visit`, once; False if it was not needed."""
        host_ids = self.available_hosts(visit["site_id"]) if level == "team" else ()
        row = self.store.mark_escalated(
            visit["id"], level, reason, to_iso(self.clock.now()),
            owed=lambda row: self.outbox.deliveries_for([VisitEscalated(row, level, reason)]),
            notices=lambda row: self._notices([VisitEscalated(row, level, reason, host_ids)]))
        if row is None:
            return False
        self.publish(VisitEscalated(row, level, reason, host_ids))
        # the team's step changes what the kiosk may say ("alerted": "team"); the managers' does not
        self.publish(VisitUpdated(row, staff_only=level != "team"))
        return True

    def _notices(self, events) -> list[dict]:
        return self.channels.notices_for(events) if self.channels is not None else []

    def available_hosts(self, site_id: int) -> tuple[int, ...]:
        """Who a team escalation goes to: every available host of the site."""
        return tuple(host.id for host in candidates(self.store, self.presence, site_id) if host.status == "available")

    def tick(self) -> int:
        """Escalate every visit whose time has come; returns how many steps were taken.

        Each visit is held against its own site's times. A site whose times cannot be read,
        or a visit whose step fails, is logged and skipped: the others still escalate.

        A tick reads only the visits that checked in since the last one and those whose next
        step may have come (`LadderClock`): with thousands waiting, reading and timing every
        one of them each second held the event loop for 100 ms and more. Every waiting visit
        is read again only on the first tick and when a site's times changed."""
        arrived = self.store.visits_on_the_ladder(after_id=self.ladder.last_id)
        limits = each_site(sorted(self.ladder.sites() | {visit["site_id"] for visit in arrived}), self._limits_ms,
                           what="the escalation ladder's times")
        if self.ladder.times_changed(limits):
            self.ladder.start_over(self.store.visits_on_the_ladder() if self.ladder.last_id else arrived, limits)
        else:
            self.ladder.time(arrived, limits)
        popped = self.ladder.pop_due()
        visits = self.store.ladder_rows(popped)
        due = []
        for level in ("team", "managers"):  # a visit due for both takes the team's step first
            due += [(visit, level, reason) for visit in visits if visit["site_id"] in limits
                    for reason in [self._due(visit, level, limits[visit["site_id"]])] if reason]
        steps = sum(self._step(visit, level, reason) for visit, level, reason in due)
        self.ladder.time(self.store.ladder_rows(popped), limits, forget=popped)
        return steps

    def _limits_ms(self, site_id: int) -> dict:
        """A site's times in ms; one outside the settings' rules (an older database's) raises ConfigError."""
        site = self.site_settings(site_id)

        def ms(values, name):
            return SETTINGS_BY_NAME[name].check(values[name], f"site {site_id}") * 1000

        return {"team": ms(site, "escalate_after_seconds"), "managers": ms(site, "escalate_managers_after_seconds"),
                "receipt": ms(self.settings, "alert_receipt_seconds")}

    def _due(self, visit: dict, level: str, limits: dict) -> str | None:
        """Why `visit` takes the ladder's step `level` now, or None."""
        waited = self.ladder.waited_ms(visit)
        if visit.get("away_until") and to_iso(self.clock.now()) < visit["away_until"]:
            return None  # the customer stepped out (their status page) and is not back yet
        if level == "managers":
            return "timeout" if visit["escalated_to_managers_at"] is None and waited >= limits["managers"] else None
        if visit["escalated_at"] is not None:
            return None
        if waited >= limits["team"]:
            return "timeout"
        return "undelivered" if visit["alert_delivered_at"] is None and waited >= limits["receipt"] else None

    def _step(self, visit: dict, level: str, reason: str) -> bool:
        try:
            return self.escalate(visit, level, reason)
        except Exception:
            log.exception("escalating visit %s (site %s) failed; the ladder goes on", visit["id"], visit["site_id"])
            return False


class LadderClock:
    """When each waiting visit can next take a step of the ladder, by monotonic time: a heap
    of deadlines, so a tick looks only at the visits whose time may have come.

    A deadline is the earliest moment a step could be due (the receipt time, the team's or
    the managers' time, or the end of the customer's "back in 10 minutes"); at that moment
    the visit is read again and decided as stored, so a greeting, a board's receipt or a
    step taken meanwhile is never missed: at worst a visit is looked at once for nothing.
    Visits come in by id (`last_id`): ids only grow, one writer at a time."""

    RETRY_MS = 1000  # a site whose times cannot be read: its visits are looked at again in a second

    def __init__(self, clock):
        self.clock = clock
        self.waited = SteadyAges(clock)
        self.started = False
        self.last_id = 0
        self.limits: dict[int, dict] = {}
        self.heap: list[tuple[float, int]] = []
        self.deadline_of: dict[int, tuple[float, str]] = {}  # visit id -> (its deadline, its arrived_at)

    def sites(self) -> set[int]:
        return set(self.limits)

    def times_changed(self, limits: dict[int, dict]) -> bool:
        """True on the first look and when a site's times are not those its deadlines were set by."""
        return not self.started or any(site_id in limits and limits[site_id] != known
                                       for site_id, known in self.limits.items())

    def start_over(self, visits: list[dict], limits: dict[int, dict]) -> None:
        """Time every visit on the ladder anew (their ages go on: they are kept by monotonic time)."""
        self.waited.keep_only((visit["id"], visit["arrived_at"]) for visit in visits)
        self.heap, self.deadline_of, self.limits = [], {}, {}
        self.started = True
        self.time(visits, limits)

    def time(self, visits: list[dict], limits: dict[int, dict], forget=()) -> None:
        """Set the next deadline of each of `visits` (as stored now); the ids of `forget` that are
        not among them left the ladder."""
        for visit_id in set(forget) - {visit["id"] for visit in visits}:
            arrived_at = self.deadline_of.pop(visit_id, (None, None))[1]
            self.waited.forget((visit_id, arrived_at))
        steady = self.clock.monotonic()
        for visit in visits:
            self.last_id = max(self.last_id, visit["id"])
            if visit["site_id"] in limits:
                self.limits[visit["site_id"]] = limits[visit["site_id"]]
            wait_ms = self._ms_to_next_step(visit, limits.get(visit["site_id"]))
            if wait_ms is None:
                self.waited.forget((visit["id"], visit["arrived_at"]))
                self.deadline_of.pop(visit["id"], None)
                continue
            deadline = steady + wait_ms / 1000
            self.deadline_of[visit["id"]] = (deadline, visit["arrived_at"])
            heapq.heappush(self.heap, (deadline, visit["id"]))

    def pop_due(self) -> list[int]:
        """The ids of the visits whose deadline has come (each once, until it is timed again)."""
        steady = self.clock.monotonic()
        due = []
        while self.heap and self.heap[0][0] <= steady:
            deadline, visit_id = heapq.heappop(self.heap)
            if self.deadline_of.get(visit_id, (None,))[0] == deadline:
                due.append(visit_id)
        return due

    def waited_ms(self, visit: dict) -> int:
        return self.waited.age_ms((visit["id"], visit["arrived_at"]), visit["arrived_at"])

    def _ms_to_next_step(self, visit: dict, limits: dict | None) -> int | None:
        """How long until `visit` could take a step; None if it has no step left."""
        if limits is None:
            return self.RETRY_MS
        steps = [limits["managers"]] if visit["escalated_to_managers_at"] is None else []
        if visit["escalated_at"] is None:
            steps.append(limits["receipt"] if visit["alert_delivered_at"] is None else limits["team"])
        if not steps:
            return None
        now = self.clock.now()
        if visit.get("away_until") and to_iso(now) < visit["away_until"]:
            return max((from_iso(visit["away_until"]) - now) // timedelta(milliseconds=1), 0)
        return max(min(steps) - self.waited_ms(visit), 0)
