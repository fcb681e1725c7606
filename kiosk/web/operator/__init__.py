"""The operator's area: /operator (sign in with the token, every site, a new site with its
first manager) and the sites API (GET/POST /api/v1/sites).

Managers never reach these: their credentials are refused here (403), and an
operator's credential is refused everywhere else.
"""

from __future__ import annotations

from flask import Blueprint

operator_pages = Blueprint("operator", __name__, url_prefix="/operator", template_folder="templates")
operator_api = Blueprint("operator_api", __name__, url_prefix="/api/v1")


def init_app(app, csrf) -> None:
    from kiosk.web.operator import views  # noqa: F401  (its routes join the blueprints)

    csrf.exempt(operator_api)
    app.register_blueprint(operator_pages)
    app.register_blueprint(operator_api)
