"""The audit log: every administrative change, with who made it and when.

A use case makes its entries with `entry` and hands them to the store method that
writes the change, so change and entry commit together. Entries are never changed
or deleted by the application; a manager sees their own site's entries
(`/admin/audit`, `GET /api/v1/audit`).
"""

from __future__ import annotations

from kiosk.clock import to_iso
from kiosk.domain.auth import Principal


def entry(clock, actor: Principal | None, action: str, *, site_id: int | None = None, subject: str | None = None,
          details: dict | None = None) -> dict:
    """One entry. `action` is a short dotted verb ("host.added", "settings.changed"); `subject`
    names what changed ("host 7 Anna"); `details` holds the values (never a PIN or token).
    Without an actor the change came from the command line or first-run setup."""
    return {
        "site_id": site_id if site_id is not None else (actor.site_id if actor else None),
        "at": to_iso(clock.now()),
        "actor_role": actor.role if actor else "system",
        "actor_id": actor.id if actor else None,
        "actor_name": actor.name if actor else None,
        "action": action,
        "subject": subject,
        "details": details or {},
    }


def entries(store, site_id: int, *, limit: int = 100, before_id: int | None = None) -> list[dict]:
    """The site's entries, newest first, as the page and the API show them."""
    return [
        {"id": row["id"], "at": row["at"], "action": row["action"], "subject": row["subject"],
         "details": row["details"],
         "actor": {"role": row["actor_role"], "id": row["actor_id"], "name": row["actor_name"]}}
        for row in store.audit_entries(site_id, limit=limit, before_id=before_id)
    ]
