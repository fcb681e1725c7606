"""The visit loop over HTTP (/api/v1): check in, read, act, feedback, move a customer.

Handlers parse, call the front desk, render; refusals become answers in web/common.py.
"""

from __future__ import annotations

from flask import jsonify, request

from kiosk.domain.frontdesk import FEEDBACK_RATINGS
from kiosk.domain.inputs import parse_checkin, parse_note
from kiosk.domain.visits import ACTIONS, public_visit
from kiosk.web.api import api
from kiosk.web.common import ApiError, json_body, requires, services


def visit_answer(principal, row, status: int = 200):
    """A Visit as this principal may see it: a kiosk gets no staff details, and the customer's status link."""
    visit = public_visit(row, for_kiosk=principal.role == "kiosk")
    if principal.role == "kiosk":
        visit["status_url"] = services().status_links.path_for(row["id"])
    return jsonify({"visit": visit}), status


@api.post("/checkins")
@requires("kiosk")
def check_in(kiosk):
    row, created = services().desk.check_in(kiosk, parse_checkin(json_body()))
    return visit_answer(kiosk, row, 201 if created else 200)


@api.get("/visits/<id:visit_id>")
@requires("host", "manager", "kiosk")
def get_visit(principal, visit_id: int):
    return visit_answer(principal, services().desk.visit_for(principal, visit_id))


@api.get("/visits")
@requires("host", "manager")
def list_visits(principal):
    if request.args.get("status", "open") != "open":
        raise ApiError(400, "only status=open is supported", field="status")
    return jsonify({"visits": [public_visit(row) for row in services().desk.open_visits(principal)]})


@api.post("/visits/<id:visit_id>/<action>")
def act_on_visit(visit_id: int, action: str):
    if action not in ACTIONS:
        raise ApiError(404, f"unknown action '{action}' (known: {', '.join(ACTIONS)})")
    return _act(visit_id=visit_id, action=action)


@requires("host")
def _act(host, visit_id: int, action: str):
    note = parse_note(json_body(optional=True)) if action == "complete" else None
    return visit_answer(host, services().desk.act(host, visit_id, action, note))


@api.post("/visits/<id:visit_id>/undo-complete")
@requires("host")
def undo_complete(host, visit_id: int):
    """The board's "Undo" of a "Done" less than a minute old: the visit is greeted again (409 later)."""
    return visit_answer(host, services().desk.undo_complete(host, visit_id))


@api.post("/visits/<id:visit_id>/feedback")
@requires("kiosk")
def give_feedback(kiosk, visit_id: int):
    """The customer's one-tap rating on the way out, sent by the kiosk that checked them in."""
    body = json_body()
    rating = body.get("rating") if isinstance(body, dict) else None
    if isinstance(rating, bool) or rating not in FEEDBACK_RATINGS:
        raise ApiError(400, "'rating' must be 1 (unhappy), 2 (neutral) or 3 (happy)", field="rating")
    row = services().desk.give_feedback(kiosk, visit_id, rating)
    return jsonify({"visit": public_visit(row, for_kiosk=True), "feedback": {"rating": rating}}), 201


@api.post("/customers/<id:customer_id>/host")
@requires("host", "manager")
def reassign_customer(principal, customer_id: int):
    """Make another host the customer's own host (hosts and managers; logged)."""
    body = json_body()
    host_id = body.get("host_id") if isinstance(body, dict) else None
    return jsonify({"customer": services().desk.reassign_customer(principal, customer_id, host_id)})
