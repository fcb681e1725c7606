"""Stats for managers: the page /stats, the live floor view /stats/live, their sign-in, and
GET /api/v1/stats and /api/v1/stats.csv (the figures come from kiosk/domain/stats.py); the
manager's weekly digest: its page /stats/digest with the preview, and /api/v1/digest."""

from __future__ import annotations

from flask import Blueprint

stats_pages = Blueprint("stats", __name__, template_folder="templates")
stats_api = Blueprint("stats_api", __name__, url_prefix="/api/v1")


def init_app(app, csrf) -> None:
    from kiosk.web.stats import api, digest, pages  # noqa: F401  (their routes join the blueprints)

    csrf.exempt(stats_api)
    app.register_blueprint(stats_api)
    app.register_blueprint(stats_pages)
