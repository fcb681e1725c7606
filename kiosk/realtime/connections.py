"""Who may connect over Socket.IO, and which rooms they join (room names: publisher.py).

Kiosks, hosts and managers connect with `auth: {"token"}` or, in a browser, the
session cookie; a customer's status page with `auth: {"status": <its link's token>}`
joins only that visit's room. A host's board counts for presence while it is connected; a staff
board gets the site's whole picture right after connecting (`on_staff_connect`,
given by the staff board, staffboard/snapshot.py).

A connection lives only as long as its credential: each event it sends is handled
only after the credential was checked again (`principal()`), and every process
checks all of its connections every SWEEP_SECONDS (`sweep`, from the scheduler), so a
token revoked, a PIN changed or a host deactivated — by the API, a page or the
command line in another process — ends their live connections within seconds.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import request, session
from flask_socketio import ConnectionRefusedError, join_room

from kiosk.domain.auth import ROLES, Principal, hash_token, principal_for_token
from kiosk.domain.errors import Refused
from kiosk.domain.sessions import session_key

log = logging.getLogger(__name__)
SWEEP_SECONDS = 2
# What a browser's session holds of its sign-ins (domain/sessions.py), kept with the connection to check again.
SESSION_KEYS = tuple(session_key(role) for role in ROLES)


@dataclass(frozen=True)
class Connection:
    """One live socket: who it speaks for, and the credential that says so."""

    principal: Principal
    token_hash: str | None = None  # connected with a token
    session: tuple = ()  # else the browser session's sign-in keys, as (key, value) pairs


class Connections:
    def __init__(self, socketio, store, presence, sessions, on_staff_connect=None):
        self.socketio = socketio
        self.store = store
        self.presence = presence
        self.sessions = sessions  # domain/sessions.py: browser sign-ins
        self.on_staff_connect = on_staff_connect or (lambda principal, sid: None)
        self.status_visit = lambda token: None  # a status link's visit id (domain/status_link.py, set by the app)
        self.connections: dict[str, Connection] = {}  # Socket.IO sid -> Connection, this process's
        self.status_pages: dict[str, int] = {}  # Socket.IO sid -> visit id, this process's status pages
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
        if self._connected(request.sid):
            return False  # an event a client named "connect" itself: not a connection
        if isinstance(auth, dict) and "status" in auth:
            return self._follow_status(auth["status"])
        connection = self._authenticate(auth)
        if connection is None or connection.principal.role not in ROLES:
            raise ConnectionRefusedError({"code": "unauthorized", "message": "valid credentials required"})
        principal = connection.principal
        self.connections[request.sid] = connection
        if principal.role == "kiosk":
            join_room(f"kiosk:{principal.id}")
            return None
        join_room(f"site:{principal.site_id}")
        if principal.role == "host":
            join_room(f"host:{principal.id}")
            self.presence.board_connected(principal.id, request.sid)
        else:
            join_room(f"managers:{principal.site_id}")
        self.on_staff_connect(principal, request.sid)
        return None

    def _follow_status(self, token) -> None:
        """A customer's status page: it joins its one visit's room and hears `status.updated` there,
        nothing else (it is no principal: every event it sends is refused)."""
        try:
            visit_id = self.status_visit(token)
        except Refused:
            visit_id = None
        if visit_id is None:
            raise ConnectionRefusedError({"code": "not_found", "message": "no such status link"})
        join_room(f"status:{visit_id}")
        self.status_pages[request.sid] = visit_id

    def on_disconnect(self, reason=None):
        if self._connected(request.sid):
            return  # an event a client named "disconnect" itself: it stays connected, and known
        self.status_pages.pop(request.sid, None)
        connection = self.connections.pop(request.sid, None)
        if connection is not None and connection.principal.role == "host":
            self.presence.board_disconnected(connection.principal.id, request.sid)

    def principal(self):
        """The principal of the Socket.IO client whose event is being handled, if its
        credential still holds; a connection whose credential ended is dropped."""
        connection = self.connections.get(request.sid)
        if connection is None:
            return None
        if not self._still_valid(connection):
            self._disconnect(request.sid)
            return None
        return connection.principal

    def drop(self, role: str, person_id: int) -> None:
        """Disconnect this process's sockets of one kiosk, host or manager."""
        for sid, connection in list(self.connections.items()):
            if connection.principal.role == role and connection.principal.id == person_id:
                self._disconnect(sid)

    def sweep(self) -> int:
        """Every process, every few seconds: drop each connection whose credential ended
        (wherever it was ended). Each distinct credential is checked once; returns how many
        connections were dropped."""
        verdicts: dict[Connection, bool] = {}
        dropped = 0
        for sid, connection in list(self.connections.items()):
            if connection not in verdicts:
                verdicts[connection] = self._still_valid(connection)
            if not verdicts[connection]:
                self._disconnect(sid)
                dropped += 1
        if dropped:
            log.info("ended %d live connection(s) whose sign-in ended", dropped)
        return dropped

    def _still_valid(self, connection: Connection) -> bool:
        principal = connection.principal
        if connection.token_hash is not None:
            row = self.store.principal_row(connection.token_hash)
            return row is not None and row["name"] is not None and (row["role"], row["id"]) == (principal.role,
                                                                                                   principal.id)
        again = self.sessions.principal(dict(connection.session), principal.role)
        return again is not None and again.id == principal.id

    def _disconnect(self, sid: str) -> None:
        connection = self.connections.pop(sid, None)
        if connection is not None and connection.principal.role == "host":
            self.presence.board_disconnected(connection.principal.id, sid)
        self.socketio.server.disconnect(sid, namespace="/")

    def _connected(self, sid: str) -> bool:
        """Whether `sid` is a live, fully connected client (not one connecting or going away)."""
        return self.socketio.server.manager.is_connected(sid, "/")

    def _authenticate(self, auth) -> Connection | None:
        """A token in `auth` (devices, integrations), else the browser's session cookie.

        A browser may hold both a kiosk and a host sign-in; `auth.as` says which
        one this connection speaks for.
        """
        auth = auth if isinstance(auth, dict) else {}
        token = auth.get("token")
        if token is not None:
            principal = principal_for_token(self.store, token) if isinstance(token, str) else None
            return Connection(principal, token_hash=hash_token(token)) if principal else None
        wanted = auth.get("as")
        roles = [wanted] if wanted in ROLES else ["host", "kiosk"]
        for role in roles:
            principal = self.sessions.principal(session, role)
            if principal is not None:
                kept = tuple((key, session[key]) for key in SESSION_KEYS if key in session)
                return Connection(principal, session=kept)
        return None
