"""The managers' weekly digest: what last week was like for the customers, for coaching the team.

Plain domain code: it takes a store and a clock, and reads the two weeks through the stats'
own `compute` (kiosk/domain/stats.py) on their windows, so the digest says what the stats page
says. What it holds ("Leistung, nicht Tätigkeit": outcomes for customers, never activity counts):

  * last week against the week before and the target: guests, median and p90 wait to greeting,
    the share greeted within the target, guests who left unseen;
  * the three hours that most need an extra pair of hands: the local weekday and hour in which
    the most guests waited longer than the target for their greeting or left unseen;
  * the host whose guests a colleague greeted most often, asked as a question of scheduling
    ("does their calendar leave room for walk-ins?"), never as blame;
  * the wait estimate's calibration: the share of guests greeted within the high end of the
    wait they were told.

No customer's name is read or written: hosts are named, they are staff.

"Last week" is the seven local days before the digest's day; the digest's day is the manager's
weekday, from their chosen local hour on (DEFAULT_HOUR until chosen; a server that was down then
catches up within CATCH_UP_HOURS). Its key is that day's ISO week: one digest per manager and week.

The hour is a wall-clock hour in the site's zone, compared as an instant: in a week whose
clocks change it still comes at that local hour. An hour the clocks skip (02:00 when they
spring forward) comes at the jump; an hour that happens twice (when they fall back) comes the
first time, and the week's key keeps it from coming again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kiosk.clock import to_iso
from kiosk.domain.estimates import calibration
from kiosk.domain.stats import by_weekday_hour, compute

DEFAULT_HOUR = 8  # local time on the manager's weekday, until they choose another
HOURS = range(24)
CATCH_UP_HOURS = 48  # a digest missed while the server was down still goes out this long after its time
BUSY_HOURS = 3


@dataclass(frozen=True)
class DigestDay:
    """The day a digest is about: `day` (local), its ISO `week` key, last week's and the week before's windows."""

    day: date
    week: str
    last: tuple[str, str]
    before: tuple[str, str]


def digest_day(day: date, zone: ZoneInfo) -> DigestDay:
    def midnight(local: date) -> str:
        return to_iso(datetime.combine(local, time(0), zone))

    year, number, _ = day.isocalendar()
    return DigestDay(day=day, week=f"{year}-W{number:02d}",
                     last=(midnight(day - timedelta(days=7)), midnight(day)),
                     before=(midnight(day - timedelta(days=14)), midnight(day - timedelta(days=7))))


def due_day(now: datetime, zone: ZoneInfo, weekday: int, hour: int = DEFAULT_HOUR) -> DigestDay | None:
    """The digest day of `weekday` that is due at `now`: the latest such local day whose `hour`
    has passed, if that was less than CATCH_UP_HOURS ago."""
    local = now.astimezone(zone)
    day = local.date() - timedelta(days=(local.weekday() - weekday) % 7)
    if _starts(day, hour, zone) > now:
        day -= timedelta(days=7)
    late = now - _starts(day, hour, zone)
    return digest_day(day, zone) if late < timedelta(hours=CATCH_UP_HOURS) else None


def _starts(day: date, hour: int, zone: ZoneInfo) -> datetime:
    """The instant (UTC) of `hour` on the local `day`: aware datetimes of one zone compare by
    their wall clock, so the comparison is made in UTC."""
    return datetime.combine(day, time(hour), zone).astimezone(UTC)


def _week_figures(stats: dict) -> dict:
    return {"visits": stats["visits"], "greet_p50": stats["greet_seconds"]["p50"],
            "greet_p90": stats["greet_seconds"]["p90"], "within_target_pct": stats["greeted_within_target_pct"],
            "abandoned": stats["abandoned"]}


def busiest_hours(slots: list[dict], most: int = BUSY_HOURS) -> list[dict]:
    """The hours in which the most guests waited too long (ties: the longer median wait, then the earlier hour)."""
    needy = [slot for slot in slots if slot["waited_too_long"] > 0]
    needy.sort(key=lambda slot: (-slot["waited_too_long"], -(slot["greet_p50"] or 0), slot["weekday"], slot["hour"]))
    return needy[:most]


def most_stood_in_for(per_host: list[dict]) -> dict | None:
    """The host whose guests a colleague greeted or acknowledged most often (none if nobody's were)."""
    hosts = [row for row in per_host if row["stand_ins_received"] > 0]
    if not hosts:
        return None
    top = max(hosts, key=lambda row: (row["stand_ins_received"], -row["host"]["id"]))
    return {"name": top["host"]["name"], "stand_ins": top["stand_ins_received"], "visits": top["visits"]}


def figures(store, site_id: int, day: DigestDay, settings: dict) -> dict:
    """The digest's figures for `day` from the site's own history; `settings`: the site's in force."""
    zone = ZoneInfo(settings["timezone"])
    target = settings["greet_target_seconds"]

    def week(window):
        data = store.stats_data(site_id, *window)
        stats = compute(data, greet_target=target, acknowledge_target=settings["acknowledge_target_seconds"],
                        zone=zone, window=window, receipt_seconds=settings["alert_receipt_seconds"])
        return data, stats

    last_data, last = week(day.last)
    _, before = week(day.before)
    return {
        "week": day.week,
        "first_day": (day.day - timedelta(days=7)).isoformat(),
        "last_day": (day.day - timedelta(days=1)).isoformat(),
        "target_seconds": target,
        "last": _week_figures(last),
        "before": _week_figures(before),
        "by_weekday": _by_weekday(day.day - timedelta(days=7), last["by_day"], before["by_day"]),
        "busy_hours": busiest_hours(by_weekday_hour(last_data, greet_target=target, zone=zone)),
        "stand_ins": most_stood_in_for(last["per_host"]),
        "calibration": {"last": calibration(store.estimate_outcomes(site_id, *day.last), zone),
                        "before": calibration(store.estimate_outcomes(site_id, *day.before), zone)},
    }


def _by_weekday(first_day: date, last_days: list[dict], before_days: list[dict]) -> list[dict]:
    """Each day of last week, in order, with its median wait to greeting and that of the same
    weekday the week before (None: no guest greeted): what the chart draws."""
    def medians(days):
        return {date.fromisoformat(row["date"]).weekday(): row["greet_seconds"]["p50"] for row in days}

    last, before = medians(last_days), medians(before_days)
    days = [first_day + timedelta(days=k) for k in range(7)]
    return [{"date": day.isoformat(), "weekday": day.weekday(), "last": last.get(day.weekday()),
             "before": before.get(day.weekday())} for day in days]
