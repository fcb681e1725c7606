"""Honest wait estimates (kiosk/domain/estimates.py): from the site's own history, or none."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from kiosk.clock import to_iso
from kiosk.domain.estimates import WaitEstimates, calibration, estimate_range

ZONE = ZoneInfo("Europe/Berlin")


def history(domain, greet_seconds: list[int], *, weeks_back: int = 1, host=None):
    """Greeted visits at this weekday and hour, `weeks_back` weeks ago."""
    host_id = (host or domain.site["hosts"][0])["id"]
    base = domain.clock.now() - timedelta(weeks=weeks_back)
    for number, seconds in enumerate(greet_seconds):
        arrived = base + timedelta(seconds=number)
        domain.store.insert_visit({
            "site_id": 1, "kiosk_id": domain.site["kiosk"]["id"], "client_id": f"h-{weeks_back}-{number}-{host_id}",
            "host_id": host_id, "status": "completed", "arrived_at": to_iso(arrived),
            "greeted_at": to_iso(arrived + timedelta(seconds=seconds)), "completed_at": to_iso(arrived + timedelta(
                seconds=seconds + 60)),
        }, {"site_id": 1, "name": "Past Guest", "created_at": to_iso(arrived)})


def estimator(domain):
    return WaitEstimates(domain.store, domain.clock, zone_of=lambda site_id: ZONE)


def test_too_little_history_gives_no_estimate(domain):
    history(domain, [60] * 9)
    visit = domain.check_in()
    assert estimator(domain).for_visit(visit, 0) is None


def test_the_range_is_the_quartile_to_the_90th_percentile_of_this_hours_greet_times(domain):
    history(domain, list(range(30, 130, 10)) * 2, weeks_back=2)  # 30…120 s, twenty visits
    history(domain, [5000] * 20, weeks_back=9)  # older than eight weeks: not read
    visit = domain.check_in()
    assert estimator(domain).for_visit(visit, 0) == {"low": 50, "high": 110}


def test_customers_ahead_widen_the_range_and_time_waited_narrows_it(domain):
    history(domain, list(range(30, 130, 10)) * 2)
    visit = domain.check_in()
    assert estimator(domain).for_visit(visit, 2) == {"low": 100, "high": 220}
    domain.clock.advance(45)
    later = estimator(domain).for_visit(visit, 0)
    assert later == {"low": 15, "high": 75}  # of those who waited over 45 s: what was left


def test_each_new_estimate_is_logged_once(domain):
    history(domain, [60] * 12)
    visit = domain.check_in()
    estimates = estimator(domain)
    estimates.for_visit(visit, 0)
    estimates.for_visit(visit, 0)
    assert domain.store.last_wait_estimate(visit["id"])["high_seconds"] == 60
    assert len(domain.store.estimate_outcomes(1, "2026-01-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z")) == 1


def test_calibration_counts_greetings_within_the_high_end_per_week():
    given = "2026-11-23T09:00:00.000Z"  # a Monday
    outcomes = [
        {"given_at": given, "high_seconds": 60, "greeted_at": "2026-11-23T09:00:59.000Z"},
        {"given_at": given, "high_seconds": 60, "greeted_at": "2026-11-23T09:01:01.000Z"},
        {"given_at": given, "high_seconds": 60, "greeted_at": None},
        {"given_at": "2026-11-30T09:00:00.000Z", "high_seconds": 60, "greeted_at": "2026-11-30T09:00:10.000Z"},
    ]
    assert calibration(outcomes, ZONE) == {
        "estimates": 3, "within_high_pct": 66.7,
        "per_week": [{"week": "2026-11-23", "estimates": 2, "within_high_pct": 50.0},
                     {"week": "2026-11-30", "estimates": 1, "within_high_pct": 100.0}]}


def test_estimate_range_never_promises_less_than_a_second():
    assert estimate_range([1] * 10, 0, 0) == {"low": 0, "high": 1}
