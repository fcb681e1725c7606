"""The customer's own view of their visit, opened from the kiosk's QR code without signing in.

views.py   the page (/v/<token>) and its JSON (/status/<token>, …/leave, …/away, …/feedback)

Everything goes through the domain's StatusLinks (kiosk/domain/status_link.py); every
request is counted against the address's rate limit first. The live side is the
Socket.IO room of one visit (realtime/connections.py, `auth: {"status": token}`).
"""

from __future__ import annotations

from flask import Blueprint

status = Blueprint("status", __name__, template_folder="templates")


def init_app(app, csrf) -> None:
    from kiosk.web.status import views  # noqa: F401  (its routes join `status`)

    csrf.exempt(status)  # JSON only, and no session: the token in the path is the only credential
    app.register_blueprint(status)
