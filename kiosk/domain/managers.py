"""A site's managers, run from the browser (the team page, /api/v1/managers) as the CLI
adds them (`gastgeber manager add`): add a manager with a PIN and a token, each shown
once; give a manager a new PIN; end a manager's access (their tokens are revoked and
their PIN removed, so every browser and live board they signed in is signed out).
History stays, and a manager never ends their own access — a site is never left
without a way in. Each change is one transaction with its audit entry.
"""

from __future__ import annotations

from kiosk.clock import to_iso
from kiosk.domain import audit
from kiosk.domain.auth import Principal, hash_pin, new_pin
from kiosk.domain.domain_events import SignInEnded
from kiosk.domain.errors import Conflict, Invalid, NotFound
from kiosk.domain.people import add_person


def public_manager(row: dict) -> dict:
    return {"id": row["id"], "name": row["name"], "created_at": row["created_at"],
            "has_access": bool(row["has_pin"] or row["has_token"])}


class Managers:
    def __init__(self, store, clock, publish):
        self.store = store
        self.clock = clock
        self.publish = publish

    def of_site(self, site_id: int) -> list[dict]:
        return [public_manager(row) for row in self.store.managers_of_site(site_id)]

    def add(self, actor: Principal, name) -> tuple[dict, str, str]:
        """A new manager of the actor's site; returns (manager, PIN, token), shown once."""
        if not isinstance(name, str):
            raise Invalid("Enter the manager's name", "name")
        try:
            made = add_person(self.store, self.clock, "manager", name, actor.site,
                              audit=lambda manager_id: [self._entry(actor, "manager.added", manager_id, name.strip())])
        except Invalid as problem:
            raise Invalid(problem.message, "name", code=problem.code, values=problem.values) from None
        return public_manager(self._manager(actor.site_id, made["id"])), made["pin"], made["token"]

    def new_pin(self, actor: Principal, manager_id) -> tuple[dict, str]:
        """A new PIN (shown once); browsers signed in with the old one are signed out."""
        row = self._manager(actor.site_id, manager_id)
        pin = new_pin()
        self.store.set_manager_pin(row["id"], hash_pin(pin), to_iso(self.clock.now()),
                                   audit=[self._entry(actor, "manager.pin_reset", row["id"], row["name"])])
        return public_manager(self._manager(actor.site_id, row["id"])), pin

    def end_access(self, actor: Principal, manager_id) -> dict:
        """Revoke the manager's tokens and remove their PIN; not for one's own access."""
        row = self._manager(actor.site_id, manager_id)
        if actor.role == "manager" and row["id"] == actor.id:
            raise Conflict("You cannot end your own access; another manager can.", code="own_access")
        self.store.end_manager_access(row["id"], to_iso(self.clock.now()),
                                      audit=[self._entry(actor, "manager.access_ended", row["id"], row["name"])])
        self.publish(SignInEnded("manager", row["id"]))
        return public_manager(self._manager(actor.site_id, row["id"]))

    def _manager(self, site_id: int, manager_id) -> dict:
        row = self.store.manager_of_site(site_id, manager_id) if isinstance(manager_id, int) else None
        if row is None:
            raise NotFound(f"no manager {manager_id} on this site")
        return row

    def _entry(self, actor, action: str, manager_id: int, name: str) -> dict:
        return audit.entry(self.clock, actor, action, subject=f"manager {manager_id} {name}")
