"""The weekly digest's figures on a hand-computed fixture (tests/support/digest.py), when it is
due in the site's time zone, what it says in each language, and that it is made once per week."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from kiosk.clock import FixedClock
from kiosk.domain import config
from kiosk.domain.digest import due_day
from kiosk.domain.digest_render import Words, html, text
from kiosk.wiring import build_services, texts_for
from tests.support.demo import demo_site
from tests.support.digest import DIGEST_DAY, MONDAY_MORNING, two_weeks

BERLIN = ZoneInfo("Europe/Berlin")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def wired(store, monkeypatch):
    clock = FixedClock(MONDAY_MORNING)
    settings = config.defaults() | {"db": str(store.path)}
    site = demo_site(store, clock, monkeypatch)
    services = build_services(settings, store, clock)
    two_weeks(store, site)
    return services, site


def manager(services, site):
    from kiosk.domain.auth import Principal

    return Principal("manager", site["manager"]["id"], site["manager"]["name"], 1, site["site"])


def test_the_digest_day_is_the_managers_weekday_from_8_local_and_catches_up_two_days():
    def due(moment, weekday=0):
        day = due_day(FixedClock(moment).now(), BERLIN, weekday)
        return day and (day.day.isoformat(), day.week)

    assert due("2026-11-23T06:59:59.000Z") is None  # 07:59 in Berlin: not yet (last week's was 7 days ago)
    assert due("2026-11-23T07:00:00.000Z") == ("2026-11-23", "2026-W48")
    assert due("2026-11-25T06:59:00.000Z") == ("2026-11-23", "2026-W48")  # a server down on Monday catches up
    assert due("2026-11-25T07:00:00.000Z") is None  # 48 hours on: too late, next week's comes
    assert due("2026-11-25T07:00:00.000Z", weekday=2) == ("2026-11-25", "2026-W48")
    summer = due_day(FixedClock("2026-07-06T06:00:00.000Z").now(), BERLIN, 0)  # 08:00 CEST is 06:00 UTC
    assert summer.last == ("2026-06-28T22:00:00.000Z", "2026-07-05T22:00:00.000Z")


def test_the_figures_worked_out_by_hand(wired):
    services, site = wired
    day = services.digests.preview_day(manager(services, site))
    assert (day.day, day.week) == (date.fromisoformat(DIGEST_DAY), "2026-W48")
    assert day.last == ("2026-11-15T23:00:00.000Z", "2026-11-22T23:00:00.000Z")
    figures = services.digests.figures(1, day)
    assert (figures["first_day"], figures["last_day"], figures["target_seconds"]) == ("2026-11-16", "2026-11-22", 120)
    assert figures["last"] == {"visits": 11, "greet_p50": 140, "greet_p90": 300, "within_target_pct": 27.3,
                               "abandoned": 1}
    assert figures["before"] == {"visits": 2, "greet_p50": 60, "greet_p90": 90, "within_target_pct": 100.0,
                                 "abandoned": 0}
    assert [(s["weekday"], s["hour"], s["waited_too_long"], s["greet_p50"]) for s in figures["busy_hours"]] == [
        (1, 11, 4, 150), (2, 14, 2, 130), (4, 10, 1, 500)]
    assert figures["stand_ins"] == {"name": "Ben", "stand_ins": 2, "visits": 3}
    last, before = figures["calibration"]["last"], figures["calibration"]["before"]
    assert (last["estimates"], last["within_high_pct"], before["within_high_pct"]) == (4, 50.0, 100.0)
    tuesday = figures["by_weekday"][1]
    assert (tuesday["date"], tuesday["last"], tuesday["before"]) == ("2026-11-17", 150, 60)


def test_it_reads_in_the_managers_language_and_never_names_a_customer(wired):
    services, site = wired
    figures = services.digests.figures(1, services.digests.preview_day(manager(services, site)))
    english = text(figures, Words(texts_for("en"), "en"), site="main", link="https://door.example.org/stats")
    assert "Median wait to greeting: 2:20 min (the week before: 1:00 min)" in english
    assert "Tue 11:00–12:00: guests who waited longer than 2:00 min: 4 (median wait 2:30 min)" in english
    assert "Does Ben's calendar leave room for walk-ins" in english
    assert "50%" in english and "https://door.example.org/stats" in english
    german = text(figures, Words(texts_for("de"), "de"), site="main", link="x")
    assert "Di. 11:00–12:00: Gäste, die länger als 2:00 Min. warteten: 4" in german and "27,3\u00a0%" in german
    arabic = html(figures, Words(texts_for("ar"), "ar"), site="main", link="x")
    assert 'dir="rtl"' in arabic and "cid:digest-chart.png" in arabic
    for language in ("de", "en", "tr", "ar"):
        words = Words(texts_for(language), language)
        for made in (text(figures, words, site="main", link="x"), html(figures, words, site="main", link="x")):
            assert "Secret Guestname" not in made and "digest." not in made, language


def test_a_digest_is_made_once_per_manager_and_week_and_not_when_turned_off(wired):
    services, site = wired
    maria = manager(services, site)
    assert services.digests.queue_due() == 0  # no channel yet: nothing to make
    services.digests.channels.settings["notify_allow_private_addresses"] = True
    services.digests.add_channel(maria, {"url": "json://127.0.0.1:9/digest"})
    assert services.digests.queue_due() == 1
    made = services.store.digest_of_week(maria.id, "2026-W48")
    assert made["chart_png"].startswith(PNG_SIGNATURE) and made["language"] == "de"
    assert len(services.store.digest_notices_of(made["id"])) == 1
    again = build_services(services.settings, services.store, services.clock)  # a restarted scheduler
    assert again.digests.queue_due() == 0 and services.digests.run_if_due() == 0
    assert len(services.store.digest_notices_of(made["id"])) == 1
    services.store.db.execute("DELETE FROM digest_notices")
    services.store.db.execute("DELETE FROM digests")
    services.digests.choose(maria, {"enabled": False})
    assert services.digests.queue_due() == 0
    services.digests.choose(maria, {"enabled": True, "weekday": 2})  # Wednesdays: not due on a Monday
    assert services.digests.queue_due() == 0
