"""A sliding-window rate limit per key (e.g. per kiosk), held in memory, with an injected clock."""

from __future__ import annotations

from collections import deque

from kiosk.domain.errors import RateLimited


class RateLimiter:
    def __init__(self, clock, limit: int, window_seconds: float = 60.0):
        self.clock = clock
        self.limit = limit
        self.window_seconds = window_seconds
        self._hits: dict[object, deque] = {}

    def hit(self, key) -> None:
        """Count one request for `key`, or raise RateLimited if the window is full."""
        self.check(key)
        self.record(key)

    def check(self, key) -> None:
        """Raise RateLimited if `key` has used up its window, without counting anything."""
        hits = self._current(key)
        if len(hits) >= self.limit:
            wait = self.window_seconds - (self.clock.now() - hits[0]).total_seconds()
            raise RateLimited(wait)

    def record(self, key) -> None:
        self._current(key).append(self.clock.now())

    def reset(self, key) -> None:
        self._hits.pop(key, None)

    def _current(self, key) -> deque:
        now = self.clock.now()
        hits = self._hits.setdefault(key, deque())
        while hits and (now - hits[0]).total_seconds() >= self.window_seconds:
            hits.popleft()
        return hits
