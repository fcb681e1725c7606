"""The HTTP API (/api/v1) of CONTRACT.md. Handlers parse, call the front desk, render."""

from __future__ import annotations

from contextlib import contextmanager

from flask import Blueprint, current_app, jsonify, request, session

from kiosk.domain.auth import principal_for_session, principal_for_token
from kiosk.web.door.heartbeat import note_contact
from kiosk.web.errors import ApiError
from kiosk.domain.appointments import AppointmentNotFound
from kiosk.domain.frontdesk import FEEDBACK_RATINGS, CustomerNotFound, FeedbackRefused, NotYourVisit, VisitNotFound
from kiosk.domain.inputs import InvalidInput, parse_checkin, parse_note
from kiosk.domain.ratelimit import RateLimited
from kiosk.domain.visits import ACTIONS, IllegalTransition, public_visit

api = Blueprint("api", __name__, url_prefix="/api/v1")


def services():
    return current_app.extensions["gastgeber"]


def authenticate(*roles: str):
    """The caller, who must hold one of `roles`: by bearer token, else by session cookie.

    A browser writing with its cookie must send JSON: a cross-site form cannot,
    so this closes the CSRF door until full CSRF tokens arrive.
    """
    store = services().store
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        principal = principal_for_token(store, token.strip()) if scheme.lower() == "bearer" else None
        if principal is None:
            raise ApiError(401, "the bearer token is missing, unknown or revoked")
    else:
        principal = _session_principal(roles)
        if principal is None:
            raise ApiError(401, "sign in, or send 'Authorization: Bearer <token>'")
        if request.method == "POST" and not request.is_json:
            raise ApiError(415, "send the request as application/json")
    if principal.role not in roles:
        raise ApiError(403, f"a {principal.role} may not do this")
    note_contact(principal)  # a kiosk's last contact, for the kiosks page (at most once a minute)
    return principal


def _session_principal(roles):
    for role in roles:
        principal = principal_for_session(services().store, session, role)
        if principal is not None:
            return principal
    return None


def json_body(*, optional: bool = False):
    if optional and not request.get_data(cache=True):
        return None
    body = request.get_json(silent=True)
    if body is None:
        raise ApiError(400, "the body must be valid JSON", code="invalid_json")
    return body


def visit_answer(principal, row, status: int = 200):
    """A Visit as this principal may see it: a kiosk gets no staff details."""
    return jsonify({"visit": public_visit(row, for_kiosk=principal.role == "kiosk")}), status


@contextmanager
def domain_errors():
    """Turn the domain's refusals into the contract's error answers."""
    try:
        yield
    except InvalidInput as error:
        raise ApiError(400, error.message, field=error.field) from None
    except VisitNotFound as error:
        raise ApiError(404, f"no visit {error.args[0]}") from None
    except NotYourVisit:
        raise ApiError(403, "a kiosk may only read the visits it made") from None
    except CustomerNotFound as error:
        raise ApiError(404, f"no customer {error.args[0]}") from None
    except AppointmentNotFound as error:
        raise ApiError(404, f"no appointment {error.args[0]}") from None
    except FeedbackRefused as error:
        raise ApiError(409, str(error)) from None
    except IllegalTransition as error:
        raise ApiError(409, str(error)) from None
    except RateLimited as error:
        raise ApiError(429, str(error), headers={"Retry-After": str(error.retry_after_seconds)}) from None


@api.post("/checkins")
def check_in():
    kiosk = authenticate("kiosk")
    with domain_errors():
        row, created = services().desk.check_in(kiosk, parse_checkin(json_body()))
    return visit_answer(kiosk, row, 201 if created else 200)


@api.get("/visits/<int:visit_id>")
def get_visit(visit_id: int):
    principal = authenticate("host", "manager", "kiosk")
    with domain_errors():
        return visit_answer(principal, services().desk.visit_for(principal, visit_id))


@api.get("/visits")
def list_visits():
    principal = authenticate("host", "manager")
    if request.args.get("status", "open") != "open":
        raise ApiError(400, "only status=open is supported", field="status")
    rows = services().desk.open_visits(principal)
    return jsonify({"visits": [public_visit(row) for row in rows]})


@api.post("/visits/<int:visit_id>/<action>")
def act_on_visit(visit_id: int, action: str):
    if action not in ACTIONS:
        raise ApiError(404, f"unknown action '{action}' (known: {', '.join(ACTIONS)})")
    host = authenticate("host")
    with domain_errors():
        note = parse_note(json_body(optional=True)) if action == "complete" else None
        return visit_answer(host, services().desk.act(host, visit_id, action, note))


@api.post("/visits/<int:visit_id>/feedback")
def give_feedback(visit_id: int):
    """The customer's one-tap rating on the way out, sent by the kiosk that checked them in."""
    kiosk = authenticate("kiosk")
    body = json_body()
    rating = body.get("rating") if isinstance(body, dict) else None
    if isinstance(rating, bool) or rating not in FEEDBACK_RATINGS:
        raise ApiError(400, "'rating' must be 1 (unhappy), 2 (neutral) or 3 (happy)", field="rating")
    with domain_errors():
        row = services().desk.give_feedback(kiosk, visit_id, rating)
    return jsonify({"visit": public_visit(row, for_kiosk=True), "feedback": {"rating": rating}}), 201


@api.post("/customers/<int:customer_id>/host")
def reassign_customer(customer_id: int):
    """Make another host the customer's own host (hosts and managers; logged)."""
    principal = authenticate("host", "manager")
    body = json_body()
    with domain_errors():
        host_id = body.get("host_id") if isinstance(body, dict) else None
        return jsonify({"customer": services().desk.reassign_customer(principal, customer_id, host_id)})
