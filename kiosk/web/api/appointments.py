"""The appointments part of the HTTP API (/api/v1/appointments): hosts and managers."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, jsonify, request

from kiosk.web.api.visits import authenticate, domain_errors, json_body, services
from kiosk.domain.appointments import public_appointment
from kiosk.web.errors import ApiError

appointments_api = Blueprint("appointments_api", __name__, url_prefix="/api/v1/appointments")


@appointments_api.post("")
def create_appointment():
    principal = authenticate("host", "manager")
    with domain_errors():
        row = services().appointments.create(principal, json_body())
    return jsonify({"appointment": public_appointment(row)}), 201


@appointments_api.get("")
def list_appointments():
    """One local day of the site's appointments (`date=YYYY-MM-DD`, default today; `host_id` to filter)."""
    principal = authenticate("host", "manager")
    day = _query_date(request.args.get("date"))
    host_id = request.args.get("host_id")
    if host_id is not None and not (host_id.isascii() and host_id.isdigit() and len(host_id) < 12):
        raise ApiError(400, "'host_id' must be a host's id", field="host_id")
    rows = services().appointments.day(principal, day, int(host_id) if host_id else None)
    return jsonify({"appointments": [public_appointment(row) for row in rows]})


@appointments_api.post("/<int:appointment_id>/cancel")
def cancel_appointment(appointment_id: int):
    principal = authenticate("host", "manager")
    with domain_errors():
        row = services().appointments.cancel(principal, appointment_id)
    return jsonify({"appointment": public_appointment(row)})


def _query_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ApiError(400, "'date' must look like 2026-11-24", field="date") from None
