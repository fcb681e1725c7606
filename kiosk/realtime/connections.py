"""Who may connect over Socket.IO, and which rooms they join (room names: publisher.py).

Kiosks, hosts and managers connect with `auth: {"token"}` or, in a browser, the
session cookie. A host's board counts for presence while it is connected; a staff
board gets the site's whole picture right after connecting (`on_staff_connect`,
given by the staff board, staffboard/snapshot.py).
"""

from __future__ import annotations

from flask import request, session
from flask_socketio import ConnectionRefusedError, join_room

from kiosk.domain.auth import ROLES, principal_for_session, principal_for_token


class Connections:
    def __init__(self, socketio, store, presence, on_staff_connect=None):
        self.socketio = socketio
        self.store = store
        self.presence = presence
        self.on_staff_connect = on_staff_connect or (lambda principal, sid: None)
        self.principals = {}  # Socket.IO sid -> Principal, for this process's connections
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

    def on_connect(self, auth=None):
        """Any client, on connect: refuse without valid credentials, else join rooms."""
        principal = self._authenticate(auth)
        if principal is None or principal.role not in ROLES:
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
        self.on_staff_connect(principal, request.sid)

    def on_disconnect(self, reason=None):
        principal = self.principals.pop(request.sid, None)
        if principal is not None and principal.role == "host":
            self.presence.board_disconnected(principal.id, request.sid)

    def principal(self):
        """The principal of the Socket.IO client whose event is being handled."""
        return self.principals.get(request.sid)

    def drop(self, role: str, person_id: int) -> None:
        """Disconnect this process's sockets of one kiosk, host or manager."""
        for sid, principal in list(self.principals.items()):
            if principal.role == role and principal.id == person_id:
                self.socketio.server.disconnect(sid, namespace="/")

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
