"""The audit log: the page /admin/audit and GET /api/v1/audit, newest first."""

from __future__ import annotations

from flask import jsonify, redirect, request, url_for

from kiosk.domain import audit
from kiosk.web.admin import admin, admin_api, manager_page, render_admin
from kiosk.web.common import int_arg, requires, services

AUDIT_PAGE_SIZE = 100


@admin.get("")
def index():
    return redirect(url_for("admin.team_page"))


@admin.get("/audit")
@manager_page
def audit_page(principal):
    before = request.args.get("before", "")
    before_id = int(before) if before.isascii() and before.isdigit() and len(before) < 12 else None
    rows = audit.entries(services().store, principal.site_id, limit=AUDIT_PAGE_SIZE, before_id=before_id)
    older = rows[-1]["id"] if len(rows) == AUDIT_PAGE_SIZE else None
    return render_admin("admin_audit.html", principal, entries=rows, older=older)


@admin_api.get("/audit")
@requires("manager")
def get_audit(principal):
    """The site's audit log, newest first; `before` (an entry id) pages back, `limit` ≤ 500."""
    limit = int_arg("limit", default=AUDIT_PAGE_SIZE, low=1, high=500)
    before_id = int_arg("before", default=None, low=1, high=2**62)
    return jsonify({"entries": audit.entries(services().store, principal.site_id, limit=limit, before_id=before_id)})
