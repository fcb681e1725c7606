"""First run, the start page, and a manager's sign-in with name and PIN.

On a database without any manager, `gastgeber serve` prints a one-time setup code
(only its hash is stored, with an expiry), and `/` leads to `/setup`: whoever has
the code names the site, its time zone and languages, and becomes its first
manager with a PIN. Afterwards `/setup` is gone and the code is spent. Wrong codes
count against the same sign-in lockout as wrong PINs.

Plain Python: a store and a clock (web/setup/ and web/admin/login.py are the pages).
"""

from __future__ import annotations

import json
import re
import secrets
import zoneinfo
from datetime import timedelta
from functools import lru_cache

from kiosk.clock import from_iso, to_iso
from kiosk.domain import audit
from kiosk.domain.auth import PIN_DIGITS, Principal, hash_pin, hash_token, new_token, pin_matches
from kiosk.domain.errors import Invalid, Reason, Unauthorized
from kiosk.domain.people import clean_name, clean_site
from kiosk.domain.site_settings import check

SETUP_CODE_KEY = "setup_code"
SETUP_CODE_HOURS = 24
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from a log, typed by hand
DEFAULT_SITE = "main"
LANGUAGE_NAMES = {"de": "Deutsch", "en": "English", "tr": "Türkçe", "ar": "العربية"}


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
        return Reason("pin_digits", f"The PIN must be exactly {PIN_DIGITS} digits.", digits=PIN_DIGITS)
    if pin != again:
        return Reason("pin_differs", "The two PINs are not the same.")
    return None


def check_setup_form(form: dict, config: dict) -> dict:
    """The form's values, cleaned; Invalid names every field that is not right (`errors`)."""
    errors, values = {}, {}
    try:
        values["site"] = clean_site((form.get("site") or "").strip())
    except Invalid as problem:
        errors["site"] = Reason("site_name", f"The site name {problem.message.removeprefix('site ')}.")
    for key, value in (("timezone", (form.get("timezone") or "").strip()),
                       ("kiosk_languages", list(form.get("kiosk_languages") or [])),
                       ("default_language", form.get("default_language") or "")):
        try:
            values[key] = check(key, value, config)
        except Invalid as invalid:
            errors[key] = Reason(invalid.errors[key].code, f"This {invalid.errors[key]}.", **invalid.errors[key].values)
    try:
        values["name"] = clean_name(form.get("name") or "", "your name")
    except Invalid as problem:
        errors["name"] = Reason("name_length", f"{problem.message[0].upper()}{problem.message[1:]}.",
                                **problem.message.values)
    pin_problem = check_pin(form.get("pin") or "", form.get("pin_again") or "")
    if pin_problem:
        errors["pin"] = pin_problem
    values["pin"] = form.get("pin")
    if errors:
        raise Invalid(next(iter(errors.values())), next(iter(errors)), errors=errors)
    return values


SITE_SETTINGS = ("timezone", "default_language", "kiosk_languages")  # what the setup form sets


def complete_setup(store, clock, site_settings, values: dict, code_record: str) -> dict:
    """In one transaction: spend the setup code, name the site, store its settings, add the
    first manager with their PIN, and audit it. Returns the manager's row (with `site`)."""
    now = to_iso(clock.now())
    main = store.site_by_name(DEFAULT_SITE)
    existing = store.site_by_name(values["site"]) or main
    rename = main["id"] if main is not None and store.site_by_name(values["site"]) is None else None
    settings = {key: values[key] for key in SITE_SETTINGS}
    before = site_settings.for_site(existing["id"] if existing else None)

    def entries(site: dict, manager_id: int) -> list[dict]:
        manager = Principal("manager", manager_id, values["name"], site["id"], site["name"])
        return [audit.entry(clock, manager, "settings.changed", subject=f"setting {key}",
                            details={"key": key, "old": before[key], "new": value})
                for key, value in settings.items()] + [
            audit.entry(clock, None, "setup.completed", site_id=site["id"], subject=f"site {site['name']}",
                        details={"site": site["name"], "manager": values["name"], **settings})]

    made = store.complete_setup(code_record, values["site"], rename,
                                {"name": values["name"], "pin_hash": hash_pin(values["pin"]), "created_at": now},
                                hash_token(new_token()), settings, audit=entries)
    if made is None:
        raise Unauthorized(Reason("setup_code_used", "This setup code was just used. Sign in instead."), "code")
    site_settings.forget()
    return store.person("manager", made[1])


def manager_for_pin(store, name: str, pin: str) -> dict | None:
    """The manager with this name (any case) and PIN, if any."""
    if not name or len(name) > 80 or not pin or len(pin) > 40:
        return None
    candidates = store.managers_named(name) or [{"pin_hash": None}]  # an unknown name costs the same hash
    return next((row for row in candidates if pin_matches(row["pin_hash"], pin)), None)


def _normal_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code).upper()


@lru_cache(maxsize=1)
def time_zones() -> tuple[str, ...]:
    return tuple(sorted(zone for zone in zoneinfo.available_timezones() if "/" in zone and not zone.startswith("Etc/")))
