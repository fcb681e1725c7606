"""Honest wait estimates: a range from the site's own history, or none.

A waiting customer is told how long it will probably take until they are greeted, from
now: the greet times of the visits that arrived at this site on the same weekday and
local hour over the last WEEKS weeks (the host's own when they have enough of them,
else the whole site's), counting only those that had already waited as long as this
customer has. The range is the LOW_PERCENT-th to the HIGH_PERCENT-th percentile of
what was left of those waits, widened by QUEUE_FACTOR for each customer ahead for the
same host. Fewer than MIN_SAMPLES such visits: no estimate (null), rather than a guess.

Each estimate given is logged (the first of a visit, and each that differs from the
last), so stats can say how often the greeting came within the promised high end
(`calibration`). bench/estimate_calibration.py measures it on the demo data.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from kiosk.clock import from_iso, to_iso

WEEKS = 8
MIN_SAMPLES = 10
LOW_PERCENT = 25
HIGH_PERCENT = 90
QUEUE_FACTOR = 0.5  # each customer ahead for the same host widens the range by half of it
CACHE_SECONDS = 300


def nearest_rank(sorted_values: list[float], percent: float) -> float:
    rank = max(1, math.ceil(percent / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def same_hour_in_past_weeks(moment: datetime, zone: ZoneInfo, weeks: int = WEEKS) -> list[tuple[str, str]]:
    """The UTC ranges [start, end) of this local weekday and hour in each of the last `weeks` weeks."""
    local = moment.astimezone(zone).replace(minute=0, second=0, microsecond=0, tzinfo=None)
    ranges = []
    for week in range(1, weeks + 1):
        start = (local - timedelta(weeks=week)).replace(tzinfo=zone)
        ranges.append((to_iso(start), to_iso(start + timedelta(hours=1))))
    return ranges


def estimate_range(greet_ms: list[int], waited_ms: int, ahead: int) -> dict | None:
    """{"low", "high"} in whole seconds from now, or None with too little history."""
    remaining = sorted(ms - waited_ms for ms in greet_ms if ms > waited_ms)
    if len(remaining) < MIN_SAMPLES:
        return None
    widen = 1 + QUEUE_FACTOR * max(0, ahead)
    low = nearest_rank(remaining, LOW_PERCENT) * widen / 1000
    high = nearest_rank(remaining, HIGH_PERCENT) * widen / 1000
    return {"low": round(low), "high": max(1, round(high))}  # whole seconds (julianday's ms jitter)


class WaitEstimates:
    def __init__(self, store, clock, zone_of):
        """`zone_of(site_id)` is a site's ZoneInfo (its weekdays and hours are local)."""
        self.store = store
        self.clock = clock
        self.zone_of = zone_of
        self._history: dict[tuple, tuple[datetime, dict]] = {}  # (site, local hour) -> (read at, samples)

    def for_visit(self, visit: dict, ahead: int, *, log: bool = True) -> dict | None:
        """The estimate for a visit still waiting to be greeted (logged when new), or None."""
        now = self.clock.now()
        samples = self._samples(visit["site_id"], now)
        waited_ms = max(0, int((now - from_iso(visit["arrived_at"])).total_seconds() * 1000))
        for greet_ms in (samples.get(visit["host_id"], []), samples[None]):  # the host's own first
            estimate = estimate_range(greet_ms, waited_ms, ahead)
            if estimate is not None:
                if log:
                    self._log(visit, estimate, len(greet_ms), to_iso(now))
                return estimate
        return None

    def _samples(self, site_id: int, now: datetime) -> dict:
        """Greet times (ms) by host id, and all of the site's under None, of this weekday and hour."""
        zone = self.zone_of(site_id)
        key = (site_id, now.astimezone(zone).strftime("%Y-%m-%dT%H"))
        cached = self._history.get(key)
        if cached and (now - cached[0]).total_seconds() < CACHE_SECONDS:
            return cached[1]
        by_host: dict = {None: []}
        for host_id, greet_ms in self.store.greet_times(site_id, same_hour_in_past_weeks(now, zone)):
            by_host.setdefault(host_id, []).append(greet_ms)
            by_host[None].append(greet_ms)
        self._history = {k: v for k, v in self._history.items() if k[0] != site_id}  # one hour per site is kept
        self._history[key] = (now, by_host)
        return by_host

    def _log(self, visit: dict, estimate: dict, samples: int, now: str) -> None:
        last = self.store.last_wait_estimate(visit["id"])
        if last is not None and (last["low_seconds"], last["high_seconds"]) == (estimate["low"], estimate["high"]):
            return
        self.store.log_wait_estimate({
            "visit_id": visit["id"], "site_id": visit["site_id"], "host_id": visit["host_id"], "given_at": now,
            "low_seconds": estimate["low"], "high_seconds": estimate["high"], "samples": samples,
        })


def calibration(outcomes: list[dict], zone: ZoneInfo) -> dict:
    """How often the greeting came within the first estimate's high end: overall and per week.

    `outcomes` hold each estimated visit's first `given_at`, `high_seconds` and `greeted_at`
    (null: not greeted, so it does not count either way). Weeks start on Monday, local time.
    """
    weeks: dict[str, list[int]] = {}
    for outcome in outcomes:
        if outcome["greeted_at"] is None:
            continue
        promised = from_iso(outcome["given_at"]) + timedelta(seconds=outcome["high_seconds"])
        held = int(from_iso(outcome["greeted_at"]) <= promised)
        local = from_iso(outcome["given_at"]).astimezone(zone).date()
        week = (local - timedelta(days=local.weekday())).isoformat()
        weeks.setdefault(week, []).append(held)
    every = [held for week in weeks.values() for held in week]
    return {
        "estimates": len(every),
        "within_high_pct": _pct(every),
        "per_week": [{"week": week, "estimates": len(held), "within_high_pct": _pct(held)}
                     for week, held in sorted(weeks.items())],
    }


def _pct(values: list[int]) -> float | None:
    return round(100 * sum(values) / len(values), 1) if values else None
