"""Names unique per site (migration 0023): hosts among the active ones, kiosks and managers
among all. The store writes each name's folded key beside it, and a unique index refuses a
second one; the refusal is the domain's Conflict on the field `name`."""

from __future__ import annotations

import sqlite3
import unicodedata
from contextlib import contextmanager

from kiosk.domain.errors import Conflict, Reason

ROLE_OF_TABLE = {"hosts": "host", "kiosks": "kiosk", "managers": "manager"}


def name_key(name: str) -> str:
    """The name as uniqueness sees it: trimmed, NFC, case-folded ("Lea", " lea", "LEA" are one)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name.strip()).casefold())


def with_name_key(table: str, fields: dict) -> dict:
    """The row's fields with the key of its name, for the tables whose names are unique."""
    if table in ROLE_OF_TABLE and "name" in fields:
        return {**fields, "name_key": name_key(fields["name"])}
    return fields


@contextmanager
def unique_name(table: str, name: str | None):
    """Turn the unique index's refusal into a Conflict a person can act on."""
    try:
        yield
    except sqlite3.IntegrityError as error:
        if f"{table}.name_key" not in str(error):
            raise
        role, shown = ROLE_OF_TABLE[table], f"“{name.strip()}”" if name else "this name"
        raise Conflict(Reason(f"{role}_name_taken", f"There is already a {role} called {shown} on this site: "
                              "choose another name.", name=(name or "").strip()), "name") from None
