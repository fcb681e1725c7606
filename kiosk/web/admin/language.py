"""A manager's own language for the admin and stats pages (a choice in the managers' navigation)."""

from __future__ import annotations

from flask import request, url_for

from kiosk.domain import own_language as own
from kiosk.domain.auth import Principal
from kiosk.web.admin import admin, manager_page
from kiosk.web.admin.login import _safe_next
from kiosk.web.common import see_other, services


@admin.post("/language")
@manager_page
def own_language(principal: Principal):
    """Store the manager's choice (empty: the site's), then show the page it was made on again."""
    own.choose(services().store, "manager", principal.id, request.form.get("language"))
    back = _safe_next(request.form.get("next"))
    return see_other(back if back and back.startswith(("/admin", "/stats")) else url_for("admin.index"))
