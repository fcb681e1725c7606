"""First run, the start page, and a manager's sign-in with name and PIN.

On a database without any manager, `gastgeber serve` prints a one-time setup code
(only its hash is stored, with an expiry), and `/` leads to `/setup`: whoever has
the code names the site, its time zone and languages, and becomes its first
manager with a PIN. Afterwards `/setup` is gone and the code is spent. Wrong codes
count against the same sign-in lockout as wrong PINs.

The functions above the views are plain Python (a store and a clock); the views
below are the Flask side.
"""

from __future__ import annotations

import json
import re
import secrets
import zoneinfo
from datetime import timedelta
from functools import lru_cache

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for

from kiosk.domain import audit
from kiosk.web.admin.base import admin
from kiosk.domain.auth import PIN_DIGITS, Principal, hash_pin, pin_matches, principal_for_session, sign_in_browser
from kiosk.clock import from_iso, to_iso
from kiosk.config import LANGUAGES
from kiosk.domain.lockout import SignInLocked
from kiosk.domain.site_settings import InvalidSettings, check
from kiosk.domain.people import InvalidTeamInput, add_person, clean_name, clean_site

SETUP_CODE_KEY = "setup_code"
SETUP_CODE_HOURS = 24
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from a log, typed by hand
DEFAULT_SITE = "main"
LANGUAGE_NAMES = {"de": "Deutsch", "en": "English", "tr": "Türkçe"}


class SetupRefused(Exception):
    """The setup form cannot be used as sent: `errors` maps each field to a message."""

    def __init__(self, errors: dict[str, str], *, wrong_code: bool = False):
        super().__init__("; ".join(errors.values()))
        self.errors = errors
        self.wrong_code = wrong_code


def needs_setup(store) -> bool:
    return store.manager_count() == 0


def issue_setup_code(store, clock) -> str | None:
    """A new one-time code if no manager exists yet (None otherwise); the previous code stops working."""
    if not needs_setup(store):
        return None
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    expires_at = to_iso(clock.now() + timedelta(hours=SETUP_CODE_HOURS))
    store.set_setting(SETUP_CODE_KEY, json.dumps({"hash": hash_pin(_normal_code(code)), "expires_at": expires_at}))
    return f"{code[:4]}-{code[4:]}"


def code_matches(store, clock, code: str) -> str | None:
    """The stored code record if `code` is the unexpired setup code, else None."""
    stored = store.setting(SETUP_CODE_KEY)
    if not stored or not code or len(code) > 40:
        return None
    record = json.loads(stored)
    if from_iso(record["expires_at"]) <= clock.now() or not pin_matches(record["hash"], _normal_code(code)):
        return None
    return stored


def check_pin(pin: str, again: str) -> str | None:
    """A message if `pin` is not a valid PIN (the same rule as hosts': PIN_DIGITS digits) or the two differ."""
    if not re.fullmatch(f"[0-9]{{{PIN_DIGITS}}}", pin or ""):
        return f"The PIN must be exactly {PIN_DIGITS} digits."
    if pin != again:
        return "The two PINs are not the same."
    return None


def check_setup_form(form: dict, config: dict) -> dict:
    """The form's values, cleaned; SetupRefused names every field that is not right."""
    errors, values = {}, {}
    try:
        values["site"] = clean_site((form.get("site") or "").strip())
    except InvalidTeamInput as problem:
        errors["site"] = f"The site name {str(problem).removeprefix('site ')}."
    for key, value in (("timezone", (form.get("timezone") or "").strip()),
                       ("kiosk_languages", list(form.get("kiosk_languages") or [])),
                       ("default_language", form.get("default_language") or "")):
        try:
            values[key] = check(key, value, config)
        except InvalidSettings as invalid:
            errors[key] = f"This {invalid.errors[key]}."
    try:
        values["name"] = clean_name(form.get("name") or "", "your name")
    except InvalidTeamInput as problem:
        errors["name"] = f"{str(problem)[0].upper()}{str(problem)[1:]}."
    pin_problem = check_pin(form.get("pin") or "", form.get("pin_again") or "")
    if pin_problem:
        errors["pin"] = pin_problem
    values["pin"] = form.get("pin")
    if errors:
        raise SetupRefused(errors)
    return values


def complete_setup(store, clock, site_settings, values: dict, code_record: str) -> dict:
    """Spend the setup code, name the site, store its settings, add the first manager with
    their PIN, and audit it. Returns the manager's row (with `site`)."""
    with store.transaction():
        if store.manager_count() or store.take_setting(SETUP_CODE_KEY) != code_record:
            raise SetupRefused({"code": "This setup code was just used. Sign in instead."}, wrong_code=True)
    now = to_iso(clock.now())
    site = store.site_by_name(values["site"])
    main = store.site_by_name(DEFAULT_SITE)
    if site is None and main is not None:
        with store.transaction():
            store.rename_site(main["id"], values["site"])
        site = store.site(main["id"])
    elif site is None:
        site = store.ensure_site(values["site"], now)
    created = add_person(store, clock, "manager", values["name"], site["name"])
    with store.transaction():
        store.set_manager_pin(created["id"], hash_pin(values["pin"]))
    manager = store.person("manager", created["id"])
    principal = Principal("manager", manager["id"], manager["name"], site["id"], site["name"])
    site_settings.change(site["id"], {key: values[key] for key in ("timezone", "default_language", "kiosk_languages")},
                         principal)
    with store.transaction():
        audit.record(store, clock, None, "setup.completed", site_id=site["id"], subject=f"site {site['name']}",
                     details={"site": site["name"], "manager": manager["name"], "timezone": values["timezone"],
                              "kiosk_languages": values["kiosk_languages"],
                              "default_language": values["default_language"]})
    return manager


def manager_for_pin(store, name: str, pin: str) -> dict | None:
    """The manager with this name (any case) and PIN, if any."""
    if not name or len(name) > 80 or not pin or len(pin) > 40:
        return None
    return next((row for row in store.managers_named(name) if pin_matches(row["pin_hash"], pin)), None)


def _normal_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code).upper()


@lru_cache(maxsize=1)
def time_zones() -> tuple[str, ...]:
    return tuple(sorted(zone for zone in zoneinfo.available_timezones() if "/" in zone and not zone.startswith("Etc/")))


# ------------------------------------------------------------------ the views

setup_pages = Blueprint("setup", __name__, template_folder="templates")


def services():
    return current_app.extensions["gastgeber"]


def start_page():
    """`/`: the first-run setup while there is no manager, else links for whoever is here."""
    store = services().store
    if needs_setup(store):
        return redirect(url_for("setup.setup_page"))
    manager = principal_for_session(store, session, "manager")
    return render_template("index.html", manager=manager)


def _setup_form(status: int = 200, *, errors: dict | None = None, form: dict | None = None):
    config = services().settings
    form = form or {"timezone": config["timezone"], "kiosk_languages": list(config["kiosk_languages"]),
                    "default_language": config["default_language"], "site": DEFAULT_SITE}
    page = render_template("setup.html", errors=errors or {}, form=form, time_zones=time_zones(),
                           languages=[(code, LANGUAGE_NAMES.get(code, code)) for code in LANGUAGES],
                           pin_digits=PIN_DIGITS)
    return page, status


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
    except SignInLocked as locked:
        page, _ = _setup_form(errors={"code": str(locked)}, form=form)
        return page, 429, {"Retry-After": str(locked.retry_after_seconds)}
    errors = {}
    code_record = code_matches(store, clock, form["code"].strip())
    if code_record is None:
        guard.failed(None, request.remote_addr)
        errors["code"] = ("This setup code is not right, or it has expired. The server prints the code in its log "
                          "when it starts; a restart prints a new one.")
    try:
        values = check_setup_form({**form, "pin": request.form.get("pin", ""),
                                   "pin_again": request.form.get("pin_again", "")}, services().settings)
    except SetupRefused as refused:
        errors.update(refused.errors)
    if errors:
        return _setup_form(401 if "code" in errors else 400, errors=errors, form=form)
    try:
        manager = complete_setup(store, clock, services().site_settings, values, code_record)
    except SetupRefused as refused:
        return _setup_form(401, errors=refused.errors, form=form)
    sign_in_browser(session, "manager", manager=manager)
    return redirect(url_for("admin.index"))


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
    except SignInLocked as locked:
        page = render_template("manager_login.html", error=str(locked), name=name, next=target)
        return page, 429, {"Retry-After": str(locked.retry_after_seconds)}
    manager = manager_for_pin(store, name, request.form.get("pin", ""))
    if manager is None:
        guard.failed(person, request.remote_addr)
        return render_template("manager_login.html", error="Name or PIN is not right.", name=name, next=target), 401
    guard.succeeded(person)
    sign_in_browser(session, "manager", manager=manager)
    return redirect(target or url_for("admin.index"))


def _safe_next(path: str | None) -> str | None:
    """Only a path on this server (never //elsewhere) is followed after sign-in."""
    if path and re.fullmatch(r"/[A-Za-z0-9/_.-]{0,200}", path) and not path.startswith("//"):
        return path
    return None
