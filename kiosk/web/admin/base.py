"""The manager's admin area (/admin): the pages that run a site from the browser.

This module holds what every admin page shares — who may enter, the navigation,
the audit log page — and the audit API. Each area (team, kiosks, settings,
webhooks) has a module of its own that registers its pages on `admin` and its
API routes on `admin_api`, and records every change with `audit.record`.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session, url_for

from kiosk.domain import audit
from kiosk.web.api.visits import authenticate
from kiosk.domain.auth import Principal, principal_for_session
from kiosk.web.errors import ApiError

admin = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")
admin_api = Blueprint("admin_api", __name__, url_prefix="/api/v1")
AUDIT_PAGE_SIZE = 100
# The admin areas in the navigation, in order: (endpoint, label). Each area adds its line.
ADMIN_AREAS = [
    ("admin.team_page", "Team"),
    ("admin.kiosks_page", "Kiosks"),
    ("admin.settings_page", "Settings"),
    ("admin.webhooks_page", "Webhooks"),
    ("admin.audit_page", "Audit log"),
]


def services():
    return current_app.extensions["gastgeber"]


class NotSignedIn(Exception):
    """Raised by `signed_in_manager` so any admin view sends the browser to sign in."""


def signed_in_manager() -> Principal:
    """The manager this browser speaks for; without one the page redirects to sign-in."""
    principal = principal_for_session(services().store, session, "manager")
    if principal is None:
        raise NotSignedIn()
    return principal


@admin.errorhandler(NotSignedIn)
def _to_sign_in(_error):
    return redirect(url_for("admin.login", next=request.path))


@admin.app_context_processor
def _navigation():
    return {"admin_nav": lambda: [(endpoint, label) for endpoint, label in ADMIN_AREAS
                                  if endpoint in current_app.view_functions]}


def render_admin(template: str, principal: Principal, **context):
    """An admin page: `template` extends admin_base.html, which shows the navigation."""
    return render_template(template, manager={"name": principal.name, "site": principal.site}, **context)


@admin.get("")
def index():
    return redirect(url_for("admin.team_page"))


@admin.get("/audit")
def audit_page():
    principal = signed_in_manager()
    before = request.args.get("before", "")
    before_id = int(before) if before.isascii() and before.isdigit() and len(before) < 12 else None
    rows = audit.entries(services().store, principal.site_id, limit=AUDIT_PAGE_SIZE, before_id=before_id)
    older = rows[-1]["id"] if len(rows) == AUDIT_PAGE_SIZE else None
    return render_admin("admin_audit.html", principal, entries=rows, older=older)


@admin_api.get("/audit")
def get_audit():
    """The site's audit log, newest first; `before` (an entry id) pages back, `limit` ≤ 500."""
    principal = authenticate("manager")
    limit = _int_arg("limit", default=AUDIT_PAGE_SIZE, low=1, high=500)
    before_id = _int_arg("before", default=None, low=1, high=2**62)
    return jsonify({"entries": audit.entries(services().store, principal.site_id, limit=limit, before_id=before_id)})


def _int_arg(name: str, *, default, low: int, high: int):
    text = request.args.get(name)
    if text is None or text == "":
        return default
    if not (text.isascii() and text.isdigit() and len(text) < 20 and low <= int(text) <= high):
        raise ApiError(400, f"'{name}' must be a whole number from {low} to {high}", field=name)
    return int(text)
