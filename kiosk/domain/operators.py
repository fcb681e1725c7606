"""Operators: the people who run the server for several sites. An operator creates
sites and each site's first manager, and nothing else.

An operator account is made on the command line only (`gastgeber operator add`); its
token is kept in `tokens` with role "operator" and no site (auth.py tells it apart:
every site-bound lookup joins the token's site), so an operator's token never
passes for a kiosk, host or manager, and a site's never for an operator.
"""

from __future__ import annotations

from zoneinfo import available_timezones

from kiosk.clock import to_iso
from kiosk.domain import audit
from kiosk.domain.auth import Principal, hash_token, new_token
from kiosk.domain.errors import Invalid, Reason
from kiosk.domain.people import clean_name, clean_site


def add_operator(store, clock, name: str) -> dict:
    """A new operator; the answer carries the token, shown only once."""
    name = clean_name(name)
    token = new_token()
    operator_id = store.add_operator(name, hash_token(token), to_iso(clock.now()), audit=lambda operator_id: [
        audit.entry(clock, None, "operator.added", subject=f"operator {operator_id} {name}")])
    return {"id": operator_id, "name": name, "token": token}


def sites(store) -> list[dict]:
    return [dict(row) for row in store.sites_overview()]


def create_site(store, clock, operator: Principal, raw: dict) -> dict:
    """A new site and its first manager; the answer carries the manager's token, shown once.

    An optional `timezone` is stored as the new site's own time zone. Both changes go to
    the new site's audit log.
    """
    name = raw.get("name")
    manager_name = raw.get("manager_name")
    try:
        name = clean_site(name if isinstance(name, str) else "")
    except Invalid as error:
        raise Invalid(error.message, "name") from None
    try:
        manager_name = clean_name(manager_name if isinstance(manager_name, str) else "", "manager_name")
    except Invalid as error:
        raise Invalid(error.message, "manager_name") from None
    zone = raw.get("timezone")
    zone = None if zone == "" else zone
    if zone is not None and (not isinstance(zone, str) or zone not in available_timezones()):
        raise Invalid(Reason("time_zone", "timezone must be an IANA time zone such as Europe/Berlin"), "timezone")
    now = to_iso(clock.now())
    token = new_token()
    details = {"timezone": zone} if zone else {}

    def entries(site_id: int, manager_id: int) -> list[dict]:
        return [audit.entry(clock, operator, "site.created", site_id=site_id, subject=f"site {site_id} {name}",
                            details=details),
                audit.entry(clock, operator, "manager.added", site_id=site_id,
                            subject=f"manager {manager_id} {manager_name}")]

    made = store.create_site(name, now, {"timezone": zone} if zone else {}, operator.name,
                             {"name": manager_name, "created_at": now}, hash_token(token), audit=entries)
    if made is None:
        raise Invalid(Reason("site_taken", f"a site named '{name}' exists already", name=name), "name")
    site_id, manager_id = made
    overview = next(row for row in sites(store) if row["id"] == site_id)
    return {"site": overview, "manager": {"id": manager_id, "name": manager_name, "token": token}}
