"""The team page (/admin/team, /admin/team/<id>) and the hosts API (/api/v1/hosts).

Both go through the domain's `Team` (kiosk/domain/team.py), as the CLI does. A new
or reset PIN is part of the one answer that made it and is never stored in clear,
in the session or in the log.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import jsonify, request, url_for
from flask_babel import gettext

from kiosk.clock import from_iso
from kiosk.domain.errors import Conflict, Invalid
from kiosk.domain.team import COLOURS
from kiosk.web.admin import admin, admin_api, manager_page, render_admin
from kiosk.web.common import json_object, require_json, requires, see_other, services, status_of, take_notice
from kiosk.web.refusals import field_errors, in_readers_words

# Each label's catalogue key: a host's presence, what keeps a host from being reached
# (kiosk/domain/drills.py's codes), when a channel sends.
STATUS_LABELS = {status: f"admin.status_{status}" for status in ("available", "busy", "away", "off")}
REACH_WARNINGS = {warning: f"admin.warning_{warning}"
                  for warning in ("no_working_channel", "sound_blocked", "notifications_blocked", "board_silent")}
WHEN_LABELS = {when: f"admin.when_{when}" for when in ("unconfirmed", "always")}


def said(keys: dict[str, str]) -> dict[str, str]:
    """Labels by code in the reader's language."""
    return {code: gettext(key) for code, key in keys.items()}


# ------------------------------------------------------------------ pages

def _form() -> dict:
    return {field: request.form.get(field, "") for field in ("name", "languages", "topics", "colour")}


def team_page_answer(principal, status: int = 200, **context):
    """The team page with its forms; also what the managers' forms answer (managers.py)."""
    context.setdefault("form", {"name": "", "languages": "", "topics": "", "colour": COLOURS[0]})
    context.setdefault("errors", {})
    context.setdefault("manager_form", {"name": ""})
    context.setdefault("manager_errors", {})
    context.setdefault("channel_form", {"host_id": "", "url": "", "when": "unconfirmed", "label": ""})
    context.setdefault("channel_errors", {})
    s = services()
    hosts = s.team.hosts(principal.site_id)
    page = render_admin("admin_team.html", principal, hosts=hosts, colours=COLOURS,
                        status_labels=said(STATUS_LABELS), managers=s.managers.of_site(principal.site_id),
                        me=principal.id, reach_warnings=said(REACH_WARNINGS), when_labels=said(WHEN_LABELS),
                        local_time=_local_time(principal.site_id),
                        reach=s.drills.reachability(principal.site_id, [h["id"] for h in hosts], s.presence.boards_of),
                        channels_of=_channels_by_host(principal), **context)
    return page, status


def _channels_by_host(principal) -> dict[int, list[dict]]:
    by_host: dict[int, list[dict]] = {}
    for channel in services().channels.of(principal):
        by_host.setdefault(channel["host"]["id"], []).append(channel)
    return by_host


def _local_time(site_id: int):
    """"2026-11-23 14:03" in the site's time zone, for a stored UTC time."""
    zone = ZoneInfo(services().site_settings.for_site(site_id)["timezone"])
    return lambda iso: from_iso(iso).astimezone(zone).strftime("%Y-%m-%d %H:%M") if iso else "—"


def _host_page(principal, host_id: int, status: int = 200, **context):
    team = services().team
    host = team.host(principal.site_id, host_id)
    context.setdefault("form", {"name": host["name"], "languages": ",".join(host["languages"]),
                                "topics": ",".join(host["topics"]), "colour": host["colour"]})
    context.setdefault("errors", {})
    colleagues = [h for h in team.hosts(principal.site_id) if h["active"] and h["id"] != host_id]
    page = render_admin("admin_host.html", principal, host=host, colleagues=colleagues, colours=COLOURS,
                        status_labels=said(STATUS_LABELS),
                        sign_in_locked=team.sign_in_locked(principal.site_id, host_id), **context)
    return page, status


TEAM_PAGE = "admin.team_page"
TEAM_NOTICES = ("created", "created_manager", "manager_notice", "channel_notice")  # what team_page shows once


def host_page_key(host_id: int) -> str:
    return f"admin.host_page/{host_id}"


def to_team_page(**notice):
    """A team form's answer: back to the team page, which shows `notice` once."""
    return see_other(url_for(TEAM_PAGE) + ("#managers" if "manager_notice" in notice or "created_manager" in notice
                                          else ""), notice or None, TEAM_PAGE)


def _to_host_page(host_id: int, **notice):
    return see_other(url_for("admin.host_page", host_id=host_id), notice or None, host_page_key(host_id))


@admin.get("/team")
@manager_page
def team_page(principal):
    shown = take_notice(TEAM_PAGE)
    return team_page_answer(principal, **{key: shown[key] for key in TEAM_NOTICES if key in shown})


@admin.post("/team")
@manager_page
def add_host_form(principal):
    form = _form()
    try:
        host, pin = services().team.add(principal, form)
    except (Invalid, Conflict) as error:
        return team_page_answer(principal, status_of(error), form=form, errors=field_errors(error))
    return to_team_page(created={"host": {"id": host["id"], "name": host["name"]}, "pin": pin})


@admin.post("/team/channels")
@manager_page
def add_channel_form(principal):
    """A manager adds a channel for a host (the same rules as POST /api/v1/channels)."""
    form = {field: request.form.get(field, "") for field in ("host_id", "url", "when", "label")}
    host_id = form["host_id"]
    body = {"host_id": int(host_id) if host_id.isdigit() and len(host_id) < 12 else None, "url": form["url"],
            "when": form["when"] or "unconfirmed", "label": form["label"] or None}
    try:
        services().channels.add(principal, body)
    except Invalid as error:
        return team_page_answer(principal, 400, channel_form=form, channel_errors=field_errors(error))
    except Conflict as full:
        return team_page_answer(principal, 409, channel_form=form, channel_errors={"url": in_readers_words(full)})
    return see_other(url_for(TEAM_PAGE) + "#reach", {"channel_notice": gettext("admin.channel_added")}, TEAM_PAGE)


@admin.get("/team/<id:host_id>")
@manager_page
def host_page(principal, host_id: int):
    shown = take_notice(host_page_key(host_id))
    return _host_page(principal, host_id, notice=shown.get("notice"), new_pin=shown.get("new_pin"))


@admin.post("/team/<id:host_id>")
@manager_page
def edit_host_form(principal, host_id: int):
    form = _form()
    try:
        services().team.edit(principal, host_id, form)
    except (Invalid, Conflict) as error:
        return _host_page(principal, host_id, status_of(error), form=form, errors=field_errors(error))
    return _to_host_page(host_id, notice=gettext("admin.saved"))


@admin.post("/team/<id:host_id>/pin")
@manager_page
def reset_pin_form(principal, host_id: int):
    try:
        _host, pin = services().team.reset_pin(principal, host_id)
    except Conflict as error:
        return _host_page(principal, host_id, 409, notice=in_readers_words(error))
    return _to_host_page(host_id, new_pin=pin)


@admin.post("/team/<id:host_id>/unlock")
@manager_page
def unlock_form(principal, host_id: int):
    services().team.unlock_sign_in(principal, host_id)
    return _to_host_page(host_id, notice=gettext("admin.host_unlocked"))


@admin.post("/team/<id:host_id>/deactivate")
@manager_page
def deactivate_form(principal, host_id: int):
    _host, moved = services().team.deactivate(principal, host_id)
    notice = gettext("admin.host_deactivated")
    if moved:
        notice += " " + gettext("admin.host_visits_moved", count=len(moved))
    return _to_host_page(host_id, notice=notice)


@admin.post("/team/<id:host_id>/activate")
@manager_page
def activate_form(principal, host_id: int):
    try:
        _host, pin = services().team.activate(principal, host_id)
    except Conflict as taken:  # an active colleague has the name now
        return _host_page(principal, host_id, 409, notice=in_readers_words(taken))
    return _to_host_page(host_id, new_pin=pin, notice=gettext("admin.host_active_again") if pin else None)


@admin.post("/team/<id:host_id>/customers/move")
@manager_page
def move_customers_form(principal, host_id: int):
    target = request.form.get("to_host_id", "")
    team = services().team
    team.host(principal.site_id, host_id)  # 404 before anything else
    try:
        to, count = team.move_customers(principal, host_id, int(target) if target.isdigit() and len(target) < 12
                                        else None)
    except Invalid as error:
        return _host_page(principal, host_id, 400, move_error=in_readers_words(error))
    return _to_host_page(host_id, notice=gettext("admin.host_customers_moved", count=count, name=to["name"]))


# ------------------------------------------------------------------ API

@admin_api.get("/hosts")
@requires("manager")
def list_hosts(principal):
    """Every host of the manager's site, active or not, with who is signed in now."""
    return jsonify({"hosts": services().team.hosts(principal.site_id)})


@admin_api.post("/hosts")
@requires("manager")
def add_host(principal):
    host, pin = services().team.add(principal, json_object())
    return jsonify({"host": host, "pin": pin}), 201


@admin_api.get("/hosts/<id:host_id>")
@requires("manager")
def get_host(principal, host_id: int):
    return jsonify({"host": services().team.host(principal.site_id, host_id)})


@admin_api.patch("/hosts/<id:host_id>")
@requires("manager")
def edit_host(principal, host_id: int):
    require_json()
    services().team.host(principal.site_id, host_id)  # 404 before 400
    return jsonify({"host": services().team.edit(principal, host_id, json_object())})


@admin_api.post("/hosts/<id:host_id>/pin")
@requires("manager")
def reset_pin(principal, host_id: int):
    host, pin = services().team.reset_pin(principal, host_id)
    return jsonify({"host": host, "pin": pin})


@admin_api.post("/hosts/<id:host_id>/unlock")
@requires("manager")
def unlock(principal, host_id: int):
    """Lift the lock that many wrong PINs from anywhere put on the host's sign-in."""
    return jsonify({"host": services().team.unlock_sign_in(principal, host_id)})


@admin_api.post("/hosts/<id:host_id>/deactivate")
@requires("manager")
def deactivate(principal, host_id: int):
    host, moved = services().team.deactivate(principal, host_id)
    return jsonify({"host": host, "moved_visits": moved})


@admin_api.post("/hosts/<id:host_id>/activate")
@requires("manager")
def activate(principal, host_id: int):
    host, pin = services().team.activate(principal, host_id)
    return jsonify({"host": host, "pin": pin})


@admin_api.post("/hosts/<id:host_id>/customers/move")
@requires("manager")
def move_customers(principal, host_id: int):
    team = services().team
    team.host(principal.site_id, host_id)
    to, count = team.move_customers(principal, host_id, json_object().get("to_host_id"))
    return jsonify({"moved": count, "to": to})
