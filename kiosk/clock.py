"""Time for the domain: UTC, milliseconds, injectable.

Stored and published times are ISO 8601 strings like `2026-11-23T14:03:07.412Z`;
they sort as text and differences are exact to the millisecond.

Every clock also has `monotonic()`: seconds that only ever go forward at the pace of
real time, whatever is done to the wall clock. Timers (how long a visit has waited,
when the next purge is due) are measured with it (`SteadyAges`), so a wall clock set
ahead or back does not fire them early or hold them back; `ClockWatch` logs such a jump.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta

log = logging.getLogger(__name__)
CLOCK_JUMP_SECONDS = 120  # wall clock and monotonic time drifting apart by more than this is a jump

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

    def monotonic(self) -> float:
        return time.monotonic()


class FixedClock:
    """A clock that moves only when told to: for tests and simulations.

    `advance` lets time pass (wall clock and monotonic time alike); `set_wall_clock_by`
    moves only the wall clock, as an operator or a bad time server does."""

    def __init__(self, start: datetime | str = "2026-11-23T09:00:00.000Z"):
        self.current = from_iso(start) if isinstance(start, str) else start
        self.steady = timedelta(0)  # kept as a timedelta: sums stay exact to the microsecond

    def now(self) -> datetime:
        return self.current

    def monotonic(self) -> float:
        return self.steady.total_seconds()

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)
        self.steady += timedelta(seconds=seconds)

    def set_wall_clock_by(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


class SteadyAges:
    """How old things are, by monotonic time: an age is the wall clock's age of the thing when
    this process first looked (never below 0), plus the monotonic time since.

    So once seen, an age grows at the pace of real time whatever the wall clock does; what
    this process has not seen yet (after a restart) is aged by the wall clock."""

    def __init__(self, clock):
        self.clock = clock
        self.seen: dict = {}  # key -> (monotonic time when first seen, age in ms then)

    def age_ms(self, key, since: str) -> int:
        """The age in milliseconds of `key`, which happened at `since` (ISO) by the wall clock."""
        steady = self.clock.monotonic()
        if key not in self.seen:
            wall_age = (self.clock.now() - from_iso(since)) // timedelta(milliseconds=1)
            self.seen[key] = (steady, max(wall_age, 0))
        first_seen, age_then = self.seen[key]
        return age_then + round((steady - first_seen) * 1000)

    def forget(self, key) -> None:
        """Stop timing `key` (it is no longer waiting)."""
        self.seen.pop(key, None)

    def keep_only(self, keys) -> None:
        """Forget everything but `keys` (what is still being timed)."""
        keys = set(keys)
        self.seen = {key: value for key, value in self.seen.items() if key in keys}


class ClockWatch:
    """Notices the wall clock jumping: between two looks, wall clock and monotonic time
    moved apart by more than CLOCK_JUMP_SECONDS. A slow correction (NTP slewing) never does."""

    def __init__(self, clock, threshold_seconds: float = CLOCK_JUMP_SECONDS):
        self.clock = clock
        self.threshold = threshold_seconds
        self.last = (clock.now(), clock.monotonic())

    def check(self) -> float:
        """Log one warning line if the wall clock jumped since the last look; returns the jump in seconds."""
        wall, steady = self.clock.now(), self.clock.monotonic()
        jump = (wall - self.last[0]).total_seconds() - (steady - self.last[1])
        self.last = (wall, steady)
        if abs(jump) <= self.threshold:
            return 0.0
        log.warning("the wall clock jumped %s by %s (now %s); waits are timed by the monotonic clock, and a purge "
                    "that would anonymise an unusual share of customers waits for `gastgeber purge --confirm`",
                    "ahead" if jump > 0 else "back", timedelta(seconds=round(abs(jump))), to_iso(wall))
        return jump
