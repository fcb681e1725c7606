"""What a board shows of its site: the whole picture on connect and on resync, and the
team's presence changes in between.

Plain Python over the store, the clock and presence; what is sent goes through the
publisher (kiosk/realtime/publisher.py).
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from kiosk.clock import to_iso
from kiosk.domain.frontdesk import visit_context
from kiosk.domain.presence import candidates
from kiosk.domain.sites import each_site
from kiosk.domain.visits import public_visit


def team(store, presence, site_id: int) -> list[dict]:
    """Every active host of the site with the status the team sees."""
    return [{"id": host.id, "name": host.name, "status": host.status}
            for host in candidates(store, presence, site_id)]


DONE_TODAY_LIMIT = 50  # a host's "Done today" shows their newest completed visits, at most this many


def snapshot(store, clock, presence, site_id: int, *, done_for: int | None = None, zone: str = "UTC") -> dict:
    """Every open visit of the site with what the alert cards show, so a board that
    (re)connects shows everything as if it had never been away; for a host's board
    (`done_for`: their id) also their "Done today", so it survives a reload too."""
    visits = store.open_visits(site_id)
    picture = {
        "visits": [public_visit(row) for row in visits],
        "contexts": {str(row["id"]): visit_context(store, row) for row in visits},
        "team": team(store, presence, site_id),
        "server_time": to_iso(clock.now()),
    }
    if done_for is not None:
        picture["done_today"] = done_today(store, clock, site_id, done_for, zone)
    return picture


def done_today(store, clock, site_id: int, host_id: int, zone: str) -> list[dict]:
    """The visits the host looked after (assigned to them, or seen to by them first) that
    were completed since midnight in the site's zone, newest first."""
    local = ZoneInfo(zone)
    midnight = datetime.combine(clock.now().astimezone(local).date(), time(0), local)
    rows = store.completed_visits(site_id, to_iso(midnight), host_id, DONE_TODAY_LIMIT)
    return [public_visit(row) for row in rows]


def board_snapshot(services, principal) -> dict:
    """The snapshot a board of `principal` (a host or a manager) is sent on connect and on resync."""
    zone = services.site_settings.for_site(principal.site_id)["timezone"]
    return snapshot(services.store, services.clock, services.presence, principal.site_id,
                    done_for=principal.id if principal.role == "host" else None, zone=zone)


class TeamUpdates:
    """`team.updated` with only the members whose presence changed since the last one, and
    those who left the team (deactivated).

    Only the changes: with every board sent the whole team each time, 500 boards signing
    in would cost 500 × 500 members a second."""

    def __init__(self, store, presence, publisher, pause=lambda: None):
        """`pause()` runs before each site's refresh (the serving process yields its event loop there)."""
        self.store = store
        self.presence = presence
        self.publisher = publisher
        self.pause = pause
        self._teams = {}  # site id -> last team sent, by member id

    def refresh(self, site_id: int) -> None:
        members = {member["id"]: member for member in team(self.store, self.presence, site_id)}
        previous = self._teams.get(site_id, {})
        changed = [member for member_id, member in members.items() if previous.get(member_id) != member]
        removed = [member_id for member_id in previous if member_id not in members]
        self._teams[site_id] = members
        if changed or removed:
            self.publisher.team_changed(site_id, changed, removed)

    def refresh_all(self) -> None:
        """For the scheduler, once a second: each site's presence changes (boards coming and
        going in any process, hosts becoming busy, grace periods ending) at most that often,
        so a hundred boards signing in at once do not each set off a broadcast to all."""
        each_site(self.store.site_ids(), self._refresh_after_pause, what="the team's presence changes")

    def _refresh_after_pause(self, site_id: int) -> None:
        self.pause()
        self.refresh(site_id)
