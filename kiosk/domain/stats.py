"""Greeting-time statistics: how fast customers were noticed and greeted.

Percentiles use the nearest-rank method over the visits of the window that reached
that step. Hours, days and weekdays are in the site's time zone; storage is UTC.

The store hands over the window's visits grouped by UTC hour and host, with every
duration as an array (see store.stats). Each breakdown (all visits, per host, per
hour, per day, per weekday and hour) sorts the durations by slice and value with
NumPy and reads the percentiles off by index, so a year of a busy site takes tens
of milliseconds instead of a sort per slice in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

import numpy as np

from kiosk.clock import EARLIEST, LATEST, to_iso
from kiosk.domain.errors import Invalid
from kiosk.domain.estimates import calibration
from kiosk.domain.inputs import ISO_MOMENT

DEFAULT_WINDOW_DAYS = 30
HISTOGRAM_BUCKET_SECONDS = 30
HISTOGRAM_BUCKETS = 20  # 0–10 minutes, the last bucket holds everything longer
NO_HOST = -1  # host id of the group of visits nobody was assigned to
ALERT_RECEIPT_SECONDS = 5  # the config's default of `alert_receipt_seconds`
TOPIC_MIN_VISITS = 3  # a topic given fewer times is shown as "other": it may be someone's free text
SUM_UP_DAYS_PER_TICK = 2  # a few milliseconds of the scheduler's tick; a year's backlog in three minutes


@dataclass(frozen=True)
class Numbers:
    """Numbers that belong to groups: `values[i]` belongs to group `groups[i]`."""

    values: np.ndarray
    groups: np.ndarray
    is_ascending: bool = False  # already sorted by value (see ascending)

    @classmethod
    def empty(cls) -> Numbers:
        return cls(np.zeros(0, np.int64), np.zeros(0, np.int64), is_ascending=True)

    def ascending(self) -> Numbers:
        """Sorted by value. Each value and its group are packed into one integer
        (value in the high bits), because sorting plain integers is about twice as
        fast as sorting indexes by value; durations of any sane length fit.
        Every figure depends only on the order of the values, not on how equal
        values of different groups are ordered."""
        if self.is_ascending or not len(self.values):
            return self
        group_bits = int(self.groups.max()).bit_length()
        if np.abs(self.values).max() >= 1 << (62 - group_bits):
            order = np.argsort(self.values)
            return Numbers(self.values[order], self.groups[order], is_ascending=True)
        packed = (self.values << group_bits) | self.groups
        if self.values.min() >= 0 and int(self.values.max()) < 1 << (32 - group_bits):
            packed = packed.astype(np.uint32)  # sorting 32-bit integers is faster still
        packed = np.sort(packed).astype(np.int64)
        return Numbers(packed >> group_bits, packed & ((1 << group_bits) - 1), is_ascending=True)

    def merged_with(self, later: Numbers, offset: int) -> Numbers:
        """Both sorted by value (see ascending) and merged, `later`'s groups counted from
        `offset` on (after this one's): a linear merge instead of a sort when `later` is kept sorted."""
        mine, theirs = self.ascending(), later.ascending()
        at = np.searchsorted(theirs.values, mine.values, side="left")  # equal values: this one's first
        return Numbers(np.insert(theirs.values, at, mine.values), np.insert(theirs.groups + offset, at, mine.groups),
                       is_ascending=True)


@dataclass(frozen=True)
class Slices:
    """A window's figures by one key (a device kind, a topic): `keys[k]` has `visits[k]` visits,
    `abandoned[k]` of them abandoned, and the values whose group is k (for a device kind: each
    visit's first receipt on such a device; for a topic: the greet times)."""

    keys: list
    visits: np.ndarray
    abandoned: np.ndarray
    values_ms: Numbers

    @classmethod
    def empty(cls) -> Slices:
        return cls([], np.zeros(0, np.int64), np.zeros(0, np.int64), Numbers.empty())


@dataclass(frozen=True)
class StatsData:
    """A window's visits grouped by UTC hour and host, one array entry per group."""

    utc_hours: list[str]  # "2026-11-23T14"
    host_ids: np.ndarray  # NO_HOST for visits nobody was assigned to
    visits: np.ndarray
    abandoned: np.ndarray
    escalated: np.ndarray
    acknowledge_ms: Numbers
    greet_ms: Numbers
    stand_ins: Numbers  # for each visit a colleague acknowledged or greeted instead: who
    feedback: Numbers  # the ratings given
    complete_ms: Numbers  # greeted → completed, of the completed visits
    host_names: dict[int, str]
    alert_delivery_ms: Numbers = field(default_factory=Numbers.empty)  # check-in → first receipt by the host
    devices: Slices = field(default_factory=Slices.empty)  # by the kind of device that confirmed an alert
    topics: Slices = field(default_factory=Slices.empty)  # by the visit's topic (None: none given)


@dataclass(frozen=True)
class WindowTotals:
    """A window's visits as the head office's view needs them: no groups, the durations in no order
    (totals_figures reorders them in place: a year of a site is millions of values, not copied)."""

    visits: int
    abandoned: int
    acknowledge_ms: np.ndarray
    greet_ms: np.ndarray
    alert_delivery_ms: np.ndarray


def nearest_rank(count: int | np.ndarray, percent: float) -> int | np.ndarray:
    """The 1-based rank ceil(percent/100 · n), at least 1, of the nearest-rank percentile."""
    return np.maximum(1, np.ceil(percent / 100 * np.asarray(count))).astype(np.int64)


def parse_window(from_text: str | None, to_text: str | None, now: datetime, zone: ZoneInfo) -> tuple[str, str]:
    """The window [from, to) as stored-time strings; default: the last 30 days.

    A bare date means local midnight; a time without offset is local time.
    """
    end = _parse_moment(to_text, "to", zone) if to_text else now
    start = _parse_moment(from_text, "from", zone) if from_text else end - timedelta(days=DEFAULT_WINDOW_DAYS)
    if start >= end:
        raise Invalid("'from' must be before 'to'", "from")
    return to_iso(start), to_iso(end)


def _parse_moment(text: str, field: str, zone: ZoneInfo) -> datetime:
    """A date or a time as `ISO_MOMENT` describes it (docs/openapi.json states the same pattern)."""
    if not ISO_MOMENT.fullmatch(text):
        raise Invalid(f"'{field}' must be an ISO 8601 date or time of the years {EARLIEST.year} to {LATEST.year}, "
                      "e.g. 2026-11-01", field)
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), time(0), zone)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def sum_up_past_days(store, clock, limit: int = SUM_UP_DAYS_PER_TICK) -> int:
    """For the scheduler: sum up (store.sum_up_day) days that ended before yesterday,
    UTC, so a long window reads summaries; returns how many days it summed up.
    Today and yesterday stay live: their visits still change."""
    before = (clock.now().astimezone(UTC) - timedelta(days=1)).date().isoformat()
    summed = 0
    for site_id in store.site_ids():
        for day in store.days_to_sum_up(site_id, before, limit - summed):
            store.sum_up_day(site_id, day)
            summed += 1
    return summed


def _local_time(utc_hour: str, zone: ZoneInfo) -> tuple[str, int, int]:
    """Local date, hour and weekday of a stored UTC hour ("2026-11-23T14")."""
    local = datetime.fromisoformat(utc_hour + ":00:00+00:00").astimezone(zone)
    return local.date().isoformat(), local.hour, local.weekday()


class _Ranked:
    """Durations of one breakdown sorted by slice, then by value: slice k's values are
    `values[starts[k] : starts[k] + counts[k]]`, in ascending order."""

    def __init__(self, ascending: Numbers, slice_of_group: np.ndarray, size: int):
        small = np.int16 if size < 2**15 else np.int64  # a stable sort of 16-bit keys is a radix sort
        slice_of_value = slice_of_group.astype(small)[ascending.groups]
        if size == 1:  # one slice: the values are in order already
            self.values = ascending.values
        else:
            by_slice = np.argsort(slice_of_value, kind="stable")  # stable: within a slice, values stay ascending
            self.values = ascending.values[by_slice]
        self.counts = np.bincount(slice_of_value, minlength=size)
        self.starts = np.cumsum(self.counts) - self.counts

    def percentile_seconds(self, percent: float, *, in_ms: bool = False) -> list[float | None]:
        if not len(self.values):
            return [None] * len(self.counts)
        index = np.minimum(self.starts + nearest_rank(self.counts, percent) - 1, len(self.values) - 1)
        seconds = (self.values[index] if in_ms else self.values[index] / 1000).tolist()
        return [value if count else None for value, count in zip(seconds, self.counts.tolist())]

    def summaries(self, *, in_ms: bool = False) -> list[dict]:
        """p50, p90 and max in seconds (or milliseconds) for each slice (None for a slice without values)."""
        columns = zip(*(self.percentile_seconds(percent, in_ms=in_ms) for percent in (50, 90, 100)))
        return [{"p50": p50, "p90": p90, "max": top} for p50, p90, top in columns]

    def at_most(self, millis: int) -> list[int]:
        """For each slice, how many of its values are ≤ millis."""
        slice_of_sorted_value = np.repeat(np.arange(len(self.counts)), self.counts)
        return np.bincount(slice_of_sorted_value[self.values <= millis], minlength=len(self.counts)).tolist()


def _per_slice(values: np.ndarray, slice_of_group: np.ndarray, size: int) -> list[int]:
    """The sum of a per-group count over each slice."""
    return np.bincount(slice_of_group, weights=values, minlength=size).astype(np.int64).tolist()


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _average(total: int, count: int) -> float | None:
    return round(total / count, 2) if count else None


class _Breakdown:
    """The figures of a window split into slices: each group of visits belongs to one slice."""

    def __init__(self, data: StatsData, ascending: tuple[Numbers, Numbers, Numbers], slice_of_group: np.ndarray,
                 size: int):
        self.data, self.slice_of_group, self.size, self._ascending = data, slice_of_group, size, ascending

    @cached_property
    def acknowledge(self) -> _Ranked:
        return _Ranked(self._ascending[0], self.slice_of_group, self.size)

    @cached_property
    def greet(self) -> _Ranked:
        return _Ranked(self._ascending[1], self.slice_of_group, self.size)

    @cached_property
    def complete(self) -> _Ranked:
        return _Ranked(self._ascending[2], self.slice_of_group, self.size)

    def count(self, per_group: np.ndarray) -> list[int]:
        return _per_slice(per_group, self.slice_of_group, self.size)

    def count_values(self, numbers: Numbers, weights: np.ndarray | None = None) -> list[int]:
        """How many of the numbers (or the sum of the weights) fall in each slice."""
        slices = self.slice_of_group[numbers.groups]
        return np.bincount(slices, weights=weights, minlength=self.size).astype(np.int64).tolist()

    def figures(self, greet_target: int, *, service_time: bool = False) -> list[dict]:
        """Each slice's figures; with `service_time` also `complete_seconds` (the contract has it
        overall and per host; the other breakdowns skip its sort)."""
        visits, abandoned = self.count(self.data.visits), self.count(self.data.abandoned)
        greeted, within = self.greet.counts.tolist(), self.greet.at_most(greet_target * 1000)
        rows = [
            {"visits": visits[k], "acknowledge_seconds": acknowledge, "greet_seconds": greet,
             "greeted_within_target_pct": _pct(within[k], greeted[k] + abandoned[k]), "abandoned": abandoned[k]}
            for k, (acknowledge, greet) in enumerate(zip(self.acknowledge.summaries(), self.greet.summaries()))
        ]
        if service_time:
            for row, complete in zip(rows, self.complete.summaries()):
                row["complete_seconds"] = complete
        return rows


def _histogram(sorted_greet_ms: np.ndarray) -> list[int]:
    edges = [bucket * HISTOGRAM_BUCKET_SECONDS * 1000 for bucket in range(1, HISTOGRAM_BUCKETS)]
    below = [*np.searchsorted(sorted_greet_ms, edges, side="left").tolist(), len(sorted_greet_ms)]
    return [count - previous for count, previous in zip(below, [0, *below[:-1]])]


def _positions(keys: list, order: list) -> np.ndarray:
    """For each key, its position in `order` (len(order) for a key not in it)."""
    position = {key: index for index, key in enumerate(order)}
    return np.array([position.get(key, len(order)) for key in keys], dtype=np.int64)


def compute(data: StatsData, *, greet_target: int, acknowledge_target: int, zone: ZoneInfo,
            window: tuple[str, str], receipt_seconds: int = ALERT_RECEIPT_SECONDS) -> dict:
    """The contract's Stats object, with a few more figures for the stats page."""
    utc_hours = sorted(set(data.utc_hours))
    hour_of_group = _positions(data.utc_hours, utc_hours)
    local = [_local_time(utc_hour, zone) for utc_hour in utc_hours]
    days = sorted({day for day, _, _ in local})
    local_day = _positions([day for day, _, _ in local], days)[hour_of_group]
    local_hour = np.array([hour for _, hour, _ in local], dtype=np.int64)[hour_of_group]
    weekday_hour = np.array([weekday * 24 + hour for _, hour, weekday in local], dtype=np.int64)[hour_of_group]
    host_ids = sorted(set(data.host_ids.tolist()) - {NO_HOST},
                      key=lambda host_id: (data.host_names.get(host_id) or "", host_id))
    ascending = (data.acknowledge_ms.ascending(), data.greet_ms.ascending(), data.complete_ms.ascending())

    def breakdown(slice_of_group: np.ndarray, size: int) -> _Breakdown:
        return _Breakdown(data, ascending, slice_of_group, size)

    total = breakdown(np.zeros(len(hour_of_group), np.int64), 1)
    figures = total.figures(greet_target, service_time=True)[0]
    return {
        **figures,
        "target_seconds": greet_target,
        "per_host": _per_host(data, breakdown(_positions(data.host_ids.tolist(), host_ids), len(host_ids) + 1),
                              host_ids, greet_target),
        "by_hour": _by_hour(breakdown(local_hour, 24)),
        "from": window[0],
        "to": window[1],
        "acknowledge_target_seconds": acknowledge_target,
        "escalated_pct": _pct(int(data.escalated.sum()), figures["visits"]),
        "feedback_average": _average(int(data.feedback.values.sum()), len(data.feedback.values)),
        "by_day": [{"date": day, **figures_} for day, figures_ in
                   zip(days, breakdown(local_day, len(days)).figures(greet_target))],
        "heatmap": _heatmap(breakdown(weekday_hour, 7 * 24)),
        "greet_histogram": {"bucket_seconds": HISTOGRAM_BUCKET_SECONDS, "counts": _histogram(total.greet.values)},
        **_alert_delivery(data, figures["visits"], receipt_seconds),
        "by_topic": _by_topic(data.topics, greet_target),
    }


def overall(data: StatsData, *, greet_target: int) -> dict:
    """The window's figures as one row (no breakdowns): what the head office compares across sites."""
    ascending = (data.acknowledge_ms.ascending(), data.greet_ms.ascending(), data.complete_ms.ascending())
    total = _Breakdown(data, ascending, np.zeros(len(data.utc_hours), np.int64), 1)
    return total.figures(greet_target, service_time=True)[0]


def totals_figures(totals: WindowTotals, *, greet_target: int) -> dict:
    """What `overall` says of the same visits, for the head office's columns only: visits,
    acknowledge and greet p50/p90 (seconds), the share greeted within the target, alert delivery
    p50/p90 (whole ms). Each percentile is the same nearest-rank value, found by selection
    (np.partition, linear) instead of a sort: a year of 50 sites is 30 million durations."""
    greeted = len(totals.greet_ms)
    within = int(np.count_nonzero(totals.greet_ms <= greet_target * 1000))
    return {
        "visits": totals.visits,
        "acknowledge_seconds": {key: None if value is None else value / 1000
                                for key, value in _p50_p90(totals.acknowledge_ms).items()},
        "greet_seconds": {key: None if value is None else value / 1000
                          for key, value in _p50_p90(totals.greet_ms).items()},
        "greeted_within_target_pct": _pct(within, greeted + totals.abandoned),
        "alert_delivery_ms": _p50_p90(totals.alert_delivery_ms),
    }


def _p50_p90(values: np.ndarray) -> dict:
    """The nearest-rank p50 and p90 of `values` (None for none)."""
    if not len(values):
        return {"p50": None, "p90": None}
    ranks = [int(nearest_rank(len(values), percent)) - 1 for percent in (50, 90)]
    values.partition(ranks)
    return {"p50": int(values[ranks[0]]), "p90": int(values[ranks[1]])}


def _alert_delivery(data: StatsData, visits: int, receipt_seconds: int) -> dict:
    """Check-in → the first confirmed receipt on any board or channel of the assigned host (ms),
    overall and by kind of device; and the share of the window's visits whose alert reached
    none of them within `receipt_seconds` (those the ladder escalates as undelivered)."""
    first_receipt = _Ranked(data.alert_delivery_ms.ascending(), np.zeros(len(data.visits), np.int64), 1)
    reached = first_receipt.at_most(receipt_seconds * 1000)[0]
    devices = data.devices
    by_kind = _Ranked(devices.values_ms.ascending(), np.arange(len(devices.keys)), len(devices.keys))
    within = by_kind.at_most(receipt_seconds * 1000)
    return {
        "alert_delivery_ms": first_receipt.summaries(in_ms=True)[0],
        "alert_receipt_seconds": receipt_seconds,
        "alert_reached_nobody_pct": _pct(visits - reached, visits),
        "alert_delivery_by_kind": [
            {"kind": kind, "alerts": alerts, "alert_delivery_ms": summary,
             "within_receipt_pct": _pct(within[k], alerts)}
            for k, (kind, alerts, summary) in enumerate(zip(devices.keys, by_kind.counts.tolist(),
                                                            by_kind.summaries(in_ms=True)))
        ],
    }


def _by_topic(topics: Slices, greet_target: int) -> list[dict]:
    """Figures per topic (case folded), busiest first; topics given fewer than TOPIC_MIN_VISITS
    times are one "other" row, and visits without a topic one "not_given" row."""
    names: dict[str, str] = {}
    for key in topics.keys:
        if key is not None:
            names.setdefault(key.strip().casefold(), key.strip())
    folded = [None if key is None else key.strip().casefold() for key in topics.keys]
    visits_of: dict = {}
    for key, visits in zip(folded, topics.visits.tolist()):
        visits_of[key] = visits_of.get(key, 0) + visits
    groups = sorted({_topic_group(key, visits_of) for key in folded}, key=lambda group: (group[0] != "topic", group))
    position = {group: index for index, group in enumerate(groups)}
    slice_of_key = np.array([position[_topic_group(key, visits_of)] for key in folded], dtype=np.int64)
    greet = _Ranked(topics.values_ms.ascending(), slice_of_key, len(groups))
    visits = _per_slice(topics.visits, slice_of_key, len(groups))
    abandoned = _per_slice(topics.abandoned, slice_of_key, len(groups))
    within, greeted = greet.at_most(greet_target * 1000), greet.counts.tolist()
    rows = [{"topic": names[key] if kind == "topic" else None, "group": kind, "visits": visits[k],
             "abandoned": abandoned[k], "greet_seconds": summary,
             "greeted_within_target_pct": _pct(within[k], greeted[k] + abandoned[k])}
            for k, ((kind, key), summary) in enumerate(zip(groups, greet.summaries()))]
    order = {"topic": 0, "rare": 1, "not_given": 2}
    return sorted(rows, key=lambda row: (order[row["group"]], -row["visits"], row["topic"] or ""))


def _topic_group(key: str | None, visits_of: dict) -> tuple[str, str]:
    if key is None or not key:
        return ("not_given", "")
    return ("topic", key) if visits_of[key] >= TOPIC_MIN_VISITS else ("rare", "")


def _per_host(data: StatsData, hosts: _Breakdown, host_ids: list[int], greet_target: int) -> list[dict]:
    """One row per host with visits in the window, by name; stand-ins given count wherever they helped."""
    feedback_sum = hosts.count_values(data.feedback, weights=data.feedback.values)
    feedback_count = hosts.count_values(data.feedback)
    received = hosts.count_values(data.stand_ins)
    helpers, helped = np.unique(data.stand_ins.values, return_counts=True)
    given = dict(zip(helpers.tolist(), helped.tolist()))
    return [
        {"host": {"id": host_id, "name": data.host_names.get(host_id)}, **figures,
         "feedback_average": _average(feedback_sum[k], feedback_count[k]),
         "stand_ins_given": given.get(host_id, 0), "stand_ins_received": received[k]}
        for k, (host_id, figures) in enumerate(zip(host_ids, hosts.figures(greet_target, service_time=True)))
    ]


def _by_hour(hours: _Breakdown) -> list[dict]:
    visits = hours.count(hours.data.visits)
    return [{"hour": hour, "visits": visits[hour], "greet_seconds": greet, "complete_seconds": complete}
            for hour, (greet, complete) in enumerate(zip(hours.greet.summaries(), hours.complete.summaries()))]


def _heatmap(weekday_hours: _Breakdown) -> list[dict]:
    """Greeted visits and their median wait per local weekday (0 = Monday) and hour."""
    p50 = weekday_hours.greet.percentile_seconds(50)
    counts = weekday_hours.greet.counts.tolist()
    return [{"weekday": k // 24, "hour": k % 24, "visits": counts[k], "greet_p50": p50[k]}
            for k in range(7 * 24) if counts[k]]


def appointment_figures(appointments: list[tuple[str, str]], zone: ZoneInfo, now: datetime) -> dict:
    """The contract's `appointments`: of the appointments starting in the window and not
    cancelled (`(starts_at, status)` each), how many were booked, checked in, and no-shows.
    A no-show is one not checked in by the end of its start's day in the site's time zone;
    until that day is over, it is only booked."""
    checked_in = no_show = 0
    for starts_at, status in appointments:
        if status == "checked_in":
            checked_in += 1
        elif _end_of_local_day(starts_at, zone) <= now:
            no_show += 1
    return {"booked": len(appointments), "checked_in": checked_in, "no_show": no_show}


def appointments_by_weekday(appointments: list[tuple[str, str]], zone: ZoneInfo, now: datetime) -> list[dict]:
    """`appointment_figures` for each local weekday of the appointments' start (0 = Monday)."""
    days: list[list[tuple[str, str]]] = [[] for _ in range(7)]
    for starts_at, status in appointments:
        days[datetime.fromisoformat(starts_at.replace("Z", "+00:00")).astimezone(zone).weekday()].append(
            (starts_at, status))
    return [{"weekday": weekday, **appointment_figures(day, zone, now)} for weekday, day in enumerate(days)]


def _end_of_local_day(moment: str, zone: ZoneInfo) -> datetime:
    """The next local midnight after `moment` (an ISO UTC time), as an aware UTC datetime."""
    local_day = datetime.fromisoformat(moment.replace("Z", "+00:00")).astimezone(zone).date()
    return datetime.combine(local_day + timedelta(days=1), time(), tzinfo=zone).astimezone(UTC)


def window_extras(store, site_id: int, window: tuple[str, str], zone: ZoneInfo, now: datetime) -> dict:
    """The figures of the window read beside the grouped visits (the API and `gastgeber stats`
    both add them): who left on their own, how often the estimate held, appointments kept."""
    appointments = store.appointment_outcomes(site_id, *window)
    return {
        "left_by_customer": store.left_by_customer(site_id, *window),
        "estimate_calibration": calibration(store.estimate_outcomes(site_id, *window), zone),
        "appointments": appointment_figures(appointments, zone, now),
        "appointments_by_weekday": appointments_by_weekday(appointments, zone, now),
    }


def by_weekday_hour(data: StatsData, *, greet_target: int, zone: ZoneInfo) -> list[dict]:
    """Per local weekday (0 = Monday) and hour with visits: how many guests waited longer than the
    greet target for their greeting or left unseen (`waited_too_long`), and the median greet time.
    What the weekly digest ranks to find the hours that most need an extra pair of hands."""
    utc_hours = sorted(set(data.utc_hours))
    local = [_local_time(utc_hour, zone) for utc_hour in utc_hours]
    weekday_hour = np.array([weekday * 24 + hour for _, hour, weekday in local], dtype=np.int64)
    slots = _Breakdown(data, (data.acknowledge_ms.ascending(), data.greet_ms.ascending(), Numbers.empty()),
                       weekday_hour[_positions(data.utc_hours, utc_hours)], 7 * 24)
    visits, abandoned = slots.count(data.visits), slots.count(data.abandoned)
    greeted, within = slots.greet.counts.tolist(), slots.greet.at_most(greet_target * 1000)
    p50 = slots.greet.percentile_seconds(50)
    return [{"weekday": k // 24, "hour": k % 24, "visits": visits[k],
             "waited_too_long": greeted[k] - within[k] + abandoned[k], "greet_p50": p50[k]}
            for k in range(7 * 24) if visits[k]]
