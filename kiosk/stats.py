"""Greeting-time statistics: how fast customers were noticed and greeted.

Percentiles use the nearest-rank method over the visits of the window that reached
that step. Hours, days and weekdays are in the site's time zone; storage is UTC.
Plain Python over rows the store hands over, in one pass plus a sort per group.
"""

from __future__ import annotations

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
class StatsRow:
    """One visit as stats need it (see store.stats)."""

    visit_id: int
    host_id: int | None
    host_name: str | None
    arrived_at: str
    acknowledge_seconds: float | None
    greet_seconds: float | None
    status: str
    escalated: bool
    acknowledged_by: int | None
    greeted_by: int | None
    feedback: int | None
    assignment_reason: str | None


def nearest_rank(sorted_values: list[float], percent: float) -> float:
    """The value at rank ceil(percent/100 · n), 1-based, of an ascending list."""
    rank = max(1, math.ceil(percent / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def summary(values: list[float]) -> dict:
    if not values:
        return {"p50": None, "p90": None, "max": None}
    values = sorted(values)
    return {"p50": nearest_rank(values, 50), "p90": nearest_rank(values, 90), "max": values[-1]}


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

    def of(self, arrived_at: str) -> tuple[str, int, int]:
        key = arrived_at[:13]
        if key not in self._cache:
            local = datetime.fromisoformat(key + ":00:00+00:00").astimezone(self.zone)
            self._cache[key] = (local.date().isoformat(), local.hour, local.weekday())
        return self._cache[key]


class _Group:
    """Figures of one slice of visits (all, one host, one hour, one day)."""

    def __init__(self):
        self.visits = 0
        self.acknowledge: list[float] = []
        self.greet: list[float] = []
        self.within_target = 0
        self.abandoned = 0
        self.escalated = 0
        self.feedback: list[int] = []

    def add(self, row: StatsRow, greet_target: float) -> None:
        self.visits += 1
        if row.acknowledge_seconds is not None:
            self.acknowledge.append(row.acknowledge_seconds)
        if row.greet_seconds is not None:
            self.greet.append(row.greet_seconds)
            self.within_target += row.greet_seconds <= greet_target
        self.abandoned += row.status == "abandoned"
        self.escalated += row.escalated
        if row.feedback is not None:
            self.feedback.append(row.feedback)

    def within_target_pct(self) -> float | None:
        judged = len(self.greet) + self.abandoned
        return round(100 * self.within_target / judged, 1) if judged else None

    def figures(self) -> dict:
        return {
            "visits": self.visits,
            "acknowledge_seconds": summary(self.acknowledge),
            "greet_seconds": summary(self.greet),
            "greeted_within_target_pct": self.within_target_pct(),
            "abandoned": self.abandoned,
            "escalated_pct": round(100 * self.escalated / self.visits, 1) if self.visits else None,
            "feedback_average": round(sum(self.feedback) / len(self.feedback), 2) if self.feedback else None,
        }


def compute(rows: list[StatsRow], *, greet_target: int, acknowledge_target: int, zone: ZoneInfo,
            window: tuple[str, str]) -> dict:
    """The contract's Stats object, with a few more figures for the stats page."""
    local = _LocalTime(zone)
    total, hosts, hours, days = _Group(), defaultdict(_Group), defaultdict(_Group), defaultdict(_Group)
    host_names, given, received = {}, defaultdict(int), defaultdict(int)
    heat = defaultdict(list)
    histogram = [0] * HISTOGRAM_BUCKETS
    for row in rows:
        day, hour, weekday = local.of(row.arrived_at)
        for group in (total, hours[hour], days[day]):
            group.add(row, greet_target)
        if row.host_id is not None:
            hosts[row.host_id].add(row, greet_target)
            host_names[row.host_id] = row.host_name
            stand_in = _stand_in(row)
            if stand_in is not None:
                given[stand_in] += 1
                received[row.host_id] += 1
        if row.greet_seconds is not None:
            heat[(weekday, hour)].append(row.greet_seconds)
            histogram[min(int(row.greet_seconds // HISTOGRAM_BUCKET_SECONDS), HISTOGRAM_BUCKETS - 1)] += 1
    figures = total.figures()
    return {
        "visits": figures["visits"],
        "acknowledge_seconds": figures["acknowledge_seconds"],
        "greet_seconds": figures["greet_seconds"],
        "greeted_within_target_pct": figures["greeted_within_target_pct"],
        "target_seconds": greet_target,
        "abandoned": figures["abandoned"],
        "per_host": [
            {"host": {"id": host_id, "name": host_names[host_id]}, **_host_figures(hosts[host_id]),
             "stand_ins_given": given[host_id], "stand_ins_received": received[host_id]}
            for host_id in sorted(hosts, key=lambda host_id: (host_names[host_id] or "", host_id))
        ],
        "by_hour": [{"hour": hour, "visits": hours[hour].visits, "greet_seconds": summary(hours[hour].greet)}
                    for hour in range(24)],
        "from": window[0],
        "to": window[1],
        "acknowledge_target_seconds": acknowledge_target,
        "escalated_pct": figures["escalated_pct"],
        "feedback_average": figures["feedback_average"],
        "by_day": [{"date": day, **_day_figures(days[day])} for day in sorted(days)],
        "heatmap": [{"weekday": weekday, "hour": hour, "visits": len(values), "greet_p50": summary(values)["p50"]}
                    for (weekday, hour), values in sorted(heat.items())],
        "greet_histogram": {"bucket_seconds": HISTOGRAM_BUCKET_SECONDS, "counts": histogram},
    }


def _stand_in(row: StatsRow) -> int | None:
    """Who stood in for the visit's own host: greeted or acknowledged it instead of them."""
    for helper in (row.greeted_by, row.acknowledged_by):
        if helper is not None:
            return helper if helper != row.host_id else None
    return None


def _host_figures(group: _Group) -> dict:
    figures = group.figures()
    return {key: figures[key] for key in ("visits", "acknowledge_seconds", "greet_seconds",
                                          "greeted_within_target_pct", "abandoned", "feedback_average")}


def _day_figures(group: _Group) -> dict:
    figures = group.figures()
    return {key: figures[key] for key in ("visits", "acknowledge_seconds", "greet_seconds",
                                          "greeted_within_target_pct", "abandoned")}
