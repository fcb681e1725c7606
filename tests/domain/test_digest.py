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


def test_the_digest_day_is_the_managers_weekday_from_8_local_by_default_and_catches_up_two_days():
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


def test_a_chosen_hour_is_due_from_that_hour_not_a_minute_before():
    def due(moment, hour, weekday=0):
        day = due_day(FixedClock(moment).now(), BERLIN, weekday, hour)
        return day and day.day.isoformat()

    assert due("2026-11-23T15:59:59.000Z", 17) is None  # 16:59:59 in Berlin
    assert due("2026-11-23T16:00:00.000Z", 17) == "2026-11-23"
    assert due("2026-11-25T15:59:00.000Z", 17) == "2026-11-23"  # still caught up 48 hours on
    assert due("2026-11-25T16:00:00.000Z", 17) is None
    assert due("2026-11-22T23:00:00.000Z", 0) == "2026-11-23"  # midnight: the day's first minute
    assert due("2026-11-23T21:59:59.000Z", 23) is None and due("2026-11-23T22:00:00.000Z", 23) == "2026-11-23"


def test_a_chosen_hour_holds_in_the_weeks_the_clocks_change():
    def due(moment, hour, weekday=6):
        day = due_day(FixedClock(moment).now(), BERLIN, weekday, hour)
        return day and day.day.isoformat()

    # Sunday 29 March 2026: 02:00 CET jumps to 03:00 CEST (01:00 UTC)
    assert due("2026-03-29T05:59:59.000Z", 8) is None and due("2026-03-29T06:00:00.000Z", 8) == "2026-03-29"
    assert due("2026-03-30T05:59:59.000Z", 8, 0) is None  # the Monday after: 08:00 CEST is 06:00 UTC
    assert due("2026-03-30T06:00:00.000Z", 8, 0) == "2026-03-30"
    assert due("2026-03-29T00:59:59.000Z", 2) is None  # 02:00 never shows on the clock: due at the jump
    assert due("2026-03-29T01:00:00.000Z", 2) == "2026-03-29"
    # Sunday 25 October 2026: 03:00 CEST falls back to 02:00 CET (01:00 UTC); 02:00 happens twice
    assert due("2026-10-24T23:59:59.000Z", 2) is None and due("2026-10-25T00:00:00.000Z", 2) == "2026-10-25"
    assert due("2026-10-25T06:59:59.000Z", 8) is None and due("2026-10-25T07:00:00.000Z", 8) == "2026-10-25"
    assert due("2026-10-27T06:59:59.000Z", 8) == "2026-10-25"  # 48 real hours of catching up, not 49
    assert due("2026-10-27T07:00:00.000Z", 8) is None


def test_the_managers_hour_decides_when_their_digest_is_made_and_it_is_made_once(wired):
    services, site = wired
    maria = manager(services, site)
    services.digests.channels.settings["notify_allow_private_addresses"] = True
    services.digests.add_channel(maria, {"url": "json://127.0.0.1:9/digest"})
    assert services.digests.choose(maria, {"hour": 17})["hour"] == 17  # Monday 08:30 in Berlin now
    assert services.store.digest_choice(maria.id) == {"enabled": True, "weekday": 0, "hour": 17}
    assert services.digests.queue_due() == 0
    services.clock.advance(8 * 3600 + 29 * 60 + 59)  # 16:59:59
    assert services.digests.queue_due() == 0
    services.clock.advance(1)
    assert services.digests.queue_due() == 1
    for later in (60, 3600, 24 * 3600):  # the scheduler's next looks, and after a restart
        services.clock.advance(later)
        assert build_services(services.settings, services.store, services.clock).digests.queue_due() == 0
    (made,) = services.store.db.execute("SELECT week, made_at FROM digests").fetchall()
    assert made == ("2026-W48", "2026-11-23T16:00:00.000Z")


def test_a_later_hour_chosen_after_the_week_s_digest_went_out_sends_nothing_twice(wired):
    services, site = wired
    maria = manager(services, site)
    services.digests.channels.settings["notify_allow_private_addresses"] = True
    services.digests.add_channel(maria, {"url": "json://127.0.0.1:9/digest"})
    assert services.digests.queue_due() == 1  # 08:30, the default hour has passed
    services.digests.choose(maria, {"hour": 9})
    services.clock.advance(3600)
    assert services.digests.queue_due() == 0


@pytest.mark.parametrize("hour", [24, -1, "8", 8.0, True, None])
def test_an_hour_that_is_not_a_whole_hour_of_the_day_is_refused(wired, hour):
    from kiosk.domain.errors import Invalid

    services, site = wired
    with pytest.raises(Invalid) as refused:
        services.digests.choose(manager(services, site), {"hour": hour})
    assert (refused.value.field, refused.value.code) == ("hour", "digest_hour")


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
