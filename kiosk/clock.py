"""Time for the domain: UTC, milliseconds, injectable.

Stored and published times are ISO 8601 strings like `2026-11-23T14:03:07.412Z`;
they sort as text and differences are exact to the millisecond.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

# Times a person may ask about: far enough for any history or plan, near enough that
# every sum with a window or a time zone stays inside what datetime can hold.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2999, 12, 31, tzinfo=UTC)


def to_iso(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def seconds_between(start: str, end: str) -> float:
    return (from_iso(end) - from_iso(start)).total_seconds()


class SystemClock:
    """The real clock, truncated to whole milliseconds."""

    def now(self) -> datetime:
        moment = datetime.now(UTC)
        return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


class FixedClock:
    """A clock that moves only when told to: for tests and simulations."""

    def __init__(self, start: datetime | str = "2026-11-23T09:00:00.000Z"):
        self.current = from_iso(start) if isinstance(start, str) else start

    def now(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)
