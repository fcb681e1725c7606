"""The live side of kiosk pairing: a kiosk's last contact, its heartbeat, and telling an
unpaired tablet at once.

  kiosk.heartbeat  kiosk → server, on connect and every minute: "I am here"; the ack
                   answers {"ok": true}, or {"error": …} once the kiosk was unpaired.
  kiosk.unpaired   server → kiosk, to the room kiosk:<id>: its credentials were revoked;
                   the tablet shows the pairing screen. Its sockets are then dropped.
"""

from __future__ import annotations

from flask import current_app

from kiosk.domain.pairing import ContactRecorder

EXTENSION = "gastgeber_kiosk_contact"


def contact(app=None) -> ContactRecorder:
    """This app's recorder of kiosks' last contact (made on first use)."""
    app = app or current_app
    recorder = app.extensions.get(EXTENSION)
    if recorder is None:
        services = app.extensions["gastgeber"]
        recorder = app.extensions[EXTENSION] = ContactRecorder(services.store, services.clock)
    return recorder


def note_contact(principal) -> None:
    """Called for every authenticated API request: a kiosk's counts as contact."""
    if principal.role == "kiosk":
        contact().seen(principal.id)


def init_app(app) -> None:
    """Listen for kiosks' heartbeats on the app's Socket.IO server."""
    services = app.extensions["gastgeber"]
    realtime, store = services.realtime, services.store

    def on_heartbeat(_payload=None):
        """A kiosk, on connect and every minute: it is alive. Answers through the ack."""
        principal = realtime.principal()
        if principal is None or principal.role != "kiosk":
            return {"error": {"code": "forbidden", "message": "only a kiosk sends heartbeats"}}
        if not store.kiosk_is_paired(principal.id):
            return {"error": {"code": "unauthorized", "message": "this kiosk is not paired any more"}}
        contact(app).seen(principal.id)
        return {"ok": True}

    realtime.socketio.on_event("kiosk.heartbeat", on_heartbeat)


def tell_unpaired(kiosk_id: int) -> None:
    """Send `kiosk.unpaired` to the kiosk's tablets, take them out of its room (in every process,
    through the message queue) and drop this process's sockets of that kiosk."""
    services = current_app.extensions["gastgeber"]
    realtime = services.realtime
    room = f"kiosk:{kiosk_id}"
    realtime.socketio.emit("kiosk.unpaired", {"kiosk": {"id": kiosk_id}}, to=room)
    realtime.socketio.close_room(room)
    realtime.end_sessions("kiosk", kiosk_id)
    contact().forget(kiosk_id)
