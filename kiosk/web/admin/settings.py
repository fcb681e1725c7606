"""The site's settings in the admin area: /admin/settings, GET and PATCH /api/v1/settings.

What a manager may change, how it is checked and stored, lives in domain/site_settings.py;
this module parses forms and JSON and renders.
"""

from __future__ import annotations

from flask import jsonify, redirect, request, url_for
from flask_babel import gettext

from kiosk.domain.config import SETTINGS_BY_NAME
from kiosk.domain.errors import Invalid, Reason
from kiosk.domain.setup import LANGUAGE_NAMES, time_zones
from kiosk.domain.site_settings import EDITABLE, from_text, refuse_long_texts
from kiosk.web.admin import admin, admin_api, manager_page, render_admin
from kiosk.web.admin.sms_section import sms_section
from kiosk.web.common import ApiError, json_body, require_json, requires, services

LONG_TEXT = ("welcome_text_", "privacy_notice_")


def public_settings(site_id: int) -> dict:
    """Each setting's value in force and where it comes from, as the API answers it."""
    return {
        row["key"]: {"value": row["value"], "source": row["source"], "config_value": row["inherited"],
                     "type": row["type"], "help": row["help"]}
        for row in services().site_settings.described(site_id)
    }


def settings_page_answer(principal, status: int = 200, *, sms_form: dict | None = None):
    """The settings page as the SMS channel's forms answer a refusal (sms_channel.py)."""
    return _page(principal, status, sms_form=sms_form)


def _page(principal, status: int = 200, *, errors: dict | None = None, typed: dict | None = None, saved=None,
          sms_form: dict | None = None):
    rows = services().site_settings.described(principal.site_id)
    for row in rows:
        row["label"] = _catalogued(f"settings.label_{row['key']}", row["label"])
        row["help"] = _catalogued(f"settings.help_{row['key']}", row["help"])
        row["shown"] = (typed or {}).get(row["key"], row["value"])
        row["long"] = row["key"].startswith(LONG_TEXT)
    return render_admin("admin_settings.html", principal, settings=rows, errors=errors or {}, saved=saved,
                        time_zones=time_zones(), language_names=LANGUAGE_NAMES,
                        sms=sms_section(principal, sms_form)), status


def _catalogued(key: str, english: str) -> str:
    """The catalogue's text of `key` in the reader's language; the domain's English where no catalogue has it."""
    text = gettext(key)
    return english if text == key else text


@admin.get("/settings")
@manager_page
def settings_page(principal):
    saved = request.args.get("saved")
    return _page(principal, saved=int(saved) if saved and saved.isdigit() and len(saved) < 4 else None)


@admin.post("/settings")
@manager_page
def save_settings(principal):
    """Save the form: every field that differs from the value in force; or reset one field."""
    site_settings = services().site_settings
    reset = request.form.get("reset")
    if reset:
        if reset not in EDITABLE:
            return _page(principal, 400, errors={reset[:40]: Reason("setting_not_here", "is not a setting that can be "
                                                                     "changed here")})
        changed = site_settings.change(principal.site_id, {reset: None}, principal)
        return redirect(url_for("admin.settings_page", saved=len(changed)), 303)
    current = site_settings.for_site(principal.site_id)
    typed, changes = {}, {}
    for key in EDITABLE:
        if SETTINGS_BY_NAME[key].kind is list:
            typed[key] = request.form.getlist(key)
        elif key in request.form:
            typed[key] = request.form[key]
        else:
            continue
        value = from_text(key, typed[key])
        if value != current[key] and not _same_text(value, current[key]):
            changes[key] = value
    try:
        changed = site_settings.change(principal.site_id, changes, principal)
    except Invalid as invalid:
        return _page(principal, 400, errors=invalid.errors, typed=typed)
    return redirect(url_for("admin.settings_page", saved=len(changed)), 303)


def _same_text(value, current) -> bool:
    """A text from the form that differs from the current one only in its line endings
    (the browser sends CRLF) and surrounding blanks is no change."""
    return isinstance(value, str) and value.replace("\r\n", "\n").strip() == current


@admin_api.get("/settings")
@requires("manager")
def get_settings(principal):
    """The manager's site's settings: each value in force and its source."""
    return jsonify({"site": principal.site, "settings": public_settings(principal.site_id)})


@admin_api.patch("/settings")
@requires("manager")
def patch_settings(principal):
    """Change some settings of the manager's site: {key: value, ...}; null resets a key to the config file's."""
    require_json()
    body = json_body()
    if not isinstance(body, dict) or not body:
        raise ApiError(400, "the body must be a JSON object of settings to change")
    refuse_long_texts(body)
    changed = services().site_settings.change(principal.site_id, body, principal)
    return jsonify({"site": principal.site, "changed": changed, "settings": public_settings(principal.site_id)})
