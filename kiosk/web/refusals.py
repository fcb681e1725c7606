"""The domain's refusals in the reader's language, for the pages (the API keeps their English).

A refusal with a `code` (kiosk/domain/errors.py) is said by the catalogues' `refused.<code>`,
its `values` filling the placeholders; one without a code, or with a code no catalogue has
yet, keeps the domain's own English message rather than showing a key.
"""

from __future__ import annotations

from flask_babel import gettext

from kiosk.domain.errors import Refused

PREFIX = "refused."


def in_readers_words(refusal: Refused) -> str:
    if not refusal.code:
        return refusal.message
    key = PREFIX + refusal.code
    text = gettext(key, **refusal.values)
    return refusal.message if text == key else text


def field_errors(refusal: Refused) -> dict[str, str]:
    """The form's field → message for one refusal, as the pages' `errors` show them."""
    return {refusal.field: in_readers_words(refusal)}
