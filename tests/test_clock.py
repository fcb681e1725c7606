"""Clocks: monotonic time goes on whatever is done to the wall clock, and a jump is logged."""

import logging

from kiosk.clock import ClockWatch, FixedClock, SteadyAges

DAY = 86400


def warnings(caplog):
    return [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]


def test_a_wall_clock_jump_is_logged_once_with_its_size(caplog):
    clock = FixedClock()
    watch = ClockWatch(clock)
    clock.advance(1)
    with caplog.at_level(logging.WARNING, logger="kiosk.clock"):
        assert watch.check() == 0
        clock.set_wall_clock_by(100 * DAY)
        clock.advance(1)
        assert watch.check() == 100 * DAY
        clock.advance(1)
        assert watch.check() == 0  # once, not on every look after it
        clock.set_wall_clock_by(-3600)
        watch.check()
    ahead, back = warnings(caplog)
    assert "the wall clock jumped ahead by 100 days, 0:00:00" in ahead
    assert "the wall clock jumped back by 1:00:00" in back


def test_small_corrections_are_no_jump(caplog):
    clock = FixedClock()
    watch = ClockWatch(clock)
    with caplog.at_level(logging.WARNING, logger="kiosk.clock"):
        for _ in range(10):
            clock.advance(1)
            clock.set_wall_clock_by(60)  # ten minutes of correction in all, a minute at a time
            assert watch.check() == 0
    assert warnings(caplog) == []


def test_an_age_once_seen_grows_by_monotonic_time_only():
    clock = FixedClock("2026-11-23T09:00:10.000Z")
    ages = SteadyAges(clock)
    assert ages.age_ms("visit", "2026-11-23T09:00:00.000Z") == 10_000
    clock.set_wall_clock_by(-3600)
    clock.advance(5)
    assert ages.age_ms("visit", "2026-11-23T09:00:00.000Z") == 15_000
    assert ages.age_ms("in the future", "2026-11-23T10:00:00.000Z") == 0  # never below nothing
