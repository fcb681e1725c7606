"""Appointments over HTTP (/api/v1/appointments): hosts and managers book, list and cancel."""

from __future__ import annotations

from datetime import date

from flask import jsonify, request

from kiosk.domain.appointments import public_appointment
from kiosk.domain.inputs import ISO_DATE
from kiosk.web.api import api
from kiosk.web.common import ApiError, json_body, requires, services


@api.post("/appointments")
@requires("host", "manager")
def create_appointment(principal):
    row = services().appointments.create(principal, json_body())
    return jsonify({"appointment": public_appointment(row)}), 201


@api.get("/appointments")
@requires("host", "manager")
def list_appointments(principal):
    """One local day of the site's appointments (`date=YYYY-MM-DD`, default today; `host_id` to filter)."""
    day = _query_date(request.args.get("date"))
    host_id = request.args.get("host_id")
    if host_id is not None and not (host_id.isascii() and host_id.isdigit() and len(host_id) < 12):
        raise ApiError(400, "'host_id' must be a host's id", field="host_id")
    rows = services().appointments.day(principal, day, int(host_id) if host_id else None)
    return jsonify({"appointments": [public_appointment(row) for row in rows]})


@api.post("/appointments/<id:appointment_id>/cancel")
@requires("host", "manager")
def cancel_appointment(principal, appointment_id: int):
    return jsonify({"appointment": public_appointment(services().appointments.cancel(principal, appointment_id))})


def _query_date(text: str | None) -> date | None:
    if text is None:
        return None
    if not ISO_DATE.fullmatch(text):
        raise ApiError(400, "'date' must be a day of the years 1970 to 2999 like 2026-11-24", field="date")
    return date.fromisoformat(text)
