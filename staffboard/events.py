"""Socket.IO events a board sends. Each answers through the Socket.IO ack callback."""

from __future__ import annotations

from flask import current_app

from kiosk.domain.errors import Conflict, Forbidden, NotFound
from kiosk.domain.visits import IllegalTransition, public_visit
from staffboard.snapshot import board_snapshot

PRESENCE_STATUSES = ("available", "away", "off")


def _error(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


def _services():
    return current_app.extensions["gastgeber"]


def _visit_id(data) -> int | None:
    """The payload's `visit_id` if it is one (a positive integer), else None."""
    visit_id = data.get("visit_id") if isinstance(data, dict) else None
    if isinstance(visit_id, bool) or not isinstance(visit_id, int) or not 0 < visit_id < 2**63:
        return None
    return visit_id


def acknowledge(data=None):
    """A host taps "I've seen it" on an alert: {"visit_id"} → {"visit"} or {"error"}."""
    services = _services()
    host = services.connections.principal()
    if host is None or host.role != "host":
        return _error("forbidden", "only a host may acknowledge a visit")
    visit_id = _visit_id(data)
    if visit_id is None:
        return _error("invalid_input", "'visit_id' must be a visit's id (a positive integer)")
    try:
        return {"visit": public_visit(services.desk.act(host, visit_id, "acknowledge"))}
    except (NotFound, Forbidden):
        return _error("not_found", f"no visit {visit_id}")
    except IllegalTransition as error:
        return _error("conflict", str(error))


def undo_complete(data=None):
    """A host taps "Undo" on a visit they completed less than a minute ago: {"visit_id"} →
    {"visit"} (greeted again) or {"error"} (`conflict` once the minute is over)."""
    services = _services()
    host = services.connections.principal()
    if host is None or host.role != "host":
        return _error("forbidden", "only a host may undo a completion")
    visit_id = _visit_id(data)
    if visit_id is None:
        return _error("invalid_input", "'visit_id' must be a visit's id (a positive integer)")
    try:
        return {"visit": public_visit(services.desk.undo_complete(host, visit_id))}
    except (NotFound, Forbidden):
        return _error("not_found", f"no visit {visit_id}")
    except Conflict as error:  # IllegalTransition, UndoExpired
        return _error("conflict", str(error))


def resync(data=None):
    """A board asks for the whole picture again (it does so now and then, so an event lost
    in a message-queue outage is healed): the same payload as `board.snapshot`."""
    services = _services()
    principal = services.connections.principal()
    if principal is None or principal.role not in ("host", "manager"):
        return _error("forbidden", "only boards resync")
    return board_snapshot(services, principal)


def set_presence(data=None):
    """A host sets themself available, away or off: {"status"} → {"status"} or {"error"}."""
    services = _services()
    host = services.connections.principal()
    if host is None or host.role != "host":
        return _error("forbidden", "only a host has a presence")
    status = data.get("status") if isinstance(data, dict) else None
    if status not in PRESENCE_STATUSES:
        return _error("invalid_input", f"'status' must be one of {', '.join(PRESENCE_STATUSES)}")
    services.store.set_host_status(host.id, status)
    services.team_updates.refresh(host.site_id)
    return {"status": status}


def init_app(socketio) -> None:
    socketio.on_event("visit.acknowledge", acknowledge)
    socketio.on_event("visit.undo_complete", undo_complete)
    socketio.on_event("board.resync", resync)
    socketio.on_event("host.presence", set_presence)
