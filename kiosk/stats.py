"""Greeting-time statistics: how fast customers were noticed and greeted.

Percentiles use the nearest-rank method over the visits of the window that reached
that step. Hours, days and weekdays are in the site's time zone; storage is UTC.
Plain Python over groups the store hands over (visits per UTC hour and host, with
their durations in milliseconds), in one pass plus a sort per slice.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .clock import to_iso
from .inputs import InvalidInput

DEFAULT_WINDOW_DAYS = 30
HISTOGRAM_BUCKET_SECONDS = 30
HISTOGRAM_BUCKETS = 20  # 0–10 minutes, the last bucket holds everything longer


@dataclass(frozen=True)
class StatsGroup:
    """The visits of one host that arrived in one UTC hour (see store.stats)."""

    utc_hour: str  # "2026-11-23T14"
    host_id: int | None
    visits: int
    acknowledge_ms: list[int]
    greet_ms: list[int]
    abandoned: int
    escalated: int
    stand_ins: list[int]  # for each visit a colleague acknowledged or greeted instead: who
    feedback_sum: int
    feedback_count: int


@dataclass(frozen=True)
class StatsData:
    groups: list[StatsGroup]
    host_names: dict[int, str]


def nearest_rank(sorted_values: list[float], percent: float) -> float:
    """The value at rank ceil(percent/100 · n), 1-based, of an ascending list."""
    rank = max(1, math.ceil(percent / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def summary(millis: list[int]) -> dict:
    """p50, p90 and max in seconds of a list of milliseconds (sorted here)."""
    if not millis:
        return {"p50": None, "p90": None, "max": None}
    millis.sort()
    return {"p50": nearest_rank(millis, 50) / 1000, "p90": nearest_rank(millis, 90) / 1000, "max": millis[-1] / 1000}


def parse_window(from_text: str | None, to_text: str | None, now: datetime, zone: ZoneInfo) -> tuple[str, str]:
    """The window [from, to) as stored-time strings; default: the last 30 days.

    A bare date means local midnight; a time without offset is local time.
    """
    end = _parse_moment(to_text, "to", zone) if to_text else now
    start = _parse_moment(from_text, "from", zone) if from_text else end - timedelta(days=DEFAULT_WINDOW_DAYS)
    if start >= end:
        raise InvalidInput("'from' must be before 'to'", "from")
    return to_iso(start), to_iso(end)


def _parse_moment(text: str, field: str, zone: ZoneInfo) -> datetime:
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(0), zone)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"'{field}' must be an ISO 8601 date or time, e.g. 2026-11-01", field) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


class _LocalTime:
    """Local date, hour and weekday of stored UTC times, cached per UTC hour."""

    def __init__(self, zone: ZoneInfo):
        self.zone = zone
        self._cache: dict[str, tuple[str, int, int]] = {}

    def of(self, utc_hour: str) -> tuple[str, int, int]:
        key = utc_hour[:13]
        if key not in self._cache:
            local = datetime.fromisoformat(key + ":00:00+00:00").astimezone(self.zone)
            self._cache[key] = (local.date().isoformat(), local.hour, local.weekday())
        return self._cache[key]


class _Group:
    """Figures of one slice of visits (all, one host, one hour, one day)."""

    def __init__(self):
        self.visits = 0
        self.acknowledge: list[int] = []
        self.greet: list[int] = []
        self.abandoned = 0
        self.escalated = 0
        self.feedback = (0, 0)  # sum of ratings, number of ratings

    def add(self, group: StatsGroup) -> None:
        self.visits += group.visits
        self.acknowledge += group.acknowledge_ms
        self.greet += group.greet_ms
        self.abandoned += group.abandoned
        self.escalated += group.escalated
        self.feedback = (self.feedback[0] + group.feedback_sum, self.feedback[1] + group.feedback_count)

    def figures(self, greet_target: int) -> dict:
        greet = summary(self.greet)  # sorts self.greet, so the count within target is a bisection
        judged = len(self.greet) + self.abandoned
        within = bisect.bisect_right(self.greet, greet_target * 1000)
        return {
            "visits": self.visits,
            "acknowledge_seconds": summary(self.acknowledge),
            "greet_seconds": greet,
            "greeted_within_target_pct": round(100 * within / judged, 1) if judged else None,
            "abandoned": self.abandoned,
        }


def _average(total_and_count: tuple[int, int]) -> float | None:
    total, count = total_and_count
    return round(total / count, 2) if count else None


def compute(data: StatsData, *, greet_target: int, acknowledge_target: int, zone: ZoneInfo,
            window: tuple[str, str]) -> dict:
    """The contract's Stats object, with a few more figures for the stats page."""
    local = _LocalTime(zone)
    total, hosts, hours, days = _Group(), defaultdict(_Group), defaultdict(_Group), defaultdict(_Group)
    received, given = defaultdict(int), defaultdict(int)
    heat = defaultdict(list)
    for group in data.groups:
        day, hour, weekday = local.of(group.utc_hour)
        for slice_ in (total, hours[hour], days[day]):
            slice_.add(group)
        if group.host_id is not None:
            hosts[group.host_id].add(group)
            received[group.host_id] += len(group.stand_ins)
            for helper in group.stand_ins:
                given[helper] += 1
        heat[(weekday, hour)] += group.greet_ms
    figures = total.figures(greet_target)  # sorts total.greet: the histogram is bisections
    edges = [bucket * HISTOGRAM_BUCKET_SECONDS * 1000 for bucket in range(1, HISTOGRAM_BUCKETS)]
    below = [bisect.bisect_left(total.greet, edge) for edge in edges] + [len(total.greet)]
    histogram = [count - previous for count, previous in zip(below, [0] + below[:-1])]
    return {
        **figures,
        "target_seconds": greet_target,
        "per_host": [
            {"host": {"id": host_id, "name": data.host_names.get(host_id)}, **hosts[host_id].figures(greet_target),
             "feedback_average": _average(hosts[host_id].feedback),
             "stand_ins_given": given[host_id], "stand_ins_received": received[host_id]}
            for host_id in sorted(hosts, key=lambda host_id: (data.host_names.get(host_id) or "", host_id))
        ],
        "by_hour": [{"hour": hour, "visits": hours[hour].visits, "greet_seconds": summary(hours[hour].greet)}
                    for hour in range(24)],
        "from": window[0],
        "to": window[1],
        "acknowledge_target_seconds": acknowledge_target,
        "escalated_pct": round(100 * total.escalated / total.visits, 1) if total.visits else None,
        "feedback_average": _average(total.feedback),
        "by_day": [{"date": day, **days[day].figures(greet_target)} for day in sorted(days)],
        "heatmap": [{"weekday": weekday, "hour": hour, "visits": len(values), "greet_p50": summary(values)["p50"]}
                    for (weekday, hour), values in sorted(heat.items()) if values],
        "greet_histogram": {"bucket_seconds": HISTOGRAM_BUCKET_SECONDS, "counts": histogram},
    }
