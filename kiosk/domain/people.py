"""Adding the people and devices of a site: hosts, kiosks, managers.

Each gets a token (shown once, stored hashed); a host also gets a PIN for the board.
"""

from __future__ import annotations

import re

from kiosk.clock import to_iso
from kiosk.domain import audit
from kiosk.domain.auth import hash_pin, hash_token, new_pin, new_token
from kiosk.domain.errors import Invalid, Reason
from kiosk.domain.inputs import check_text

NAME_MAX = 80
SITE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,39}$")
LANGUAGE_CODE = re.compile(r"^[A-Za-z]{2,3}$")  # stored in lower case
TOPIC_MAX = 40
LIST_MAX_ITEMS = 20  # of a list sent as a JSON array
LIST_TEXT_MAX = 400  # of a list sent as comma-separated text
# The comma-separated forms as docs/openapi.json states them: parts trimmed of spaces, empty parts skipped.
LANGUAGES_TEXT = re.compile(r"^ *(?:[A-Za-z]{2,3})? *(?:, *(?:[A-Za-z]{2,3})? *)*$")
TOPICS_TEXT = re.compile(r"^[^,]{0,40}(?:,[^,]{0,40})*$")
TOPIC = re.compile(r"^[^,]{0,40}$")


def clean_name(name: str, what: str = "name") -> str:
    """A person's name by the API's text rule (inputs.FILLED_TEXT, at most NAME_MAX characters as sent), trimmed."""
    refused = Invalid(Reason("name_length", f"{what} must be 1 to {NAME_MAX} printable characters", most=NAME_MAX),
                      what)
    if not isinstance(name, str):
        raise refused
    try:
        check_text(name, what, max_length=NAME_MAX)
    except Invalid:
        raise refused from None
    if not name.strip():
        raise refused
    return name.strip()


def clean_site(site: str) -> str:
    if not SITE_NAME.match(site or ""):
        raise Invalid(Reason("site_name", "site must be 1 to 40 letters, digits, spaces, '.', '_' or '-'"), "site")
    return site


def split_list(text: str | None, what: str, pattern: re.Pattern | None = None,
               max_length: int | None = None) -> list[str]:
    """Comma-separated entries, each part trimmed of spaces; empty parts are skipped."""
    items = []
    for part in (text or "").split(","):
        item = part.strip(" ")
        if (max_length is not None and len(part) > max_length) or (item and pattern and not pattern.fullmatch(item)):
            raise Invalid(f"'{item}' is not a valid entry for {what}", what,
                          code="topics_entry" if what == "topics" else "languages_entry", values={"item": item})
        if item:
            items.append(item)
    return items


def language_list(text: str | None) -> list[str]:
    return [code.lower() for code in split_list(text, "languages", LANGUAGE_CODE)]


def topic_list(text: str | None) -> list[str]:
    return split_list(text, "topics", max_length=TOPIC_MAX)


def add_person(store, clock, role: str, name: str, site: str = "main", *, fields: dict | None = None,
               audit=None, with_token: bool = True, **host_fields) -> dict:
    """Add a host, kiosk or manager in one transaction; the answer carries the credentials,
    shown only once. `fields` are more columns (a colour, a manager's PIN hash); `audit(id)`
    gives the entries that record the addition; a kiosk to be paired gets no token."""
    name = clean_name(name)
    now = to_iso(clock.now())
    token = new_token() if with_token else None
    columns = {"name": name, "created_at": now, **(fields or {})}
    pin = new_pin() if role in ("host", "manager") else None  # a manager signs in at /admin/login with it
    if pin:
        columns["pin_hash"] = hash_pin(pin)
    if role == "host":
        columns.update(
            languages=",".join(language_list(host_fields.get("languages"))),
            topics=",".join(topic_list(host_fields.get("topics"))),
        )
    person_id, site_row = store.add_person(role, clean_site(site), columns, token and hash_token(token),
                                           audit=audit or (lambda person_id: []))
    answer = {"id": person_id, "name": name, "site": site_row["name"], "token": token}
    return answer | {"pin": pin} if pin else answer


DEMO_HOSTS = (("Anna", "de,en", "accounts"), ("Ben", "de,tr", "loans"), ("Clara", "en,de", "insurance"))
DEMO_KIOSK, DEMO_MANAGER = "Entrance", "Maria"


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
        "kiosk": add_person(store, clock, "kiosk", DEMO_KIOSK, site),
        "manager": add_person(store, clock, "manager", DEMO_MANAGER, site),
    }


def renew_demo_credentials(store, clock, site: str = "main") -> dict | None:
    """New credentials for the demo site's people, shown once, as `add_demo_site` gave them: a
    new PIN (the old one stops working) and a new token for each demo host and the demo
    manager, a new token for the demo kiosk. None if the site has none of them."""
    site_row = store.site_by_name(clean_site(site))
    if site_row is None:
        return None
    now, site_id = to_iso(clock.now()), site_row["id"]
    demo_names = {name for name, _languages, _topics in DEMO_HOSTS}
    hosts = [row for row in store.active_hosts(site_id) if row["name"] in demo_names]
    kiosks = [row for row in store.kiosks_of_site(site_id) if row["name"] == DEMO_KIOSK][:1]
    managers = [row for row in store.managers_of_site(site_id) if row["name"] == DEMO_MANAGER][:1]
    if not (hosts or kiosks or managers):
        return None

    def renewed(role: str, row: dict, with_pin: bool) -> dict:
        answer = {"id": row["id"], "name": row["name"], "site": site_row["name"], "token": new_token()}
        store.add_token(role, row["id"], site_id, hash_token(answer["token"]), now)
        if with_pin:
            answer["pin"] = new_pin()
            entry = [audit.entry(clock, None, f"{role}.pin_reset", site_id=site_id,
                                 subject=f"{role} {row['id']} {row['name']}")]
            setter = store.set_host_pin if role == "host" else store.set_manager_pin
            setter(row["id"], hash_pin(answer["pin"]), now, audit=entry)
        return answer

    return {"site": site_row["name"], "hosts": [renewed("host", row, True) for row in hosts],
            "kiosk": renewed("kiosk", kiosks[0], False) if kiosks else None,
            "manager": renewed("manager", managers[0], True) if managers else None}

