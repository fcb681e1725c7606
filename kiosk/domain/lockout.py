"""Guessing a PIN or a kiosk token in a browser must not pay off.

Wrong attempts are counted per person (host) and per network address in a sliding
window; past the limit, sign-in is locked until the oldest failure leaves the
window, with a clear message. A right PIN clears the person's count.
"""

from __future__ import annotations

from kiosk.domain.errors import Locked, RateLimited
from kiosk.domain.ratelimit import RateLimiter

FAILURES_PER_PERSON = 5
FAILURES_PER_ADDRESS = 20
WINDOW_SECONDS = 15 * 60


class SignInGuard:
    def __init__(self, clock):
        self.by_person = RateLimiter(clock, FAILURES_PER_PERSON, WINDOW_SECONDS)
        self.by_address = RateLimiter(clock, FAILURES_PER_ADDRESS, WINDOW_SECONDS)

    def check(self, person, address: str) -> None:
        """Raise Locked if this person or this address is locked out."""
        try:
            self.by_address.check(address)
            if person is not None:
                self.by_person.check(person)
        except RateLimited as limited:
            raise Locked(limited.retry_after_seconds) from None

    def failed(self, person, address: str) -> None:
        self.by_address.record(address)
        if person is not None:
            self.by_person.record(person)

    def succeeded(self, person) -> None:
        self.by_person.reset(person)
