"""The domain's refusals: one hierarchy, turned into HTTP answers in one place (web/common.py).

    Refused            the base: a `message` for a person and, where one field is at
                       fault, its name (`field`)
      Invalid          input that breaks a rule (400); `errors` maps every bad field
                       to its message when a form had several; `reason`, where set,
                       names the rule (a page says it in the reader's language)
      Unauthorized     a credential or code that is not valid (401)
      Forbidden        it exists, but not for this caller (403)
      NotFound         no such thing on the caller's site (404)
      Conflict         not allowed in the current state (409)
      RateLimited      too often; `retry_after_seconds` (429)
        Locked         sign-in locked after too many wrong attempts (429)
      Unavailable      the server cannot do it right now (a full disk): try again (503)
"""

from __future__ import annotations

import math


class Refused(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(Refused):
    def __init__(self, message: str, field: str | None = None, *, errors: dict[str, str] | None = None,
                 reason: str | None = None):
        super().__init__(message, field)
        self.errors = errors if errors is not None else ({field: message} if field else {})
        self.reason = reason


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
        super().__init__(retry_after_seconds,
                         f"Too many wrong attempts. Please wait {minutes} minute(s) and try again.")


class Unavailable(Refused):
    def __init__(self, message: str, retry_after_seconds: int = 30):
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds
