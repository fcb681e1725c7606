"""The team page (/admin/team) and the hosts API (/api/v1/hosts) for a site's managers.

Both go through kiosk/hosts.py `Team`, as the CLI does. A new or reset PIN is part of
the one answer that made it and is never stored in clear, in the session or in the log.
"""

from __future__ import annotations

from contextlib import contextmanager

from flask import abort, jsonify, request

from kiosk.web.admin.base import admin, admin_api, render_admin, services, signed_in_manager
from kiosk.web.api.visits import authenticate, json_body
from kiosk.web.errors import ApiError
from kiosk.domain import managers
from kiosk.domain.team import COLOURS, HostInactive, HostInputError, HostNotFound, Team

STATUS_LABELS = {"available": "Available", "busy": "Busy", "away": "Away", "off": "Off"}


def team() -> Team:
    s = services()
    return Team(s.store, s.clock, s.presence, s.desk, s.desk.publish, s.settings,
                end_sessions=lambda host_id: s.realtime.end_sessions("host", host_id))


# ------------------------------------------------------------------ pages

def _form() -> dict:
    return {field: request.form.get(field, "") for field in ("name", "languages", "topics", "colour")}


def _team_page(principal, status: int = 200, **context):
    context.setdefault("form", {"name": "", "languages": "", "topics": "", "colour": COLOURS[0]})
    context.setdefault("errors", {})
    context.setdefault("manager_form", {"name": ""})
    context.setdefault("manager_errors", {})
    s = services()
    page = render_admin("admin_team.html", principal, hosts=team().hosts(principal.site_id), colours=COLOURS,
                        status_labels=STATUS_LABELS, managers=managers.managers_of(s.store, principal.site_id),
                        me=principal.id, **context)
    return page, status


def _host_page(principal, host_id: int, status: int = 200, **context):
    try:
        host = team().host(principal.site_id, host_id)
    except HostNotFound:
        abort(404)
    context.setdefault("form", {"name": host["name"], "languages": ",".join(host["languages"]),
                                "topics": ",".join(host["topics"]), "colour": host["colour"]})
    context.setdefault("errors", {})
    colleagues = [h for h in team().hosts(principal.site_id) if h["active"] and h["id"] != host_id]
    page = render_admin("admin_host.html", principal, host=host, colleagues=colleagues, colours=COLOURS,
                        status_labels=STATUS_LABELS, **context)
    return page, status


@admin.get("/team")
def team_page():
    return _team_page(signed_in_manager())


@admin.post("/team")
def add_host_form():
    principal = signed_in_manager()
    form = _form()
    try:
        host, pin = team().add(principal, form)
    except HostInputError as error:
        return _team_page(principal, 400, form=form, errors={error.field: error.message})
    return _team_page(principal, 201, created={"host": host, "pin": pin})


@admin.get("/team/<int:host_id>")
def host_page(host_id: int):
    return _host_page(signed_in_manager(), host_id)


@admin.post("/team/<int:host_id>")
def edit_host_form(host_id: int):
    principal = signed_in_manager()
    form = _form()
    try:
        team().edit(principal, host_id, form)
    except HostNotFound:
        abort(404)
    except HostInputError as error:
        return _host_page(principal, host_id, 400, form=form, errors={error.field: error.message})
    return _host_page(principal, host_id, notice="Saved.")


@admin.post("/team/<int:host_id>/pin")
def reset_pin_form(host_id: int):
    principal = signed_in_manager()
    try:
        _host, pin = team().reset_pin(principal, host_id)
    except HostNotFound:
        abort(404)
    except HostInactive as error:
        return _host_page(principal, host_id, 409, notice=str(error))
    return _host_page(principal, host_id, new_pin=pin)


@admin.post("/team/<int:host_id>/deactivate")
def deactivate_form(host_id: int):
    principal = signed_in_manager()
    try:
        _host, moved = team().deactivate(principal, host_id)
    except HostNotFound:
        abort(404)
    notice = "Deactivated. Their history stays; they can no longer sign in."
    if moved:
        notice += f" {len(moved)} open visit(s) went to the colleague the assignment policy chose."
    return _host_page(principal, host_id, notice=notice)


@admin.post("/team/<int:host_id>/activate")
def activate_form(host_id: int):
    principal = signed_in_manager()
    try:
        _host, pin = team().activate(principal, host_id)
    except HostNotFound:
        abort(404)
    return _host_page(principal, host_id, new_pin=pin, notice="Active again." if pin else None)


@admin.post("/team/<int:host_id>/customers/move")
def move_customers_form(host_id: int):
    principal = signed_in_manager()
    target = request.form.get("to_host_id", "")
    try:
        to, count = team().move_customers(principal, host_id, int(target) if target.isdigit() and len(target) < 12
                                          else None)
    except HostNotFound:
        abort(404)
    except HostInputError as error:
        return _host_page(principal, host_id, 400, move_error=error.message)
    return _host_page(principal, host_id, notice=f"{count} customer(s) now have {to['name']} as their host.")


@admin.post("/team/managers")
def add_manager_form():
    principal, s = signed_in_manager(), services()
    name = request.form.get("name", "")
    try:
        manager, pin, token = managers.add_manager(s.store, s.clock, principal, name)
    except managers.ManagerRefused as error:
        return _team_page(principal, 400, manager_form={"name": name}, manager_errors={"manager-name": error.message})
    return _team_page(principal, 201, created_manager={"manager": manager, "pin": pin, "token": token})


@admin.post("/team/managers/<int:manager_id>/pin")
def manager_pin_form(manager_id: int):
    principal, s = signed_in_manager(), services()
    try:
        manager, pin = managers.new_manager_pin(s.store, s.clock, principal, manager_id)
    except managers.ManagerNotFound:
        abort(404)
    return _team_page(principal, created_manager={"manager": manager, "pin": pin, "token": None})


@admin.post("/team/managers/<int:manager_id>/end")
def end_manager_form(manager_id: int):
    principal, s = signed_in_manager(), services()
    try:
        manager = managers.end_access(s.store, s.clock, principal, manager_id)
    except managers.ManagerNotFound:
        abort(404)
    except managers.ManagerRefused as error:
        return _team_page(principal, 409, manager_notice=error.message)
    return _team_page(principal, manager_notice=f"{manager['name']} can no longer sign in.")


# ------------------------------------------------------------------ API

@contextmanager
def _team_errors():
    try:
        yield
    except HostNotFound as error:
        raise ApiError(404, f"no host {error.args[0]} on this site") from None
    except HostInputError as error:
        raise ApiError(400, error.message, field=error.field) from None
    except HostInactive as error:
        raise ApiError(409, str(error)) from None


def _object_body() -> dict:
    body = json_body()
    if not isinstance(body, dict):
        raise ApiError(400, "the body must be a JSON object", code="invalid_json")
    return body


@admin_api.get("/hosts")
def list_hosts():
    """Every host of the manager's site, active or not, with who is signed in now."""
    principal = authenticate("manager")
    return jsonify({"hosts": team().hosts(principal.site_id)})


@admin_api.post("/hosts")
def add_host():
    principal = authenticate("manager")
    with _team_errors():
        host, pin = team().add(principal, _object_body())
    return jsonify({"host": host, "pin": pin}), 201


@admin_api.get("/hosts/<int:host_id>")
def get_host(host_id: int):
    principal = authenticate("manager")
    with _team_errors():
        return jsonify({"host": team().host(principal.site_id, host_id)})


@admin_api.patch("/hosts/<int:host_id>")
def edit_host(host_id: int):
    principal = authenticate("manager")
    if not request.is_json:
        raise ApiError(415, "send the request as application/json")
    with _team_errors():
        team().host(principal.site_id, host_id)  # 404 before 400
        return jsonify({"host": team().edit(principal, host_id, _object_body())})


@admin_api.post("/hosts/<int:host_id>/pin")
def reset_pin(host_id: int):
    principal = authenticate("manager")
    with _team_errors():
        host, pin = team().reset_pin(principal, host_id)
    return jsonify({"host": host, "pin": pin})


@admin_api.post("/hosts/<int:host_id>/deactivate")
def deactivate(host_id: int):
    principal = authenticate("manager")
    with _team_errors():
        host, moved = team().deactivate(principal, host_id)
    return jsonify({"host": host, "moved_visits": moved})


@admin_api.post("/hosts/<int:host_id>/activate")
def activate(host_id: int):
    principal = authenticate("manager")
    with _team_errors():
        host, pin = team().activate(principal, host_id)
    return jsonify({"host": host, "pin": pin})


@admin_api.post("/hosts/<int:host_id>/customers/move")
def move_customers(host_id: int):
    principal = authenticate("manager")
    with _team_errors():
        team().host(principal.site_id, host_id)
        to_host_id = _object_body().get("to_host_id")
        to, count = team().move_customers(principal, host_id, to_host_id)
    return jsonify({"moved": count, "to": to})


@contextmanager
def _manager_errors():
    try:
        yield
    except managers.ManagerNotFound as error:
        raise ApiError(404, f"no manager {error.args[0]} on this site") from None
    except managers.ManagerRefused as error:
        raise ApiError(409 if error.field is None else 400, error.message, field=error.field) from None


@admin_api.get("/managers")
def list_managers():
    """The managers of the caller's site, with whether each can still sign in."""
    principal = authenticate("manager")
    return jsonify({"managers": managers.managers_of(services().store, principal.site_id)})


@admin_api.post("/managers")
def add_manager():
    principal, s = authenticate("manager"), services()
    with _manager_errors():
        manager, pin, token = managers.add_manager(s.store, s.clock, principal, _object_body().get("name"))
    return jsonify({"manager": manager, "pin": pin, "token": token}), 201


@admin_api.post("/managers/<int:manager_id>/pin")
def manager_pin(manager_id: int):
    principal, s = authenticate("manager"), services()
    with _manager_errors():
        manager, pin = managers.new_manager_pin(s.store, s.clock, principal, manager_id)
    return jsonify({"manager": manager, "pin": pin})


@admin_api.post("/managers/<int:manager_id>/end-access")
def end_manager_access(manager_id: int):
    principal, s = authenticate("manager"), services()
    with _manager_errors():
        return jsonify({"manager": managers.end_access(s.store, s.clock, principal, manager_id)})
