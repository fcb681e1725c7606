"""Credentials: tokens for devices and API clients, PINs for people at a browser.

Tokens are long random strings, stored as SHA-256 (they carry enough entropy that
a fast hash is safe and lookups stay O(1)). PINs are short, so they are stored
with a slow, salted hash (werkzeug's scrypt).
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass

from werkzeug.security import check_password_hash, generate_password_hash

ROLES = ("kiosk", "host", "manager")  # the people and devices of one site
OPERATOR = "operator"  # runs the server for several sites; belongs to none
PIN_DIGITS = 6


@dataclass(frozen=True)
class Principal:
    """Who is asking: a kiosk device, a host or a manager of one site."""

    role: str
    id: int
    name: str
    site_id: int | None  # None for an operator
    site: str | None

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
    """Whether `pin` is the PIN of `pin_hash`. Without a hash (an unknown name, a PIN removed)
    the same slow hash is computed all the same, so the time of a refusal tells no one
    whether the name exists."""
    if not pin_hash:
        check_password_hash(_nobodys_pin_hash(), pin or "")
        return False
    return check_password_hash(pin_hash, pin)


@functools.lru_cache(maxsize=1)
def _nobodys_pin_hash() -> str:
    return generate_password_hash(secrets.token_hex(8))


def principal_for_token(store, token: str | None) -> Principal | None:
    """Whoever holds this live token: a kiosk, host or manager of a site, or an operator."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    token_hash = hash_token(token)
    row = store.principal_row(token_hash)
    if row is not None and row["name"] is not None:
        return Principal(role=row["role"], id=row["id"], name=row["name"], site_id=row["site_id"], site=row["site"])
    return _operator(store.operator_row(token_hash))


def _operator(row: dict | None) -> Principal | None:
    return Principal(role=OPERATOR, id=row["id"], name=row["name"], site_id=None, site=None) if row else None


def pin_key(pin_hash: str | None) -> str:
    """A digest of a PIN hash: what a browser sign-in with that PIN rests on (domain/sessions.py),
    so a new PIN ends it."""
    return hashlib.sha256((pin_hash or "").encode("utf-8")).hexdigest()[:32]
