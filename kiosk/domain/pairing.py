"""Pairing a tablet with a kiosk by a short code, unpairing it, and its last contact.

A manager registers a kiosk and gets a pairing code: 8 characters from an alphabet
without look-alikes (no 0/O, 1/I/L), typed in any case, with or without the dash,
valid for CODE_VALID_SECONDS and once only, stored as a SHA-256 hash. The tablet
trades the code for a kiosk token of its own (pairing replaces the kiosk's earlier
credentials: one kiosk is one device). Unpairing revokes the kiosk's credentials and
unused codes. Every change is in the audit log, never with a code or a token.

Plain Python: a store, a clock and `publish`; realtime/publisher.py tells the tablet.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta
from typing import ClassVar

from kiosk.clock import seconds_between, to_iso
from kiosk.domain import audit
from kiosk.domain.auth import Principal, hash_token, new_token
from kiosk.domain.domain_events import SignInEnded
from kiosk.domain.errors import Invalid, NotFound, Reason, Unauthorized
from kiosk.domain.people import clean_name

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
CODE_VALID_SECONDS = 10 * 60
SILENT_AFTER_SECONDS = 5 * 60  # a paired kiosk unheard of this long is highlighted
CONTACT_EVERY_SECONDS = 60  # last contact is written at most this often per kiosk
log = logging.getLogger(__name__)


class PairingRefused(Unauthorized):
    """The code is unknown, used or expired: `reason` says which, the message says it in English."""

    MESSAGES: ClassVar[dict[str, str]] = {
        "invalid": "This pairing code is not valid. Check it, or ask a manager for a new one.",
        "used": "This pairing code has already been used. Ask a manager for a new one.",
        "expired": "This pairing code has expired. Ask a manager for a new one.",
    }

    def __init__(self, reason: str):
        super().__init__(self.MESSAGES[reason], "code")
        self.reason = reason


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text) -> str | None:
    """The code as stored (upper case, no dashes or spaces), or None if it cannot be one."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    code = "".join(ch for ch in text.upper() if ch not in " -")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def hash_code(code: str) -> str:
    return hashlib.sha256(f"kiosk-pairing:{code}".encode("ascii")).hexdigest()


def display_code(code: str) -> str:
    """ABCD-EFGH: two halves are easier to read out and type."""
    return f"{code[:4]}-{code[4:]}"


class KioskPairing:
    """Registering kiosks, pairing tablets with them by code, unpairing; plain Python with a
    store, a clock and `publish` (an unpaired or replaced tablet is told at once)."""

    def __init__(self, store, clock, publish):
        self.store = store
        self.clock = clock
        self.publish = publish

    def register(self, actor: Principal, name) -> tuple[dict, dict]:
        """A new kiosk on the manager's site, not paired yet, with its first pairing code."""
        if not isinstance(name, str):
            raise Invalid("name must be text", "name")
        try:
            name = clean_name(name)
        except Invalid as error:
            raise Invalid(error.message, "name") from None
        code, row = self._new_code(actor)
        kiosk_id = self.store.register_kiosk(
            {"site_id": actor.site_id, "name": name, "created_at": row["created_at"]}, row,
            audit=lambda kiosk_id: [
                audit.entry(self.clock, actor, "kiosk.added",
                            subject=f"kiosk {kiosk_id} {name}", details={"name": name}),
                self._code_entry(actor, kiosk_id, name, row)])
        return self._view(self.store.kiosk_of_site(actor.site_id, kiosk_id)), code

    def new_code(self, actor: Principal, kiosk_id: int) -> tuple[dict, dict]:
        """A fresh code for the kiosk; its earlier unused codes stop working."""
        kiosk = self._kiosk(actor, kiosk_id)
        code, row = self._new_code(actor)
        self.store.issue_pairing_code(kiosk_id, row, audit=[self._code_entry(actor, kiosk_id, kiosk["name"], row)])
        return self._view(self.store.kiosk_of_site(actor.site_id, kiosk_id)), code

    def _new_code(self, actor) -> tuple[dict, dict]:
        """(the code as shown once, its stored row without the kiosk's id)."""
        now = self.clock.now()
        code = new_code()
        expires_at = to_iso(now + timedelta(seconds=CODE_VALID_SECONDS))
        row = {"site_id": actor.site_id, "code_hash": hash_code(code), "created_at": to_iso(now),
               "expires_at": expires_at}
        return {"code": display_code(code), "expires_at": expires_at}, row

    def _code_entry(self, actor, kiosk_id: int, name: str, row: dict) -> dict:
        return audit.entry(self.clock, actor, "kiosk.pairing_code_issued", subject=f"kiosk {kiosk_id} {name}",
                           details={"expires_at": row["expires_at"]})

    def pair(self, typed_code) -> tuple[Principal, str, int]:
        """Trade a pairing code for a new kiosk token. The kiosk's earlier credentials are revoked:
        the answer says how many (a replaced tablet is told at once)."""
        code = normalise_code(typed_code)
        row = self.store.pairing_code(hash_code(code)) if code else None
        now = to_iso(self.clock.now())
        if row is None or row["cancelled_at"]:
            raise PairingRefused("invalid")
        if row["used_at"]:
            raise PairingRefused("used")
        if row["expires_at"] <= now:
            raise PairingRefused("expired")
        kiosk = self.store.kiosk_of_site(row["site_id"], row["kiosk_id"])
        principal = Principal("kiosk", kiosk["id"], kiosk["name"], kiosk["site_id"], kiosk["site"])
        token = new_token()
        replaced = self.store.pair_kiosk(row["id"], kiosk["id"], kiosk["site_id"], hash_token(token), now,
                                         audit=lambda replaced: [audit.entry(
                                             self.clock, principal, "kiosk.paired",
                                             subject=f"kiosk {kiosk['id']} {kiosk['name']}",
                                             details={"credentials_replaced": replaced})])
        if replaced is None:
            raise PairingRefused("used")
        if replaced:
            self.publish(SignInEnded("kiosk", principal.id))  # the tablet this one replaces
        return principal, token, replaced

    def unpair(self, actor: Principal, kiosk_id: int) -> dict:
        """Revoke every credential and unused code of the kiosk; its tablet is told at once."""
        row = self._kiosk(actor, kiosk_id)
        self.store.unpair_kiosk(kiosk_id, to_iso(self.clock.now()), audit=lambda revoked, cancelled: [audit.entry(
            self.clock, actor, "kiosk.unpaired", subject=f"kiosk {kiosk_id} {row['name']}",
            details={"credentials_revoked": revoked, "codes_cancelled": cancelled})])
        self.publish(SignInEnded("kiosk", kiosk_id))
        return self._view(self.store.kiosk_of_site(actor.site_id, kiosk_id))

    def kiosks(self, site_id: int) -> list[dict]:
        return [self._view(row) for row in self.store.kiosks_of_site(site_id)]

    def kiosk(self, actor: Principal, kiosk_id: int) -> dict:
        return self._view(self._kiosk(actor, kiosk_id))

    def _view(self, row: dict) -> dict:
        """A kiosk as managers see it: paired or not, last contact, silent, an open pairing code."""
        now = to_iso(self.clock.now())
        paired = row["paired_at"] is not None
        last = row["last_contact_at"]
        heard = max(last or "", row["paired_at"] or "")  # a kiosk just paired has not had the time to talk yet
        silent = paired and seconds_between(heard, now) > SILENT_AFTER_SECONDS
        code_open = row["code_expires_at"] if row["code_expires_at"] and row["code_expires_at"] > now else None
        return {"id": row["id"], "name": row["name"], "site": row["site"], "created_at": row["created_at"],
                "paired": paired, "paired_at": row["paired_at"], "last_contact_at": last, "silent": silent,
                "pairing_code_expires_at": code_open}

    def _kiosk(self, actor: Principal, kiosk_id) -> dict:
        row = self.store.kiosk_of_site(actor.site_id, kiosk_id) if isinstance(kiosk_id, int) else None
        if row is None:
            raise NotFound(Reason("kiosk_missing", f"no kiosk {kiosk_id}"))
        return row


class ContactRecorder:
    """Each kiosk's last contact (API calls, Socket.IO connect and heartbeat), written at most
    once every CONTACT_EVERY_SECONDS per kiosk, so a check-in never waits for it."""

    def __init__(self, store, clock):
        self.store = store
        self.clock = clock
        self._written = {}  # kiosk id -> the time last written by this process

    def seen(self, kiosk_id: int) -> None:
        now = self.clock.now()
        last = self._written.get(kiosk_id)
        if last is not None and (now - last).total_seconds() < CONTACT_EVERY_SECONDS:
            return
        self._written[kiosk_id] = now
        if not self.store.touch_kiosk(kiosk_id, to_iso(now)):  # bookkeeping: a busy database fails no request
            log.warning("could not note the last contact of kiosk %s", kiosk_id)
            self._written.pop(kiosk_id, None)

    def forget(self, kiosk_id: int) -> None:
        self._written.pop(kiosk_id, None)

