"""The kiosk's Socket.IO event.

  kiosk.heartbeat  kiosk → server, on connect and every minute: "I am here"; the ack
                   answers {"ok": true}, or {"error": …} once the kiosk was unpaired.

(`kiosk.unpaired`, server → kiosk, is sent by realtime/publisher.py.)
"""

from __future__ import annotations

from flask import current_app


def init_app(socketio) -> None:
    def on_heartbeat(_payload=None):
        """A kiosk, on connect and every minute: it is alive. Answers through the ack."""
        services = current_app.extensions["gastgeber"]
        principal = services.connections.principal()
        if principal is None or principal.role != "kiosk":
            return {"error": {"code": "forbidden", "message": "only a kiosk sends heartbeats"}}
        if not services.store.kiosk_is_paired(principal.id):
            return {"error": {"code": "unauthorized", "message": "this kiosk is not paired any more"}}
        services.kiosk_contact.seen(principal.id)
        return {"ok": True}

    socketio.on_event("kiosk.heartbeat", on_heartbeat)
