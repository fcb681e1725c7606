"""Recognising returning customers, and their dedicated host.

A customer who gives a phone number or e-mail already known at the site (after
normalising both), or who brings an appointment code, is the same customer record
as before. Without such a detail every check-in is a new customer. Nothing here
ever tells the kiosk whether someone was recognised.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_DIGITS = re.compile(r"[^0-9]")


def normalize_phone(phone: str | None, default_country_code: str = "49") -> str | None:
    """Digits with the country code: '+49 171 234-5678', '0049 171…' and '0171 …' alike.

    A national number (one leading 0) is taken to be in `default_country_code`.
    """
    if not phone:
        return None
    digits = _NOT_DIGITS.sub("", phone)
    if phone.strip().startswith("+"):
        normalized = digits
    elif digits.startswith("00"):
        normalized = digits[2:]
    elif digits.startswith("0"):
        normalized = default_country_code + digits[1:]
    else:
        normalized = digits
    return normalized or None


def normalize_email(email: str | None) -> str | None:
    return email.strip().lower() if email else None


def same_person(given: str | None, stored: str | None) -> bool:
    """Whether a typed name agrees with a stored one: they share a word of two letters or more,
    ignoring case and accents ("jonas" and "Jonas Weber", "Ayse Yilmaz" and "Ayşe Yılmaz")."""
    return bool(_name_words(given) & _name_words(stored))


def _name_words(name: str | None) -> set[str]:
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", (name or "").replace("ı", "i"))
                    if not unicodedata.combining(ch))
    return {word for word in re.split(r"[^\w]+", plain.casefold()) if len(word) >= 2}


def match_customer(store, site_id: int, checkin: dict, appointment: dict | None) -> tuple[dict | None, bool]:
    """(the customer a kiosk check-in belongs to, whether the contact typed is another's).

    An appointment code proves who it is. A known phone or e-mail counts only when the
    name typed agrees with the record's: otherwise the visit gets a customer of its own
    (without that contact, so the record keeps its owner) and the host is asked to check.
    """
    known = find_known_customer(store, site_id, checkin, appointment)
    if known is None or appointment is not None or same_person(checkin.get("name"), known["name"]):
        return known, False
    return None, True


def find_known_customer(store, site_id: int, checkin: dict, appointment: dict | None) -> dict | None:
    """The stored customer this check-in belongs to, if it can be told for sure."""
    if appointment is not None:
        return store.customer(appointment["customer_id"])
    phone = normalize_phone(checkin.get("phone"))
    email = normalize_email(checkin.get("email"))
    if phone or email:
        return store.customer_by_contact(site_id, phone, email)
    return None


def customer_fields(site_id: int, checkin: dict, now: str, *, with_contact: bool = True) -> dict:
    """The columns of a new customer made from a check-in (without the contact typed, when it
    is another customer's)."""
    contact = checkin if with_contact else {}
    return {
        "site_id": site_id,
        "name": checkin["name"],
        "phone": contact.get("phone"),
        "email": contact.get("email"),
        "phone_normalized": normalize_phone(contact.get("phone")),
        "email_normalized": normalize_email(contact.get("email")),
        "language": checkin.get("language"),
        "created_at": now,
    }
