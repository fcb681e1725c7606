"""Each person's own language: a host's for their board and the alerts sent to them, a manager's
for the owner's pages (a customer's is the kiosk's buttons, kept with the visit).

No choice (None) means: the browser's preference, then the site's default language apply.
"""

from __future__ import annotations

from kiosk.domain.config import LANGUAGES
from kiosk.domain.errors import Invalid, NotFound

ROLES = ("host", "manager")


def clean_language(language) -> str | None:
    """The language code to store: one of LANGUAGES, or None for "the site's" ("" or None)."""
    if language is None or language == "":
        return None
    if not isinstance(language, str) or language not in LANGUAGES:
        raise Invalid(f"'language' must be one of {', '.join(LANGUAGES)}, or empty for the site's", "language")
    return language


def choose(store, role: str, person_id: int, language) -> str | None:
    """Store `role` `person_id`'s own language; returns what is stored now."""
    chosen = clean_language(language)
    if role not in ROLES or not store.set_own_language(role, person_id, chosen):
        raise NotFound(f"no such {role}")
    return chosen


def of(person: dict | None) -> str | None:
    """The own language of a person's row, if they chose one this version still speaks."""
    language = (person or {}).get("language")
    return language if language in LANGUAGES else None
