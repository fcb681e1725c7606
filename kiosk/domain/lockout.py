"""Guessing a PIN, a token or a code in a browser must not pay off.

Wrong attempts are kept in the database, so every server process sees the same count and a
restart forgets nothing. Three sliding windows:

- per person and address: 5 wrong in 15 minutes lock that person's sign-in *from that
  address* — the person themselves, at another device, still gets in with the right PIN;
- per address: 20 wrong in 15 minutes (for anyone, or for tokens and codes) lock that address;
- per person from anywhere: 50 wrong in an hour lock that person's sign-in everywhere, the
  bound on guessing from many addresses (or a forged X-Forwarded-For behind a proxy set up
  as trusted, see README.md). A manager (the team page, `POST /api/v1/hosts/<id>/unlock`) or
  `gastgeber host unlock ID` lifts it; so does a new PIN.

A right PIN clears the person's count from that address.
"""

from __future__ import annotations

from datetime import timedelta

from kiosk.clock import from_iso, to_iso
from kiosk.domain.errors import Locked

FAILURES_PER_PERSON = 5  # per person and address
FAILURES_PER_ADDRESS = 20
WINDOW_SECONDS = 15 * 60
FAILURES_PER_PERSON_ANYWHERE = 50
ANYWHERE_WINDOW_SECONDS = 60 * 60


def person_key(person) -> str | None:
    """("host", 12) → "host:12"; ("manager", "maria") → "manager:maria"."""
    return None if person is None else f"{person[0]}:{person[1]}"


class SignInGuard:
    def __init__(self, store, clock):
        self.store = store
        self.clock = clock

    def check(self, person, address: str | None) -> None:
        """Raise Locked if this person (from this address, or everywhere) or this address is locked out."""
        key, address = person_key(person), address or "unknown"
        bounds = [({"address": address}, FAILURES_PER_ADDRESS, WINDOW_SECONDS)]
        if key is not None:
            bounds += [({"person": key, "address": address}, FAILURES_PER_PERSON, WINDOW_SECONDS),
                       ({"person": key}, FAILURES_PER_PERSON_ANYWHERE, ANYWHERE_WINDOW_SECONDS)]
        waits = [self._wait(where, limit, window) for where, limit, window in bounds]
        longest = max((wait for wait in waits if wait is not None), default=None)
        if longest is not None:
            raise Locked(longest)

    def failed(self, person, address: str | None) -> None:
        now = self.clock.now()
        self.store.record_sign_in_failure(person_key(person), address or "unknown", to_iso(now),
                                          forget_before=to_iso(now - timedelta(seconds=ANYWHERE_WINDOW_SECONDS)))

    def succeeded(self, person, address: str | None) -> None:
        if person is not None:
            self.store.clear_sign_in_failures(person_key(person), address or "unknown")

    def locked_everywhere(self, person) -> bool:
        """Whether this person's sign-in is locked for every address (the bound from anywhere)."""
        return self._wait({"person": person_key(person)}, FAILURES_PER_PERSON_ANYWHERE,
                          ANYWHERE_WINDOW_SECONDS) is not None

    def unlock(self, person, audit: list[dict] = ()) -> int:
        """Forget every wrong attempt at this person's sign-in (recording `audit`); returns how many."""
        return self.store.clear_sign_in_failures(person_key(person), audit=audit)

    def _wait(self, where: dict, limit: int, window: int) -> float | None:
        """Seconds until fewer than `limit` failures matching `where` are left in the window, or None."""
        now = self.clock.now()
        times = self.store.sign_in_failures(since=to_iso(now - timedelta(seconds=window)), **where)
        if len(times) < limit:
            return None
        return window - (now - from_iso(times[-limit])).total_seconds()
