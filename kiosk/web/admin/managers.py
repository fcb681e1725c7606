"""A site's managers, on the team page's forms and at /api/v1/managers: add one (PIN and
token shown once), give a new PIN, end a manager's access (never one's own)."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext

from kiosk.domain.errors import Conflict, Invalid
from kiosk.web.admin import admin, admin_api, manager_page
from kiosk.web.admin.team import team_page_answer, to_team_page
from kiosk.web.common import json_object, requires, services, status_of
from kiosk.web.refusals import in_readers_words


@admin.post("/team/managers")
@manager_page
def add_manager_form(principal):
    s, name = services(), request.form.get("name", "")
    try:
        manager, pin, token = s.managers.add(principal, name)
    except (Invalid, Conflict) as error:
        return team_page_answer(principal, status_of(error), manager_form={"name": name},
                                manager_errors={"manager-name": in_readers_words(error)})
    return to_team_page(created_manager={"manager": {"id": manager["id"], "name": manager["name"]},
                                         "pin": pin, "token": token})


@admin.post("/team/managers/<id:manager_id>/pin")
@manager_page
def manager_pin_form(principal, manager_id: int):
    s = services()
    manager, pin = s.managers.new_pin(principal, manager_id)
    shown = {"id": manager["id"], "name": manager["name"]}
    created = {"manager": shown, "pin": pin, "token": None}  # nosec B105  # a new PIN only: no token to show
    return to_team_page(created_manager=created)


@admin.post("/team/managers/<id:manager_id>/end")
@manager_page
def end_manager_form(principal, manager_id: int):
    s = services()
    try:
        manager = s.managers.end_access(principal, manager_id)
    except Conflict as error:
        return team_page_answer(principal, 409, manager_notice=in_readers_words(error))
    return to_team_page(manager_notice=gettext("admin.manager_ended", name=manager["name"]))


@admin_api.get("/managers")
@requires("manager")
def list_managers(principal):
    """The managers of the caller's site, with whether each can still sign in."""
    return jsonify({"managers": services().managers.of_site(principal.site_id)})


@admin_api.post("/managers")
@requires("manager")
def add_manager(principal):
    s = services()
    manager, pin, token = s.managers.add(principal, json_object().get("name"))
    return jsonify({"manager": manager, "pin": pin, "token": token}), 201


@admin_api.post("/managers/<id:manager_id>/pin")
@requires("manager")
def manager_pin(principal, manager_id: int):
    s = services()
    manager, pin = s.managers.new_pin(principal, manager_id)
    return jsonify({"manager": manager, "pin": pin})


@admin_api.post("/managers/<id:manager_id>/end-access")
@requires("manager")
def end_manager_access(principal, manager_id: int):
    s = services()
    return jsonify({"manager": s.managers.end_access(principal, manager_id)})
