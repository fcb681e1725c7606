"""The domain's refusals in the reader's language, for the pages (the API keeps their English).

A refusal with a `code` (kiosk/domain/errors.py; a `Reason` as its message brings one) is
said by the catalogues' `refused.<code>`, its `values` filling the placeholders; one without
a code, or with a code no catalogue has yet, keeps the domain's own English message rather than showing a key.
"""

from __future__ import annotations

from flask_babel import gettext

from kiosk.domain.errors import Reason, Refused

PREFIX = "refused."


def in_readers_words(refusal: Refused) -> str:
    return _looked_up(refusal.code, refusal.values, refusal.message) if refusal.code else refusal.message


def said(message):
    """A message as the page's reader reads it: a domain `Reason` by its catalogue key, any
    other message as it is (templates have it as `said`)."""
    return _looked_up(message.code, message.values, message) if isinstance(message, Reason) else message


def _looked_up(code: str, values: dict, english: str) -> str:
    key = PREFIX + code
    text = gettext(key, **values)
    return english if text == key else text


def field_errors(refusal: Refused) -> dict[str, str]:
    """The form's field → message for one refusal, as the pages' `errors` show them."""
    return {refusal.field: in_readers_words(refusal)}
