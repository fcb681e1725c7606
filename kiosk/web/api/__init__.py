"""The HTTP API of CONTRACT.md (/api/v1): the visit loop, appointments, hosts' channels and drills.

The admin area's API (hosts, managers, kiosks, settings, webhooks, audit), the stats
API and the operator's sites API live with their own areas; all share the prefix.
"""

from __future__ import annotations

from flask import Blueprint

api = Blueprint("api", __name__, url_prefix="/api/v1")


def init_app(app, csrf) -> None:
    from kiosk.web.api import appointments, channels, drills, push, visits  # noqa: F401  (their routes join `api`)

    csrf.exempt(api)  # JSON only; web/common.authenticate keeps cookie writes JSON
    app.register_blueprint(api)
