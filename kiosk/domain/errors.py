"""The domain's refusals: one hierarchy, turned into HTTP answers in one place (web/common.py).

    Refused            the base: a `message` for a person and, where one field is at
                       fault, its name (`field`); a `code` (with its `values`) names the
                       refusal for a page that says it in the reader's language
                       (the catalogues' `refused.<code>`, kiosk/web/refusals.py)
      Invalid          input that breaks a rule (400); `errors` maps every bad field
                       to its message when a form had several
      Unauthorized     a credential or code that is not valid (401)
      Forbidden        it exists, but not for this caller (403)
      NotFound         no such thing on the caller's site (404)
      Conflict         not allowed in the current state (409)
      RateLimited      too often; `retry_after_seconds` (429)
        Locked         sign-in locked after too many wrong attempts (429)
      Unavailable      the server cannot do it right now (a full disk): try again (503)

A message may be a `Reason`: the same English text, with a code a page looks up in its
reader's language (kiosk/web/i18n.py `said`).
"""

from __future__ import annotations

import math


class Reason(str):
    """An English message that also names its reason, so a page can say it in the reader's
    language: `code` ends its catalogue key (`refused.<code>`), `values` fill the key's
    placeholders. Being a str, it is the message wherever one is read (the API's JSON, logs)."""

    code: str
    values: dict

    def __new__(cls, code: str, message: str, **values):
        reason = super().__new__(cls, message)
        reason.code, reason.values = code, values
        return reason


class Refused(Exception):
    def __init__(self, message: str, field: str | None = None, *, code: str | None = None,
                 values: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code or getattr(message, "code", None)  # a Reason names its own
        self.values = values or getattr(message, "values", None) or {}


class Invalid(Refused):
    def __init__(self, message: str, field: str | None = None, *, errors: dict[str, str] | None = None,
                 code: str | None = None, values: dict | None = None):
        super().__init__(message, field, code=code, values=values)
        self.errors = errors if errors is not None else ({field: message} if field else {})


class Unauthorized(Refused):
    pass


class Forbidden(Refused):
    pass


class NotFound(Refused):
    pass


class Conflict(Refused):
    pass


class RateLimited(Refused):
    def __init__(self, retry_after_seconds: float, message: str | None = None):
        retry_after_seconds = max(1, math.ceil(retry_after_seconds))
        super().__init__(message or f"too many requests; try again in {retry_after_seconds} s")
        self.retry_after_seconds = retry_after_seconds


class Locked(RateLimited):
    def __init__(self, retry_after_seconds: float):
        minutes = max(1, -(-math.ceil(retry_after_seconds) // 60))
        super().__init__(retry_after_seconds, Reason(
            "locked", f"Too many wrong attempts. Please wait {minutes} minute(s) and try again.", minutes=minutes))


class Unavailable(Refused):
    def __init__(self, message: str, retry_after_seconds: int = 30):
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds
