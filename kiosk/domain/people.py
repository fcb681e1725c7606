"""Adding the people and devices of a site: hosts, kiosks, managers.

Each gets a token (shown once, stored hashed); a host also gets a PIN for the board.
"""

from __future__ import annotations

from kiosk.domain.errors import Invalid

import re

from kiosk.domain.auth import hash_pin, hash_token, new_pin, new_token
from kiosk.clock import to_iso

NAME_MAX = 80
SITE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,39}$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


def clean_name(name: str, what: str = "name") -> str:
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX or any(ord(ch) < 32 for ch in name):
        raise Invalid(f"{what} must be 1 to {NAME_MAX} printable characters", what)
    return name


def clean_site(site: str) -> str:
    if not SITE_NAME.match(site or ""):
        raise Invalid("site must be 1 to 40 letters, digits, spaces, '.', '_' or '-'", "site")
    return site


def split_list(text: str | None, what: str, pattern: re.Pattern | None = None) -> list[str]:
    items = [item.strip() for item in (text or "").split(",") if item.strip()]
    for item in items:
        if len(item) > 40 or (pattern and not pattern.match(item)):
            raise Invalid(f"'{item}' is not a valid entry for {what}", what)
    return items


def add_person(store, clock, role: str, name: str, site: str = "main", **host_fields) -> dict:
    """Add a host, kiosk or manager; the answer carries the credentials, shown only once."""
    name = clean_name(name)
    now = to_iso(clock.now())
    site_row = store.ensure_site(clean_site(site), now)
    token = new_token()
    fields = {"site_id": site_row["id"], "name": name, "created_at": now}
    answer = {"name": name, "site": site_row["name"], "token": token}
    if role == "host":
        pin = new_pin()
        fields.update(
            pin_hash=hash_pin(pin),
            languages=",".join(split_list(host_fields.get("languages"), "languages", LANGUAGE_CODE)),
            topics=",".join(split_list(host_fields.get("topics"), "topics")),
        )
        answer["pin"] = pin
    person_id = store.add_person(role, fields, hash_token(token))
    return {"id": person_id, **answer}


DEMO_HOSTS = (("Anna", "de,en", "accounts"), ("Ben", "de,tr", "loans"), ("Clara", "en,de", "insurance"))


def add_demo_site(store, clock, site: str = "main") -> dict | None:
    """Three hosts, one kiosk and one manager; None if the site already has hosts."""
    site_row = store.ensure_site(clean_site(site), to_iso(clock.now()))
    if store.active_hosts(site_row["id"]):
        return None
    hosts = [
        add_person(store, clock, "host", name, site, languages=languages, topics=topics)
        for name, languages, topics in DEMO_HOSTS
    ]
    return {
        "site": site_row["name"],
        "hosts": hosts,
        "kiosk": add_person(store, clock, "kiosk", "Entrance", site),
        "manager": add_person(store, clock, "manager", "Maria", site),
    }
