"""Live events: who may connect over Socket.IO, which rooms they join, and every emit.

Rooms are named by what they hold:
  host:<id>   the boards of one host (targeted alerts)
  site:<id>   every host and manager board of a site (the team's view)
  kiosk:<id>  one kiosk device (updates of the visits it made)
"""

from __future__ import annotations

from flask import request, session
from flask_socketio import ConnectionRefusedError, SocketIO, join_room

from .auth import principal_for_person, principal_for_token
from .clock import to_iso
from .frontdesk import VisitArrived
from .visits import arrival_context, public_visit


class Realtime:
    def __init__(self, socketio: SocketIO, store, clock, presence):
        self.socketio = socketio
        self.store = store
        self.clock = clock
        self.presence = presence
        self.principals = {}  # Socket.IO sid -> Principal, for this process's connections
        socketio.on_event("connect", self.on_connect)
        socketio.on_event("disconnect", self.on_disconnect)

    def publish(self, event) -> None:
        """Send a domain event to the rooms that should see it."""
        visit = event.visit
        if isinstance(event, VisitArrived):
            if visit["host_id"] is not None:
                payload = {"visit": public_visit(visit), "context": arrival_context(visit)}
                self.socketio.emit("visit.arrived", payload, to=f"host:{visit['host_id']}")
            return
        payload = {"visit": public_visit(visit)}
        self.socketio.emit(event.name, payload, to=[f"site:{visit['site_id']}", f"kiosk:{visit['kiosk_id']}"])

    def snapshot(self, site_id: int) -> dict:
        return {
            "visits": [public_visit(row) for row in self.store.open_visits(site_id)],
            "server_time": to_iso(self.clock.now()),
        }

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
        roles = [wanted] if wanted in ("kiosk", "host") else ["host", "kiosk"]
        for role in roles:
            principal = principal_for_person(self.store, role, session.get(f"{role}_id"))
            if principal is not None:
                return principal
        return None
