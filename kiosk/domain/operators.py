"""Operators: the people who run the server for several sites. An operator creates
sites and each site's first manager, and nothing else.

An operator account is made on the command line only (`gastgeber operator add`); its
token is kept in `tokens` with role "operator" and no site. Every site-bound lookup
(kiosk, host, manager: `principal_for_token`, `principal_for_session`) joins the
token's site, so an operator's token never passes for any of them, and the
operator's own lookups here accept nothing but an operator's token.
"""

from __future__ import annotations

from zoneinfo import available_timezones

from kiosk.domain import audit
from kiosk.domain.auth import Principal, hash_token, new_token, principal_for_token
from kiosk.clock import to_iso
from kiosk.domain.people import InvalidTeamInput, add_person, clean_name, clean_site

ROLE = "operator"
SESSION_KEY = "operator_token"


class SiteInputError(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def add_operator(store, clock, name: str) -> dict:
    """A new operator; the answer carries the token, shown only once."""
    name = clean_name(name)
    token = new_token()
    operator_id = store.add_operator(name, hash_token(token), to_iso(clock.now()))
    with store.transaction():
        audit.record(store, clock, None, "operator.added", site_id=None, subject=f"operator {operator_id} {name}")
    return {"id": operator_id, "name": name, "token": token}


def _principal(row: dict | None) -> Principal | None:
    if row is None:
        return None
    return Principal(role=ROLE, id=row["id"], name=row["name"], site_id=None, site=None)


def operator_for_token(store, token: str | None) -> Principal | None:
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    return _principal(store.operator_row(hash_token(token)))


def operator_for_session(store, session) -> Principal | None:
    """The operator a browser signed in as, while their token is still valid."""
    token_hash = session.get(SESSION_KEY)
    return _principal(store.operator_row(token_hash)) if isinstance(token_hash, str) else None


def sign_in_operator(session, token: str) -> None:
    session.permanent = True
    session[SESSION_KEY] = hash_token(token)


def sign_out_operator(session) -> None:
    session.pop(SESSION_KEY, None)


def is_site_credential(store, token: str | None) -> bool:
    """Whether `token` is a kiosk, host or manager token (for a 403 rather than a 401)."""
    return principal_for_token(store, token) is not None


def sites(store) -> list[dict]:
    return [dict(row) for row in store.sites_overview()]


def create_site(store, clock, operator: Principal, raw: dict, *, timezones: bool = False) -> dict:
    """A new site and its first manager; the answer carries the manager's token, shown once.

    With `timezones` (the server keeps per-site settings), an optional `timezone` is
    stored as the new site's own time zone. Both changes go to the new site's audit log.
    """
    name = raw.get("name")
    manager_name = raw.get("manager_name")
    try:
        name = clean_site(name.strip() if isinstance(name, str) else "")
    except InvalidTeamInput as error:
        raise SiteInputError("name", str(error)) from None
    try:
        manager_name = clean_name(manager_name if isinstance(manager_name, str) else "", "manager_name")
    except InvalidTeamInput as error:
        raise SiteInputError("manager_name", str(error)) from None
    zone = raw.get("timezone") or None
    if zone is not None and (not timezones or not isinstance(zone, str) or zone not in available_timezones()):
        raise SiteInputError("timezone", "timezone must be an IANA time zone such as Europe/Berlin")
    now = to_iso(clock.now())
    site = store.create_site(name, now)
    if site is None:
        raise SiteInputError("name", f"a site named '{name}' exists already")
    if zone:
        with store.transaction():
            store.put_site_setting(site["id"], "timezone", zone, now, None, operator.name)
    manager = add_person(store, clock, "manager", manager_name, site["name"])
    details = {"timezone": zone} if zone else {}
    with store.transaction():
        audit.record(store, clock, operator, "site.created", site_id=site["id"],
                     subject=f"site {site['id']} {name}", details=details)
        audit.record(store, clock, operator, "manager.added", site_id=site["id"],
                     subject=f"manager {manager['id']} {manager_name}")
    overview = next(row for row in sites(store) if row["id"] == site["id"])
    return {"site": overview, "manager": {"id": manager["id"], "name": manager["name"], "token": manager["token"]}}
