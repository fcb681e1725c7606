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

import logging

from kiosk.clock import SteadyAges, to_iso
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
        self.waited = SteadyAges(clock)
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
        or a visit whose step fails, is logged and skipped: the others still escalate."""
        visits = self.store.visits_on_the_ladder()
        self.waited.keep_only((visit["id"], visit["arrived_at"]) for visit in visits)
        if not visits:
            return 0
        limits = each_site(sorted({visit["site_id"] for visit in visits}), self._limits_ms,
                           what="the escalation ladder's times")
        due = []
        for level in ("team", "managers"):  # a visit due for both takes the team's step first
            due += [(visit, level, reason) for visit in visits if visit["site_id"] in limits
                    for reason in [self._due(visit, level, limits[visit["site_id"]])] if reason]
        return sum(self._step(visit, level, reason) for visit, level, reason in due)

    def _limits_ms(self, site_id: int) -> dict:
        """A site's times in ms; one outside the settings' rules (an older database's) raises ConfigError."""
        site = self.site_settings(site_id)

        def ms(values, name):
            return SETTINGS_BY_NAME[name].check(values[name], f"site {site_id}") * 1000

        return {"team": ms(site, "escalate_after_seconds"), "managers": ms(site, "escalate_managers_after_seconds"),
                "receipt": ms(self.settings, "alert_receipt_seconds")}

    def _due(self, visit: dict, level: str, limits: dict) -> str | None:
        """Why `visit` takes the ladder's step `level` now, or None."""
        waited = self.waited.age_ms((visit["id"], visit["arrived_at"]), visit["arrived_at"])
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
