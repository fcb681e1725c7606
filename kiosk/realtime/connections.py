"""Live events: who may connect over Socket.IO, which rooms they join, and every emit.

Rooms are named by what they hold:
  host:<id>      the boards of one host (alerts, escalations)
  site:<id>      every host and manager board of a site (the team's view)
  managers:<id>  the managers of a site (second step of the escalation ladder)
  kiosk:<id>     one kiosk device (updates of the visits it made)
"""

from __future__ import annotations

from flask import request, session
from flask_socketio import ConnectionRefusedError, SocketIO, join_room

from kiosk.domain.auth import ROLES, principal_for_session, principal_for_token
from kiosk.clock import seconds_between, to_iso
from kiosk.domain.events import VisitArrived, VisitEscalated
from kiosk.domain.frontdesk import visit_context
from kiosk.domain.presence import candidates
from kiosk.domain.visits import public_visit


class Realtime:
    def __init__(self, socketio: SocketIO, store, clock, presence):
        self.socketio = socketio
        self.store = store
        self.clock = clock
        self.presence = presence
        self.principals = {}  # Socket.IO sid -> Principal, for this process's connections
        self._teams = {}  # site id -> last team list sent, to send only changes
        socketio.on_event("connect", self.on_connect)
        socketio.on_event("disconnect", self.on_disconnect)

    def listen_to_message_queue(self) -> None:
        """Subscribe to the message queue now, not at the first client's connection.

        python-socketio starts listening lazily; a process that only sends (say, the
        one that took a check-in over HTTP) would otherwise never receive the
        delivery receipts that other processes' boards send back.
        """
        server = self.socketio.server
        if not server.manager_initialized:
            server.manager_initialized = True
            server.manager.initialize()

    def publish(self, event) -> None:
        """Send a domain event to the rooms that should see it."""
        visit = event.visit
        if isinstance(event, VisitArrived):
            self._alert(visit, event.context)
            # Let the boards' writers send the alert now, before this request queues the
            # site-wide visit.updated for every board (hundreds of sends) and its answer.
            self.socketio.sleep(0)
        elif isinstance(event, VisitEscalated):
            self._escalate(event)
        else:
            self.socketio.emit(event.name, {"visit": public_visit(visit)}, to=f"site:{visit['site_id']}")
            if not event.staff_only:
                self.socketio.emit(event.name, {"visit": public_visit(visit, for_kiosk=True)},
                                   to=f"kiosk:{visit['kiosk_id']}")

    def _alert(self, visit: dict, context: dict) -> None:
        """`visit.arrived` to each board of the host; each board's ack is the delivery receipt."""
        host_id = visit["host_id"]
        if host_id is None:
            return
        payload = {"visit": public_visit(visit), "context": context}
        for board_id in self.presence.boards_of(host_id):
            self.socketio.emit("visit.arrived", payload, to=board_id,
                               callback=self._receipt(visit["id"], host_id, board_id))

    def _receipt(self, visit_id: int, host_id: int, board_id: str):
        def delivered(*answer):
            if answer and isinstance(answer[0], dict) and answer[0].get("received") is False:
                return  # the board got the message but could not show it: not delivered
            self.store.record_delivery(visit_id, host_id, board_id, to_iso(self.clock.now()))

        return delivered

    def _escalate(self, event: VisitEscalated) -> None:
        visit = event.visit
        payload = {
            "visit": public_visit(visit), "level": event.level, "reason": event.reason,
            "waiting_seconds": round(seconds_between(visit["arrived_at"], to_iso(self.clock.now())), 1),
        }
        if event.level == "managers":
            rooms = [f"managers:{visit['site_id']}"]
        else:
            rooms = [f"host:{host_id}" for host_id in event.host_ids]
        if rooms:
            self.socketio.emit("visit.escalated", payload, to=rooms)

    def team(self, site_id: int) -> list[dict]:
        return [{"id": host.id, "name": host.name, "status": host.status}
                for host in candidates(self.store, self.presence, site_id)]

    def refresh_team(self, site_id: int) -> None:
        """Send `team.updated` to the site's boards with the members whose presence
        changed since the last one, and those who left the team (deactivated).

        Only the changes: with every board sent the whole team each time, 500 boards
        signing in would cost 500 × 500 members a second."""
        team = {member["id"]: member for member in self.team(site_id)}
        previous = self._teams.get(site_id, {})
        changed = [member for member_id, member in team.items() if previous.get(member_id) != member]
        removed = [member_id for member_id in previous if member_id not in team]
        self._teams[site_id] = team
        if changed or removed:
            self.socketio.emit("team.updated", {"changed": changed, "removed": removed}, to=f"site:{site_id}")

    def refresh_all_teams(self) -> None:
        """For the scheduler, once a second: send each site's presence changes (boards coming
        and going in any process, hosts becoming busy, grace periods ending) at most that often,
        so a hundred boards signing in at once do not each set off a broadcast to all."""
        for site_id in self.store.site_ids():
            self.refresh_team(site_id)

    def snapshot(self, site_id: int) -> dict:
        """Every open visit of the site with what the alert cards show, so a board that
        (re)connects shows everything as if it had never been away."""
        visits = self.store.open_visits(site_id)
        return {
            "visits": [public_visit(row) for row in visits],
            "contexts": {str(row["id"]): visit_context(self.store, row) for row in visits},
            "team": self.team(site_id),
            "server_time": to_iso(self.clock.now()),
        }

    def end_sessions(self, role: str, person_id: int) -> None:
        """Someone's sign-in ended (a host's new PIN, a deactivated host, an unpaired kiosk):
        a host's boards hear `session.ended` at once (in every process, through the message
        queue), and this process drops the sockets. Connecting again is refused, so a board
        says it is signed out instead of showing alerts to someone who should no longer see them."""
        if role == "host":
            self.socketio.emit("session.ended", {"reason": "signed_out"}, to=f"host:{person_id}")
        for sid, principal in list(self.principals.items()):
            if principal.role == role and principal.id == person_id:
                self.socketio.server.disconnect(sid, namespace="/")

    def on_connect(self, auth=None):
        """Any client, on connect: refuse without valid credentials, else join rooms."""
        principal = self._authenticate(auth)
        if principal is None:
            raise ConnectionRefusedError({"code": "unauthorized", "message": "valid credentials required"})
        self.principals[request.sid] = principal
        if principal.role == "kiosk":
            join_room(f"kiosk:{principal.id}")
            return
        join_room(f"site:{principal.site_id}")
        if principal.role == "host":
            join_room(f"host:{principal.id}")
            self.presence.board_connected(principal.id, request.sid)
        else:
            join_room(f"managers:{principal.site_id}")
        self.socketio.emit("board.snapshot", self.snapshot(principal.site_id), to=request.sid)

    def on_disconnect(self, reason=None):
        principal = self.principals.pop(request.sid, None)
        if principal is not None and principal.role == "host":
            self.presence.board_disconnected(principal.id, request.sid)

    def principal(self):
        """The principal of the Socket.IO client whose event is being handled."""
        return self.principals.get(request.sid)

    def _authenticate(self, auth):
        """A token in `auth` (devices, integrations), else the browser's session cookie.

        A browser may hold both a kiosk and a host sign-in; `auth.as` says which
        one this connection speaks for.
        """
        auth = auth if isinstance(auth, dict) else {}
        token = auth.get("token")
        if token is not None:
            return principal_for_token(self.store, token) if isinstance(token, str) else None
        wanted = auth.get("as")
        roles = [wanted] if wanted in ROLES else ["host", "kiosk"]
        for role in roles:
            principal = principal_for_session(self.store, session, role)
            if principal is not None:
                return principal
        return None
