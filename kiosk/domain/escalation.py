"""The escalation ladder: nobody is left standing at the door because one alert was missed.

  1. team      the visit is still waiting `escalate_after_seconds` after arrival, or
               no board of its host confirmed the alert within
               `alert_receipt_seconds`, or its host was away or off at check-in:
               every available host of the site is alerted;
  2. managers  still waiting `escalate_managers_after_seconds` after arrival.

Each step is stored on the visit (escalated_at, escalated_to_managers_at), and
`tick` derives what is due from stored times alone, so the ladder resumes after a
restart. Plain Python: a store, a clock, the webhooks' outbox and a `publish` callable.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from kiosk.clock import to_iso
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
        self.publish(VisitUpdated(row, staff_only=True))
        return True

    def _notices(self, events) -> list[dict]:
        return self.channels.notices_for(events) if self.channels is not None else []

    def available_hosts(self, site_id: int) -> tuple[int, ...]:
        """Who a team escalation goes to: every available host of the site."""
        return tuple(host.id for host in candidates(self.store, self.presence, site_id) if host.status == "available")

    def tick(self) -> int:
        """Escalate every visit whose time has come; returns how many steps were taken.

        Each site has its own times: the query takes the earliest any site allows, and
        each visit is held against its own site's. A site whose times cannot be read, or a
        visit whose step fails, is logged and skipped: the others still escalate."""
        now = self.clock.now()
        cutoffs = each_site(self.store.site_ids(), lambda site_id: (
            self._ago(now, site_id, "escalate_after_seconds"),
            self._ago(now, site_id, "escalate_managers_after_seconds")), what="the escalation ladder's times")
        if not cutoffs:
            return 0
        receipt_cutoff = to_iso(now - timedelta(seconds=self.settings["alert_receipt_seconds"]))
        due = []
        for visit in self.store.visits_due_for_team(max(team for team, _ in cutoffs.values()), receipt_cutoff):
            if visit["site_id"] not in cutoffs:
                continue
            if visit["arrived_at"] <= cutoffs[visit["site_id"]][0]:
                due.append((visit, "team", "timeout"))
            elif visit["alert_delivered_at"] is None and visit["arrived_at"] <= receipt_cutoff:
                due.append((visit, "team", "undelivered"))
        for visit in self.store.visits_due_for_managers(max(managers for _, managers in cutoffs.values())):
            if visit["site_id"] in cutoffs and visit["arrived_at"] <= cutoffs[visit["site_id"]][1]:
                due.append((visit, "managers", "timeout"))
        return sum(self._step(visit, level, reason) for visit, level, reason in due)

    def _step(self, visit: dict, level: str, reason: str) -> bool:
        try:
            return self.escalate(visit, level, reason)
        except Exception:
            log.exception("escalating visit %s (site %s) failed; the ladder goes on", visit["id"], visit["site_id"])
            return False

    def _ago(self, now, site_id: int, setting: str) -> str:
        return to_iso(now - timedelta(seconds=self.site_settings(site_id)[setting]))
