"""The branch's side: one site's local day as the head office compares it.

Only numbers leave the branch: how many visits, how fast they were acknowledged and greeted
(the day's p50/p90 and a histogram of whole seconds), how many were greeted within the site's
target, appointments booked, kept and missed, and how fast alerts reached the host (p50/p90
and a histogram of whole milliseconds). No name, topic, note or contact of anyone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from kiosk.clock import to_iso
from kiosk.domain.branches import histograms
from kiosk.domain.stats import appointment_figures

SECOND_MS = 1000


def local_day_window(day: str, zone: ZoneInfo) -> tuple[str, str]:
    """[local midnight of `day`, the next local midnight) as stored UTC times."""
    start = date.fromisoformat(day)
    return (to_iso(datetime.combine(start, time(0), zone)),
            to_iso(datetime.combine(start + timedelta(days=1), time(0), zone)))


def day_summary(store, site: dict, settings: dict, day: str, now: datetime) -> dict:
    """The body sent for one site (`{"id", "name"}`) and local `day`, with the site's settings in force."""
    zone = ZoneInfo(settings["timezone"])
    start, end = local_day_window(day, zone)
    data = store.stats_data(site["id"], start, end)
    target_ms = settings["greet_target_seconds"] * SECOND_MS
    abandoned = int(data.abandoned.sum())
    return {
        "site": {"id": site["id"], "name": site["name"], "timezone": settings["timezone"]},
        "day": day,
        "visits": int(data.visits.sum()),
        "abandoned": abandoned,
        "acknowledge_seconds": _durations(data.acknowledge_ms.values, SECOND_MS),
        "greet_seconds": _durations(data.greet_ms.values, SECOND_MS),
        "within_target": {"target_seconds": settings["greet_target_seconds"],
                          "greeted": int((data.greet_ms.values <= target_ms).sum()),
                          "of": len(data.greet_ms.values) + abandoned},
        "appointments": appointment_figures(store.appointment_outcomes(site["id"], start, end), zone, now),
        "alert_delivery_ms": _durations(data.alert_delivery_ms.values, 1),
    }


def _durations(millis: np.ndarray, unit_ms: int) -> dict:
    """The day's p50 and p90 in the unit, and the histogram they (and any window's) are read from."""
    pairs = histograms.of_millis(millis, unit_ms)
    values = np.array([value for value, _ in pairs], dtype=np.int64)
    counts = np.array([count for _, count in pairs], dtype=np.int64)
    return {**histograms.spread(values, counts), "histogram": pairs}
