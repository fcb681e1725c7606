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
EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f-\x9f]{1,64}@[^@\s\x00-\x1f\x7f-\x9f]{1,190}\.[^@\s\x00-\x1f\x7f-\x9f]{2,}$")
# The text rule as docs/openapi.json states it (a JSON Schema `pattern`): no control character
# (Unicode Cc: U+0000–U+001F, U+007F–U+009F, NEL U+0085 among them); a note may hold line breaks
# and tabs; a required text holds at least one character that is not white space.
TEXT = r"^[^\x00-\x1f\x7f-\x9f]*$"
MULTILINE_TEXT = r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*$"
FILLED_TEXT = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"

# A date of the years 1970–2999 (leap days included), and a moment: that date, optionally with a
# time (T or a space), optionally with Z or an offset. Checked before parsing, as the document says.
_YEAR = r"(?:19[7-9][0-9]|2[0-9]{3})"
_LEAP_YEAR = r"(?:19(?:7[26]|8[048]|9[26])|2[0-9](?:0[48]|[2468][048]|[13579][26])|2[048]00)"
_MONTH_DAY = r"(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)"
_DATE = rf"(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)"
_OFFSET = r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
_TIME = rf"[T ](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{{1,6}})?)?{_OFFSET}?"
ISO_DATE = re.compile(rf"^{_DATE}$")
ISO_MOMENT = re.compile(rf"^{_DATE}(?:{_TIME})?$")

ID_MAX = 2**63 - 1  # SQLite's largest integer


def is_id(value) -> bool:
    """Whether `value` (from a JSON body) can be a row's id: a whole number from 1 to ID_MAX."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= ID_MAX


def or_empty(pattern: re.Pattern) -> str:
    """The documented pattern of an optional matching field: "" means not given."""
    return f"^$|{pattern.pattern}"


def text_field(
    body: dict, field: str, *, max_length: int, required: bool = False, multiline: bool = False,
) -> str | None:
    """A text as sent, checked the way the document's `maxLength` and `pattern` read it (the
    characters as sent, before anything is trimmed), then kept NFC-normalised and trimmed."""
    value = body.get(field)
    if value is None:
        if required:
            raise Invalid(f"'{field}' is required", field)
        return None
    if not isinstance(value, str):
        raise Invalid(f"'{field}' must be a string", field)
    check_text(value, field, max_length=max_length, multiline=multiline)
    value = unicodedata.normalize("NFC", value).strip()
    if required and not value:
        raise Invalid(f"'{field}' must not be empty", field)
    return value or None


def check_text(value: str, field: str, *, max_length: int, multiline: bool = False) -> None:
    allowed = "\n\t" if multiline else ""
    if any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed for ch in value):
        raise Invalid(f"'{field}' must not contain control characters", field)
    if len(value) > max_length:
        raise Invalid(f"'{field}' must be at most {max_length} characters", field)


def matching_field(body: dict, field: str, pattern: re.Pattern, *, max_length: int, what: str) -> str | None:
    """A text that must match `pattern` as sent; "" (or nothing) means not given."""
    value = body.get(field)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise Invalid(f"'{field}' must be a string", field)
    check_text(value, field, max_length=max_length)
    if not pattern.fullmatch(value):
        raise Invalid(f"'{field}' must be {what}", field)
    return unicodedata.normalize("NFC", value).strip() or None


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
        "language": body.get("language"),
        "party_size": _party_size(body),
        "privacy_notice_version": text_field(body, "privacy_notice_version", max_length=16),
    }
    if checkin["client_id"] is None:
        raise Invalid("'client_id' is required", "client_id")
    checkin["text_me"] = _text_me(body, checkin["phone"])
    if checkin["language"] is not None and checkin["language"] not in LANGUAGES:  # exactly, as the enum says
        raise Invalid(f"'language' must be one of {', '.join(LANGUAGES)}", "language")
    return checkin


def _text_me(body: dict, phone: str | None) -> bool:
    """The customer's consent to one text message when someone is coming: only with a phone number."""
    text_me = body.get("text_me", False)
    if not isinstance(text_me, bool):
        raise Invalid("'text_me' must be true or false", "text_me")
    if text_me and phone is None:
        raise Invalid("'text_me' needs a phone number to text ('phone')", "text_me")
    return text_me


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
