"""The door: what the tablet at the entrance shows and says.

views.py     the check-in page (/kiosk) and binding a tablet with a kiosk token
pairing.py   pairing a tablet by code (/kiosk/pair, and POST /api/v1/kiosks/pair)
events.py    the kiosk's Socket.IO heartbeat
qr.py        the QR code of a visit's status link, for the confirmation screen
offline.py   the kiosk's service worker: the kiosk opens while the server is away
"""

from __future__ import annotations

from flask import Blueprint

door = Blueprint("door", __name__, template_folder="templates")
door_api = Blueprint("door_api", __name__, url_prefix="/api/v1")


def init_app(app, csrf, socketio) -> None:
    from kiosk.web.door import events, offline, pairing, qr, views  # noqa: F401  (their routes join `door`, `door_api`)

    csrf.exempt(door_api)
    app.register_blueprint(door)
    app.register_blueprint(door_api)
    events.init_app(socketio)
