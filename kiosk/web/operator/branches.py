"""A chain's branches at the head office: the operator's page and API to create a branch (its
token shown once), and the branches' own POST of their daily summaries (kiosk/domain/branches/)."""

from __future__ import annotations

from flask import jsonify, render_template, request, url_for

from kiosk.domain.auth import OPERATOR
from kiosk.domain.branches import received
from kiosk.domain.errors import Conflict, Invalid
from kiosk.web.common import json_object, require_json, requires, see_other, services, take_notice
from kiosk.web.operator import operator_api, operator_pages
from kiosk.web.operator.views import operator_page

BRANCHES_PAGE = "operator.branches_page"


def _branches(store) -> list[dict]:
    return [received.public_branch(row) for row in store.branches()]


def _page(operator, status: int = 200, **context):
    context.setdefault("form", {"name": ""})
    context.setdefault("errors", {})
    return render_template("operator_branches.html", operator=operator, branches=_branches(services().store),
                           **context), status


@operator_pages.get("/branches")
@operator_page
def branches_page(operator):
    return _page(operator, created=take_notice(BRANCHES_PAGE).get("created"))


@operator_pages.post("/branches")
@operator_page
def create_branch_form(operator):
    form = {"name": request.form.get("name", "")}
    s = services()
    try:
        created = received.create_branch(s.store, s.clock, operator, form["name"])
    except (Invalid, Conflict) as refusal:
        return _page(operator, 400 if isinstance(refusal, Invalid) else 409, form=form,
                     errors={"name": refusal.message})
    return see_other(url_for(BRANCHES_PAGE), {"created": {"name": created["branch"]["name"],
                                                          "token": created["token"]}}, BRANCHES_PAGE)


@operator_api.get("/branches")
@requires(OPERATOR)
def list_branches(_operator):
    """Every branch that pushes its days here, never a token (operators only)."""
    return jsonify({"branches": _branches(services().store)})


@operator_api.post("/branches")
@requires(OPERATOR)
def create_branch(operator):
    """A new branch; its token is in this answer only (operators only)."""
    s = services()
    return jsonify(received.create_branch(s.store, s.clock, operator, json_object().get("name"))), 201


@operator_api.post("/branches/summaries")
def receive_summary():
    """One site's local day from a branch (its token as the bearer); a resend replaces it."""
    s = services()
    branch = received.branch_for(s.store, request.headers.get("Authorization", ""))
    require_json()
    kept, created = received.receive(s.store, s.clock, branch, json_object())
    return jsonify({"summary": kept}), 201 if created else 200
