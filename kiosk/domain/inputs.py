"""Validation of what clients send, with one clear message per bad field."""

from __future__ import annotations

import re
import unicodedata

from kiosk.domain.config import LANGUAGES
from kiosk.domain.errors import Invalid

NAME_MAX = 80
CLIENT_ID_MAX = 100
NOTE_MAX = 2000
_CLIENT_ID = re.compile(r"^[A-Za-z0-9._:-]+$")
PHONE = re.compile(r"^\+?[0-9 ()./-]{5,30}$")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}$")


def text_field(
    body: dict, field: str, *, max_length: int, required: bool = False, multiline: bool = False,
) -> str | None:
    value = body.get(field)
    if value is None:
        if required:
            raise Invalid(f"'{field}' is required", field)
        return None
    if not isinstance(value, str):
        raise Invalid(f"'{field}' must be a string", field)
    value = unicodedata.normalize("NFC", value).strip()
    allowed = "\n\t" if multiline else ""
    if any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed for ch in value):
        raise Invalid(f"'{field}' must not contain control characters", field)
    if required and not value:
        raise Invalid(f"'{field}' must not be empty", field)
    if len(value) > max_length:
        raise Invalid(f"'{field}' must be at most {max_length} characters", field)
    return value or None


def matching_field(body: dict, field: str, pattern: re.Pattern, *, max_length: int, what: str) -> str | None:
    value = text_field(body, field, max_length=max_length)
    if value is not None and not pattern.match(value):
        raise Invalid(f"'{field}' must be {what}", field)
    return value


def parse_checkin(body) -> dict:
    """A check-in as CONTRACT.md describes it, cleaned; raises Invalid.

    `help: true` is the kiosk's "Please help me" button: no name needed, and the
    whole team is alerted at once.
    """
    if not isinstance(body, dict):
        raise Invalid("the body must be a JSON object")
    help_requested = body.get("help", False)
    if not isinstance(help_requested, bool):
        raise Invalid("'help' must be true or false", "help")
    checkin = {
        "help": help_requested,
        # someone asking for help at the kiosk need not type a name
        "name": text_field(body, "name", max_length=NAME_MAX, required=not help_requested) or "",
        "client_id": matching_field(body, "client_id", _CLIENT_ID, max_length=CLIENT_ID_MAX,
                               what="letters, digits and . _ : - only"),
        "phone": matching_field(body, "phone", PHONE, max_length=30, what="a phone number"),
        "email": matching_field(body, "email", EMAIL, max_length=254, what="an e-mail address"),
        "appointment_code": text_field(body, "appointment_code", max_length=32),
        "topic": text_field(body, "topic", max_length=80),
        "language": text_field(body, "language", max_length=8),
        "party_size": _party_size(body),
        "privacy_notice_version": text_field(body, "privacy_notice_version", max_length=16),
    }
    if checkin["client_id"] is None:
        raise Invalid("'client_id' is required", "client_id")
    if checkin["language"] is not None and checkin["language"] not in LANGUAGES:
        raise Invalid(f"'language' must be one of {', '.join(LANGUAGES)}", "language")
    return checkin


def _party_size(body: dict) -> int | None:
    value = body.get("party_size")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 20:
        raise Invalid("'party_size' must be a whole number from 1 to 20", "party_size")
    return value


def parse_note(body) -> str | None:
    """The optional outcome note of a completed visit."""
    if body is None:
        return None
    if not isinstance(body, dict):
        raise Invalid("the body must be a JSON object")
    return text_field(body, "note", max_length=NOTE_MAX, multiline=True)
