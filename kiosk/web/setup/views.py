"""The start page (/) and the first-run setup page (/setup)."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, session, url_for

from kiosk.domain.auth import PIN_DIGITS
from kiosk.domain.config import LANGUAGES
from kiosk.domain.errors import Invalid, Locked, Reason, Unauthorized
from kiosk.domain.setup import (
    DEFAULT_SITE,
    LANGUAGE_NAMES,
    check_setup_form,
    code_matches,
    complete_setup,
    needs_setup,
    time_zones,
)
from kiosk.web.common import retry_after, services
from kiosk.web.setup import setup_pages

WRONG_CODE = Reason("setup_code_wrong", "This setup code is not right, or it has expired. The server prints the code "
                    "in its log when it starts; a restart prints a new one.")


def start_page():
    """`/`: the first-run setup while there is no manager, else the staff's front door: the
    board, admin and stats (or their sign-ins) for whoever this browser is signed in as."""
    store, sessions = services().store, services().sessions
    if needs_setup(store):
        return redirect(url_for("setup.setup_page"))
    return render_template("index.html", **{role: sessions.principal(session, role)
                                            for role in ("manager", "host", "operator")})


def _setup_form(status: int = 200, *, errors: dict | None = None, form: dict | None = None, headers=None):
    config = services().settings
    form = form or {"timezone": config["timezone"], "kiosk_languages": list(config["kiosk_languages"]),
                    "default_language": config["default_language"], "site": DEFAULT_SITE}
    page = render_template("setup.html", errors=errors or {}, form=form, time_zones=time_zones(),
                           languages=[(code, LANGUAGE_NAMES.get(code, code)) for code in LANGUAGES],
                           pin_digits=PIN_DIGITS)
    return page, status, headers or {}


@setup_pages.route("/setup", methods=["GET", "POST"])
def setup_page():
    store, clock = services().store, services().clock
    if not needs_setup(store):
        abort(404)
    if request.method == "GET":
        return _setup_form()
    form = {key: request.form.get(key, "") for key in ("code", "site", "timezone", "default_language", "name")}
    form["kiosk_languages"] = request.form.getlist("kiosk_languages")
    guard = services().signin_guard
    try:
        guard.check(None, request.remote_addr)
    except Locked as locked:
        return _setup_form(429, errors={"code": locked.message}, form=form, headers=retry_after(locked))
    errors = {}
    code_record = code_matches(store, clock, form["code"].strip())
    if code_record is None:
        guard.failed(None, request.remote_addr)
        errors["code"] = WRONG_CODE
    try:
        values = check_setup_form({**form, "pin": request.form.get("pin", ""),
                                   "pin_again": request.form.get("pin_again", "")}, services().settings)
    except Invalid as refused:
        errors.update(refused.errors)
    if errors:
        return _setup_form(401 if "code" in errors else 400, errors=errors, form=form)
    try:
        manager = complete_setup(store, clock, services().site_settings, values, code_record)
    except Unauthorized as refused:
        return _setup_form(401, errors={refused.field: refused.message}, form=form)
    services().sessions.sign_in(session, "manager", manager=manager)
    return redirect(url_for("admin.index"), 303)
