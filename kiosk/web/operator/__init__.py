"""The operator's area: /operator (sign in with the token, every site, a new site with its
first manager, the head office's figures, a chain's branches) and the sites API (GET/POST
/api/v1/sites, /api/v1/sites/stats, /api/v1/branches, and the branches' own
POST /api/v1/branches/summaries).

Managers never reach these: their credentials are refused here (403), and an
operator's credential is refused everywhere else.
"""

from __future__ import annotations

from flask import Blueprint

operator_pages = Blueprint("operator", __name__, url_prefix="/operator", template_folder="templates")
operator_api = Blueprint("operator_api", __name__, url_prefix="/api/v1")


def init_app(app, csrf) -> None:
    from kiosk.web.operator import branches, views  # noqa: F401  (their routes join the blueprints)

    csrf.exempt(operator_api)
    app.register_blueprint(operator_pages)
    app.register_blueprint(operator_api)
