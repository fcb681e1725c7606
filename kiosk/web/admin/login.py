"""A manager signs a browser in at /admin/login with their name and PIN."""

from __future__ import annotations

import re

from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext

from kiosk.domain.errors import Locked
from kiosk.domain.setup import manager_for_pin
from kiosk.web.admin import admin
from kiosk.web.common import retry_after, services
from kiosk.web.refusals import in_readers_words


@admin.route("/login", methods=["GET", "POST"])
def login():
    """A manager signs this browser in with their name and PIN (or, linked, with their token)."""
    target = _safe_next(request.args.get("next"))
    if request.method == "GET":
        return render_template("manager_login.html", error=None, name="", next=target)
    store, guard = services().store, services().signin_guard
    name = request.form.get("name", "").strip()
    person = ("manager", name.casefold()[:80]) if name else None
    try:
        guard.check(person, request.remote_addr)
    except Locked as locked:
        page = render_template("manager_login.html", error=in_readers_words(locked), name=name, next=target)
        return page, 429, retry_after(locked)
    manager = manager_for_pin(store, name, request.form.get("pin", ""))
    if manager is None:
        guard.failed(person, request.remote_addr)
        return render_template("manager_login.html", error=gettext("board.signin_wrong"), name=name,
                               next=target), 401
    guard.succeeded(person, request.remote_addr)
    services().sessions.sign_in(session, "manager", manager=manager)
    return redirect(target or url_for("admin.index"), 303)


def _safe_next(path: str | None) -> str | None:
    """Only a path on this server (never //elsewhere) is followed after sign-in."""
    if path and re.fullmatch(r"/[A-Za-z0-9/_.-]{0,200}", path) and not path.startswith("//"):
        return path
    return None
