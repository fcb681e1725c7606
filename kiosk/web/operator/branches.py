"""A chain's branches at the head office: the operator's page and API to create a branch (its
token shown once), and the branches' own POST of their daily summaries (kiosk/domain/branches/)."""

from __future__ import annotations

from flask import jsonify, render_template, request, url_for

from kiosk.domain.auth import OPERATOR
from kiosk.domain.branches import received
from kiosk.domain.errors import Conflict, Invalid, NotFound
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
    notice = take_notice(BRANCHES_PAGE)
    return _page(operator, created=notice.get("created"), new_token=notice.get("new_token"),
                 revoked=notice.get("revoked"))


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


def _branch(branch_id: int) -> dict:
    branch = next((row for row in _branches(services().store) if row["id"] == branch_id), None)
    if branch is None:
        raise NotFound("no such branch")
    return branch


@operator_pages.get("/branches/<id:branch_id>/token")
@operator_page
def token_page(operator, branch_id: int):
    """Asks before a branch's token is revoked or replaced: its pushes stop until it has the new one."""
    return render_template("operator_branch_token.html", operator=operator, branch=_branch(branch_id))


@operator_pages.post("/branches/<id:branch_id>/token")
@operator_page
def token_form(operator, branch_id: int):
    s = services()
    if request.form.get("action") == "replace":
        token = received.replace_token(s.store, s.clock, operator, branch_id)
        notice = {"new_token": {"name": _branch(branch_id)["name"], "token": token}}
    else:
        received.revoke_token(s.store, s.clock, operator, branch_id)
        notice = {"revoked": {"name": _branch(branch_id)["name"]}}
    return see_other(url_for(BRANCHES_PAGE), notice, BRANCHES_PAGE)


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


@operator_api.post("/branches/<id:branch_id>/token/revoke")
@requires(OPERATOR)
def revoke_token(operator, branch_id: int):
    """The branch's token stops opening anything (operators only)."""
    s = services()
    received.revoke_token(s.store, s.clock, operator, branch_id)
    return jsonify({"branch": _branch(branch_id)})


@operator_api.post("/branches/<id:branch_id>/token")
@requires(OPERATOR)
def replace_token(operator, branch_id: int):
    """A new token for the branch, in this answer only; the old one stops at once (operators only)."""
    s = services()
    token = received.replace_token(s.store, s.clock, operator, branch_id)
    return jsonify({"branch": _branch(branch_id), "token": token}), 201


@operator_api.post("/branches/summaries")
def receive_summary():
    """One site's local day from a branch (its token as the bearer); a resend replaces it."""
    s = services()
    branch = received.branch_for(s.store, request.headers.get("Authorization", ""))
    s.branch_limiter.hit(branch["id"])
    require_json()
    kept, created = received.receive(s.store, s.clock, branch, json_object())
    return jsonify({"summary": kept}), 201 if created else 200
