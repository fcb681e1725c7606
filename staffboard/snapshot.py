"""What a board shows of its site: the whole picture on connect and on resync, and the
team's presence changes in between.

Plain Python over the store, the clock and presence; what is sent goes through the
publisher (kiosk/realtime/publisher.py).
"""

from __future__ import annotations

from kiosk.clock import to_iso
from kiosk.domain.frontdesk import visit_context
from kiosk.domain.presence import candidates
from kiosk.domain.sites import each_site
from kiosk.domain.visits import public_visit


def team(store, presence, site_id: int) -> list[dict]:
    """Every active host of the site with the status the team sees."""
    return [{"id": host.id, "name": host.name, "status": host.status}
            for host in candidates(store, presence, site_id)]


def snapshot(store, clock, presence, site_id: int) -> dict:
    """Every open visit of the site with what the alert cards show, so a board that
    (re)connects shows everything as if it had never been away."""
    visits = store.open_visits(site_id)
    return {
        "visits": [public_visit(row) for row in visits],
        "contexts": {str(row["id"]): visit_context(store, row) for row in visits},
        "team": team(store, presence, site_id),
        "server_time": to_iso(clock.now()),
    }


class TeamUpdates:
    """`team.updated` with only the members whose presence changed since the last one, and
    those who left the team (deactivated).

    Only the changes: with every board sent the whole team each time, 500 boards signing
    in would cost 500 × 500 members a second."""

    def __init__(self, store, presence, publisher):
        self.store = store
        self.presence = presence
        self.publisher = publisher
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
        each_site(self.store.site_ids(), self.refresh, what="the team's presence changes")
