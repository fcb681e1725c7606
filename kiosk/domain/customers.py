"""Recognising returning customers, and their dedicated host.

A customer who gives a phone number or e-mail already known at the site (after
normalising both), or who brings an appointment code, is the same customer record
as before. Without such a detail every check-in is a new customer. Nothing here
ever tells the kiosk whether someone was recognised.
"""

from __future__ import annotations

import re

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


def find_known_customer(store, site_id: int, checkin: dict, appointment: dict | None) -> dict | None:
    """The stored customer this check-in belongs to, if it can be told for sure."""
    if appointment is not None:
        return store.customer(appointment["customer_id"])
    phone = normalize_phone(checkin.get("phone"))
    email = normalize_email(checkin.get("email"))
    if phone or email:
        return store.customer_by_contact(site_id, phone, email)
    return None


def customer_fields(site_id: int, checkin: dict, now: str) -> dict:
    """The columns of a new customer made from a check-in."""
    return {
        "site_id": site_id,
        "name": checkin["name"],
        "phone": checkin.get("phone"),
        "email": checkin.get("email"),
        "phone_normalized": normalize_phone(checkin.get("phone")),
        "email_normalized": normalize_email(checkin.get("email")),
        "language": checkin.get("language"),
        "created_at": now,
    }
