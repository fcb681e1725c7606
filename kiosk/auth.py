"""Credentials: tokens for devices and API clients, PINs for people at a browser.

Tokens are long random strings, stored as SHA-256 (they carry enough entropy that
a fast hash is safe and lookups stay O(1)). PINs are short, so they are stored
with a slow, salted hash (werkzeug's scrypt).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from werkzeug.security import check_password_hash, generate_password_hash

ROLES = ("kiosk", "host", "manager")
PIN_DIGITS = 6


@dataclass(frozen=True)
class Principal:
    """Who is asking: a kiosk device, a host or a manager of one site."""

    role: str
    id: int
    name: str
    site_id: int
    site: str

    def sees(self, visit: dict) -> bool:
        """Whether this principal may read `visit`: same site, and a kiosk only its own."""
        if visit["site_id"] != self.site_id:
            return False
        return self.role != "kiosk" or visit["kiosk_id"] == self.id


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_pin() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(PIN_DIGITS))


def hash_pin(pin: str) -> str:
    return generate_password_hash(pin)


def pin_matches(pin_hash: str | None, pin: str) -> bool:
    return bool(pin_hash) and check_password_hash(pin_hash, pin)


def principal_for_token(store, token: str | None) -> Principal | None:
    if not token or len(token) > 200:
        return None
    row = store.principal_row(hash_token(token))
    if row is None or row["name"] is None:
        return None
    return Principal(role=row["role"], id=row["id"], name=row["name"], site_id=row["site_id"], site=row["site"])


def principal_for_person(store, role: str, person_id) -> Principal | None:
    """The principal behind a browser session's stored id, if that person still exists."""
    if not isinstance(person_id, int):
        return None
    row = store.person(role, person_id)
    if row is None:
        return None
    return Principal(role=role, id=row["id"], name=row["name"], site_id=row["site_id"], site=row["site"])
