"""Running a site's team: add, edit, reset a PIN, deactivate and reactivate hosts, and
move a host's customers to a colleague. The team page, its API and the CLI share it.

Plain Python: a store, a clock, the presence tracker, the webhooks' outbox and a
`publish` callable. Every change is one transaction with its audit entry — never
with a PIN or token. New PINs are
returned once to the caller and stored only as hashes.
"""

from __future__ import annotations

from kiosk.clock import to_iso
from kiosk.domain import audit
from kiosk.domain.assignment import assign_host
from kiosk.domain.auth import Principal, hash_pin, new_pin
from kiosk.domain.domain_events import SignInEnded, VisitArrived, VisitUpdated
from kiosk.domain.errors import Conflict, Invalid, NotFound
from kiosk.domain.frontdesk import visit_context
from kiosk.domain.inputs import is_id
from kiosk.domain.lockout import SignInGuard
from kiosk.domain.people import (
    LANGUAGE_CODE,
    LANGUAGES_TEXT,
    LIST_MAX_ITEMS,
    LIST_TEXT_MAX,
    TOPIC,
    TOPICS_TEXT,
    add_person,
    clean_name,
    language_list,
    topic_list,
)
from kiosk.domain.presence import candidates

# Initials colours: each a CSS class `initials-<name>` with white text at WCAG AA contrast.
COLOURS = ("teal", "blue", "violet", "rose", "amber", "slate", "green")
DEFAULT_COLOUR = "teal"
EDITABLE = ("name", "languages", "topics", "colour")


def clean_fields(raw: dict, *, partial: bool = False) -> dict:
    """The host fields of a form or JSON body, checked; lists may be given as lists or
    comma-separated text. With `partial`, only the fields present are checked."""
    fields = {}
    for field in EDITABLE:
        if field not in raw or raw[field] is None:
            if not partial and field == "name":
                raise Invalid("name is required", "name")
            continue
        text = _field_text(field, raw[field])
        try:
            fields[field] = _clean_field(field, text)
        except Invalid as error:
            raise Invalid(error.message, field, code=error.code, values=error.values) from None
    return fields


# A list field's entries as a JSON array, and its comma-separated text form (docs/openapi.json: HostRequest).
LIST_ENTRY = {"languages": LANGUAGE_CODE, "topics": TOPIC}
LIST_TEXT = {"languages": LANGUAGES_TEXT, "topics": TOPICS_TEXT}


def _field_text(field: str, value) -> str:
    """A field's value as text: the words of `languages` and `topics` may come as a list."""
    if field in LIST_ENTRY:
        if isinstance(value, list) and len(value) <= LIST_MAX_ITEMS and all(
                isinstance(item, str) and LIST_ENTRY[field].fullmatch(item) for item in value):
            return ",".join(value)
        if not isinstance(value, str) or len(value) > LIST_TEXT_MAX or not LIST_TEXT[field].fullmatch(value):
            raise Invalid(f"{field} must be a list of short words (or comma-separated text)", field,
                          code="topics_rule" if field == "topics" else "languages_rule")
    elif not isinstance(value, str):
        raise Invalid(f"{field} must be text", field)
    return value


def _clean_field(field: str, value: str) -> str:
    """One field's text, checked and in the form it is stored in."""
    if field == "name":
        return clean_name(value)
    if field == "languages":
        return ",".join(language_list(value))
    if field == "topics":
        return ",".join(topic_list(value))
    if value not in COLOURS:
        raise Invalid(f"colour must be one of {', '.join(COLOURS)}", "colour", code="colour_rule")
    return value


def initials(name: str) -> str:
    parts = [part for part in name.replace("-", " ").split() if part[:1].isalpha()]
    letters = "".join(part[0] for part in (parts[:1] + parts[1:][-1:])) or name[:1]
    return letters.upper()


def public_host(row: dict, status: str | None = None, signed_in: bool = False) -> dict:
    """A host as the team page and the API show them (no PIN, no token)."""
    return {
        "id": row["id"], "name": row["name"], "initials": initials(row["name"]),
        "languages": [item for item in (row["languages"] or "").split(",") if item],
        "topics": [item for item in (row["topics"] or "").split(",") if item],
        "colour": row["colour"] or DEFAULT_COLOUR, "active": bool(row["active"]),
        "status": status if row["active"] else None, "signed_in": bool(row["active"]) and signed_in,
        "customers": row["customers"], "created_at": row["created_at"],
    }


class Team:
    def __init__(self, store, clock, presence, outbox, publish, settings: dict, guard: SignInGuard):
        """`outbox` says which webhook deliveries a moved visit owes (webhooks/outbox.py);
        `guard` counts wrong PINs (lockout.py)."""
        self.guard = guard
        self.store = store
        self.clock = clock
        self.presence = presence
        self.outbox = outbox
        self.publish = publish
        self.settings = settings

    # reading

    def hosts(self, site_id: int) -> list[dict]:
        present = {c.id: c for c in candidates(self.store, self.presence, site_id)}
        return [self._public(row, present) for row in self.store.hosts_of_site(site_id)]

    def host(self, site_id: int, host_id: int) -> dict:
        return self._public(self._row(site_id, host_id), {c.id: c for c in
                                                          candidates(self.store, self.presence, site_id)})

    def _row(self, site_id: int, host_id) -> dict:
        row = self.store.host_of_site(site_id, host_id) if is_id(host_id) else None
        if row is None:
            raise NotFound(f"no host {host_id} on this site")
        return row

    @staticmethod
    def _public(row: dict, present: dict) -> dict:
        member = present.get(row["id"])
        return public_host(row, member.status if member else "away", bool(member and member.signed_in))

    # changing: each in one transaction, with its audit entry

    def add(self, manager: Principal, raw: dict) -> tuple[dict, str]:
        """Add a host to the manager's site; returns (host, PIN shown once)."""
        fields = clean_fields(raw)
        answer = add_person(self.store, self.clock, "host", fields["name"], manager.site,
                            fields={"colour": fields.get("colour", DEFAULT_COLOUR)},
                            audit=lambda host_id: [self._entry(manager, "host.added", host_id, fields["name"], fields)],
                            languages=fields.get("languages", ""), topics=fields.get("topics", ""))
        return self.host(manager.site_id, answer["id"]), answer["pin"]

    def edit(self, manager: Principal, host_id, raw: dict) -> dict:
        row = self._row(manager.site_id, host_id)
        fields = clean_fields(raw, partial=True)
        changes = {key: value for key, value in fields.items() if (row[key] or "") != value}
        if changes:
            self.store.update_host(row["id"], changes, audit=[self._entry(
                manager, "host.changed", row["id"], changes.get("name", row["name"]),
                {key: {"from": row[key] or "", "to": value} for key, value in changes.items()})])
        return self.host(manager.site_id, row["id"])

    def reset_pin(self, manager: Principal, host_id) -> tuple[dict, str]:
        """A new PIN (shown once); every browser signed in with the old one is signed out."""
        row = self._row(manager.site_id, host_id)
        if not row["active"]:
            raise Conflict("activate the host first; that gives them a new PIN", code="activate_first")
        pin = new_pin()
        self.store.set_host_pin(row["id"], hash_pin(pin), to_iso(self.clock.now()),
                                audit=[self._entry(manager, "host.pin_reset", row["id"], row["name"], {})])
        self.publish(SignInEnded("host", row["id"]))
        return self.host(manager.site_id, row["id"]), pin

    def sign_in_locked(self, site_id: int, host_id) -> bool:
        """Whether so many wrong PINs came for this host, from anywhere, that their sign-in is locked."""
        return self.guard.locked_everywhere(("host", self._row(site_id, host_id)["id"]))

    def unlock_sign_in(self, manager: Principal | None, host_id, site_id: int | None = None) -> dict:
        """Forget the wrong PINs counted for this host, from every address: their sign-in is open again."""
        row = self._row(site_id if site_id is not None else manager.site_id, host_id)
        self.guard.unlock(("host", row["id"]), audit=[self._entry(manager, "host.sign_in_unlocked", row["id"],
                                                                 row["name"], {}, site_id=row["site_id"])])
        return self.host(row["site_id"], row["id"])

    def deactivate(self, manager: Principal | None, host_id, site_id: int | None = None) -> tuple[dict, list[int]]:
        """The host leaves: history stays, their sign-ins stop working, and their open
        visits go to whoever the assignment policy picks now. Returns (host, moved visit ids)."""
        row = self._row(site_id if site_id is not None else manager.site_id, host_id)
        moved = self.store.deactivate_host(
            row["id"], to_iso(self.clock.now()), self._new_hosts_of_open_visits(row),
            audit=lambda moved: [self._entry(manager, "host.deactivated", row["id"], row["name"],
                                             {"visits_moved": len(moved)}, site_id=row["site_id"])],
            owed=lambda visit: self.outbox.deliveries_for(self._moved_events(visit)))
        if moved is None:
            return self.host(row["site_id"], row["id"]), []
        self.publish(SignInEnded("host", row["id"]))
        for visit in moved:
            context = visit_context(self.store, visit)
            for event in self._moved_events(visit, context):
                self.publish(event)
        return self.host(row["site_id"], row["id"]), [visit["id"] for visit in moved]

    def activate(self, manager: Principal, host_id) -> tuple[dict, str | None]:
        """The host is back, with a new PIN (shown once); their old tokens stay revoked."""
        row = self._row(manager.site_id, host_id)
        if row["active"]:
            return self.host(manager.site_id, row["id"]), None
        pin = new_pin()
        self.store.activate_host(row["id"], hash_pin(pin), to_iso(self.clock.now()),
                                 audit=[self._entry(manager, "host.activated", row["id"], row["name"], {})])
        return self.host(manager.site_id, row["id"]), pin

    def move_customers(self, manager: Principal, host_id, to_host_id) -> tuple[dict, int]:
        """Make `to_host_id` the own host of every customer of `host_id` (each change logged)."""
        row = self._row(manager.site_id, host_id)
        target = self.store.host_of_site(manager.site_id, to_host_id) if is_id(to_host_id) else None
        if target is None or not target["active"] or target["id"] == row["id"]:
            raise Invalid("choose another active host of this site", "to_host_id", code="move_target")
        customer_ids = self.store.move_customers(
            row["id"], target["id"], manager.role, manager.id, to_iso(self.clock.now()),
            audit=lambda customer_ids: [self._entry(manager, "host.customers_moved", row["id"], row["name"], {
                "to_host_id": target["id"], "to": target["name"], "customers": len(customer_ids)})])
        for customer_id in customer_ids:
            open_visit = self.store.open_visit_of_customer(customer_id)
            if open_visit is not None:
                self.publish(VisitUpdated(open_visit, staff_only=True))
        return {"id": target["id"], "name": target["name"]}, len(customer_ids)

    def _new_hosts_of_open_visits(self, row: dict) -> list[tuple[int, int | None, str]]:
        """(visit id, new host id, reason) for each open visit of a host who leaves."""
        colleagues = [host for host in candidates(self.store, self.presence, row["site_id"]) if host.id != row["id"]]
        moves = []
        for visit in self.store.open_visits_of_host(row["id"]):
            customer = self.store.customer(visit["customer_id"])
            assignment = assign_host(
                colleagues, dedicated_host_id=customer["host_id"] if customer else None,
                language=visit["language"], topic=visit["topic"], order=tuple(self.settings["assignment_order"]),
            )
            moves.append((visit["id"], assignment.host_id, assignment.reason))
        return moves

    @staticmethod
    def _moved_events(visit: dict, context: dict | None = None) -> list:
        """A visit that went to a colleague: their alert if it still waits, and the team's update."""
        events = [VisitArrived(visit, context or {})] if visit["status"] == "waiting" and visit["host_id"] else []
        return [*events, VisitUpdated(visit, staff_only=True)]

    def _entry(self, actor, action: str, host_id: int, name: str, details: dict, site_id: int | None = None):
        return audit.entry(self.clock, actor, action, site_id=site_id, subject=f"host {host_id} {name}",
                           details=details)
