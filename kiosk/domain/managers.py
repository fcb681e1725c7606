"""A site's managers, run from the browser (the team page, /api/v1/managers) as the CLI
adds them (`gastgeber manager add`): add a manager with a PIN and a token, each shown
once; give a manager a new PIN; end a manager's access (their tokens are revoked and
their PIN removed, so every browser they signed in is signed out). History stays, and
a manager never ends their own access — a site is never left without a way in.
"""

from __future__ import annotations

from kiosk.domain import audit
from kiosk.domain.auth import Principal, hash_pin, new_pin
from kiosk.clock import to_iso
from kiosk.domain.errors import Conflict, Invalid, NotFound
from kiosk.domain.people import add_person


def public_manager(row: dict) -> dict:
    return {"id": row["id"], "name": row["name"], "created_at": row["created_at"],
            "has_access": bool(row["has_pin"] or row["has_token"])}


def managers_of(store, site_id: int) -> list[dict]:
    return [public_manager(row) for row in store.managers_of_site(site_id)]


def _manager(store, site_id: int, manager_id) -> dict:
    row = store.manager_of_site(site_id, manager_id) if isinstance(manager_id, int) else None
    if row is None:
        raise NotFound(f"no manager {manager_id} on this site")
    return row


def add_manager(store, clock, actor: Principal, name) -> tuple[dict, str, str]:
    """A new manager of the actor's site; returns (manager, PIN, token), shown once."""
    if not isinstance(name, str):
        raise Invalid("Enter the manager's name", "name")
    try:
        made = add_person(store, clock, "manager", name, actor.site)
    except Invalid as problem:
        raise Invalid(problem.message, "name") from None
    pin = new_pin()
    with store.transaction():
        store.set_manager_pin(made["id"], hash_pin(pin))
    audit.record(store, clock, actor, "manager.added", subject=f"manager {made['id']} {made['name']}")
    return public_manager(_manager(store, actor.site_id, made["id"])), pin, made["token"]


def new_manager_pin(store, clock, actor: Principal, manager_id) -> tuple[dict, str]:
    """A new PIN (shown once); browsers signed in with the old one are signed out."""
    row = _manager(store, actor.site_id, manager_id)
    pin = new_pin()
    with store.transaction():
        store.set_manager_pin(row["id"], hash_pin(pin))
    audit.record(store, clock, actor, "manager.pin_reset", subject=f"manager {row['id']} {row['name']}")
    return public_manager(_manager(store, actor.site_id, row["id"])), pin


def end_access(store, clock, actor: Principal, manager_id) -> dict:
    """Revoke the manager's tokens and remove their PIN; not for one's own access."""
    row = _manager(store, actor.site_id, manager_id)
    if actor.role == "manager" and row["id"] == actor.id:
        raise Conflict("You cannot end your own access; another manager can.")
    store.revoke_tokens("manager", row["id"], to_iso(clock.now()))
    with store.transaction():
        store.clear_manager_pin(row["id"])
    audit.record(store, clock, actor, "manager.access_ended", subject=f"manager {row['id']} {row['name']}")
    return public_manager(_manager(store, actor.site_id, row["id"]))
