"""The manager's admin area: pages under /admin, their API under /api/v1.

One module per area — team.py (hosts), managers.py, kiosks.py, settings.py (with
sms_channel.py, the site's SMS gateway), brand.py,
webhooks.py, audit.py, login.py — each registering its pages on `admin` and its
API routes on `admin_api`, and recording every change in the audit log (through
the domain). What every admin page shares is here: who may enter, the navigation.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for

from kiosk.domain.auth import Principal
from kiosk.web.common import signed_in

admin = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")
admin_api = Blueprint("admin_api", __name__, url_prefix="/api/v1")
# The manager's areas in the one navigation of admin and stats pages, in order: (endpoint, label's
# catalogue key). The stats pages show it too (kiosk/web/templates/_manager_nav.html).
MANAGER_AREAS = [
    ("admin.team_page", "nav.team"),
    ("admin.kiosks_page", "nav.kiosks"),
    ("admin.settings_page", "nav.settings"),
    ("admin.brand_page", "nav.brand"),
    ("admin.webhooks_page", "nav.webhooks"),
    ("admin.audit_page", "nav.audit"),
    ("stats.stats_page", "nav.stats"),
    ("stats.digest_page", "digest_page.title"),
]

# An admin page: the signed-in manager is its first argument, else the browser signs in first.
manager_page = signed_in("manager", lambda: url_for("admin.login", next=request.path))


def render_admin(template: str, principal: Principal, **context):
    """An admin page: `template` extends admin_base.html, which shows the navigation."""
    return render_template(template, manager={"name": principal.name, "site": principal.site}, **context)


@admin.app_context_processor
def _navigation():
    return {"manager_nav": lambda: [(endpoint, label) for endpoint, label in MANAGER_AREAS
                                    if endpoint in current_app.view_functions]}


def init_app(app, csrf) -> None:
    from kiosk.web.admin import audit, brand, kiosks, language, login, managers, settings, sms_channel, team, webhooks  # noqa: F401  (routes)

    csrf.exempt(admin_api)
    brand.init_app(csrf)
    app.register_blueprint(admin)
    app.register_blueprint(admin_api)
