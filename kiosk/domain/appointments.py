"""Appointments: pre-registered visits with a short code the customer types at the kiosk.

Hosts and managers create them (API, board, CSV import); the host sees the day's
appointments with their preparation notes. Plain Python: a store and a clock.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kiosk.clock import EARLIEST, LATEST, to_iso
from kiosk.domain.customers import customer_fields, find_known_customer
from kiosk.domain.errors import Invalid, NotFound
from kiosk.domain.inputs import EMAIL, ISO_MOMENT, PHONE, is_id, matching_field, text_field

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to confuse at the kiosk
CODE_LENGTH = 6
CSV_COLUMNS = ("customer_name", "phone", "email", "host", "starts_at", "reason", "notes")


class ImportRefused(Invalid):
    """A CSV file with bad rows: nothing was imported. `problems` holds one line per bad row."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str | None) -> str | None:
    """What the customer typed, as stored: upper case, without spaces or dashes."""
    code = re.sub(r"[\s-]", "", text or "").upper()
    return code or None


def parse_starts_at(value, zone: ZoneInfo) -> str:
    """An ISO 8601 time (`ISO_MOMENT`); without an offset it is the site's local time. Stored as UTC."""
    if not isinstance(value, str) or not value.strip():
        raise Invalid("'starts_at' is required, e.g. 2026-11-24T10:30", "starts_at")
    if not ISO_MOMENT.fullmatch(value):
        raise Invalid("'starts_at' must be a date and time of the years 1970 to 2999 like 2026-11-24T10:30",
                      "starts_at")
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return to_iso(moment if moment.tzinfo else moment.replace(tzinfo=zone))


def public_appointment(row: dict) -> dict:
    return {
        "id": row["id"],
        "code": row["code"],
        "customer": {"id": row["customer_id"], "name": row["customer_name"]},
        "host": {"id": row["host_id"], "name": row["host_name"]} if row["host_id"] is not None else None,
        "starts_at": row["starts_at"],
        "reason": row["reason"],
        "notes": row["notes"],
        "status": row["status"],
    }


class AppointmentBook:
    def __init__(self, store, clock, settings: dict, zone_of: Callable[[int], ZoneInfo] | None = None):
        """`zone_of(site_id)` is the site's time zone (default: the config file's `timezone`)."""
        self.store = store
        self.clock = clock
        config_zone = ZoneInfo(settings["timezone"])
        self.zone_of = zone_of or (lambda site_id: config_zone)

    def create(self, principal, body) -> dict:
        """Book an appointment at the principal's site; raises Invalid."""
        appointment, new_customer = self._prepare(principal.site_id, body, principal)
        for _ in range(5):
            try:
                return self.store.appointment(self.store.insert_appointment(appointment, new_customer))
            except self.store.IntegrityError:
                appointment["code"] = new_code()  # a rare clash of codes: draw again
        raise RuntimeError("could not draw a free appointment code")

    def day(self, principal, day: date | None = None, host_id: int | None = None) -> list[dict]:
        """The site's appointments of one local day (default: today), earliest first."""
        zone = self.zone_of(principal.site_id)
        day = day or self.clock.now().astimezone(zone).date()
        if not EARLIEST.date() <= day <= LATEST.date():
            raise Invalid(f"'date' must lie between the years {EARLIEST.year} and {LATEST.year}", "date")
        start = datetime.combine(day, time(0), zone)
        return self.store.appointments_between(
            principal.site_id, to_iso(start), to_iso(start + timedelta(days=1)), host_id
        )

    def cancel(self, principal, appointment_id: int) -> dict:
        row = self._visible(principal, appointment_id)
        if row["status"] == "scheduled":
            self.store.set_appointment_status(appointment_id, "cancelled")
        return self.store.appointment(appointment_id)

    def for_checkin(self, site_id: int, code: str | None) -> dict | None:
        """The appointment a kiosk code points to, if it is one the customer can still come for."""
        code = normalize_code(code)
        row = self.store.appointment_by_code(site_id, code) if code else None
        return row if row is not None and row["status"] in ("scheduled", "checked_in") else None

    def import_csv(self, site_id: int, text: str, actor) -> list[dict]:
        """Import every row of a CSV file, or none: raises ImportRefused listing each bad row."""
        reader = csv.DictReader(io.StringIO(text))
        missing = [column for column in ("customer_name", "starts_at") if column not in (reader.fieldnames or [])]
        if missing:
            raise ImportRefused([f"header: missing column(s) {', '.join(missing)}; expected {', '.join(CSV_COLUMNS)}"])
        hosts = {row["name"].casefold(): row["id"] for row in self.store.active_hosts(site_id)}
        prepared, problems = [], []
        for number, row in enumerate(reader, start=2):
            host_name = (row.get("host") or "").strip()
            body = {key: (row.get(key) or "").strip() or None for key in CSV_COLUMNS if key != "host"}
            try:
                if host_name and host_name.casefold() not in hosts:
                    raise Invalid(f"no active host named '{host_name}' at this site", "host")
                body["host_id"] = hosts.get(host_name.casefold())
                prepared.append(self._prepare(site_id, body, actor))
            except Invalid as error:
                problems.append(f"row {number}: {error.field or 'row'}: {error.message}")
        if problems:
            raise ImportRefused(problems)
        codes = {appointment["code"] for appointment, _ in prepared}
        if len(codes) < len(prepared):
            raise ImportRefused(["codes clashed; run the import again"])
        return [self.store.appointment(i) for i in self.store.insert_appointments(prepared)]

    def _visible(self, principal, appointment_id: int) -> dict:
        row = self.store.appointment(appointment_id) if 0 < appointment_id < 2**63 else None
        if row is None or row["site_id"] != principal.site_id:
            raise NotFound(f"no appointment {appointment_id}")
        return row

    def _prepare(self, site_id: int, body, actor) -> tuple[dict, dict | None]:
        """Validate one appointment; returns (appointment columns, new customer columns or None)."""
        if not isinstance(body, dict):
            raise Invalid("the body must be a JSON object")
        contact = {
            "name": text_field(body, "customer_name", max_length=80, required=True),
            "phone": matching_field(body, "phone", PHONE, max_length=30, what="a phone number"),
            "email": matching_field(body, "email", EMAIL, max_length=254, what="an e-mail address"),
        }
        host_id = body.get("host_id")
        if host_id is not None and (not is_id(host_id)
                                    or host_id not in {h["id"] for h in self.store.active_hosts(site_id)}):
            raise Invalid("'host_id' must be the id of an active host of this site", "host_id")
        now = to_iso(self.clock.now())
        appointment = {
            "site_id": site_id, "code": new_code(), "host_id": host_id,
            "starts_at": parse_starts_at(body.get("starts_at"), self.zone_of(site_id)),
            "reason": text_field(body, "reason", max_length=200),
            "notes": text_field(body, "notes", max_length=2000, multiline=True),
            "status": "scheduled", "created_at": now,
            "created_by_role": actor.role, "created_by_id": actor.id,
        }
        known = find_known_customer(self.store, site_id, contact, None)
        if known is not None:
            return dict(appointment, customer_id=known["id"]), None
        return appointment, customer_fields(site_id, contact, now)
