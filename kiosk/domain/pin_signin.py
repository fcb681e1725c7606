"""A host signs in at the board with their PIN: chosen from their site's team, or by name.

The board's sign-in page never lists the hosts of every site (staffboard/views.py):
only those of the browser's own site (a paired kiosk tablet's, or the site whose code it
typed). Without one, the host types their name; a name several hosts share (on different
sites) is tried for each of them.
"""

from __future__ import annotations

from kiosk.domain.auth import pin_matches
from kiosk.domain.errors import Locked, Unauthorized

MOST_NAMESAKES = 10  # hosts of one name tried with one PIN, at most (each costs a slow hash)
WRONG = "Name or PIN is not right."


def host_for_pin(store, guard, address: str | None, pin: str, *, host_id: int | None = None,
                 name: str | None = None, site_id: int | None = None) -> dict:
    """The active host with this id (or this name, on `site_id` if given) and PIN, behind the
    sign-in lockout. Raises Locked, or Unauthorized with one message whatever was wrong."""
    guard.check(None, address)
    candidates = _candidates(store, host_id, name, site_id)
    open_to_try, locked = [], None
    for host in candidates:
        try:
            guard.check(("host", host["id"]), address)
            open_to_try.append(host)
        except Locked as refusal:
            locked = refusal
    if locked is not None and not open_to_try:
        raise locked
    pin = pin if isinstance(pin, str) and len(pin) <= 40 else ""
    match = next((host for host in open_to_try if pin_matches(host["pin_hash"], pin)), None)
    if not open_to_try:
        pin_matches(None, pin)  # an unknown name or id costs the same slow hash as a known one
    if match is None:
        for host in open_to_try or [None]:
            guard.failed(host and ("host", host["id"]), address)
        raise Unauthorized(WRONG)
    guard.succeeded(("host", match["id"]), address)
    return match


def _candidates(store, host_id, name, site_id) -> list[dict]:
    if host_id is not None:
        host = store.person("host", host_id)
        return [host] if host is not None else []
    name = (name or "").strip()
    if not name or len(name) > 80:
        return []
    return store.hosts_named(name, site_id, limit=MOST_NAMESAKES)
