"""First run and the front door: `/` (the setup while no manager exists, then the start
page) and `/setup`, where whoever holds the one-time setup code names the site and
becomes its first manager (kiosk/domain/setup.py holds the rules)."""

from __future__ import annotations

from flask import Blueprint

setup_pages = Blueprint("setup", __name__, template_folder="templates")


def init_app(app) -> None:
    from kiosk.web.setup import views

    app.register_blueprint(setup_pages)
    app.add_url_rule("/", "index", views.start_page)
