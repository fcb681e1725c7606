"""Long reads off the event loop (store/slow_reads.py): `run_ahead` runs the next reads while one
answer is used (an export's next parts), answers in order, and raises a read's error in its place."""

from __future__ import annotations

import threading

import pytest

from kiosk.store.slow_reads import SlowReads


@pytest.fixture
def reads(db_path, store):
    return SlowReads(db_path, "threading")


def test_two_reads_run_at_once_and_the_answers_come_in_order(reads):
    second_started = threading.Event()

    def first(_store):
        return second_started.wait(10)  # True only if the second read ran meanwhile

    def second(_store):
        second_started.set()
        return "second"

    assert list(reads.run_ahead([first, second, lambda store: store.setting("motto")], at_once=2)) == [
        True, "second", None]


def test_one_at_a_time_waits_for_each(reads):
    started = []

    def read(number):
        def run(_store):
            started.append(number)
            return list(started)
        return run

    assert list(reads.run_ahead([read(1), read(2), read(3)], at_once=1)) == [[1], [1, 2], [1, 2, 3]]


def test_a_reads_error_is_raised_in_its_place(reads):
    def broken(_store):
        raise ValueError("no such window")

    answers = reads.run_ahead([lambda store: 1, broken, lambda store: 3], at_once=2)
    assert next(answers) == 1
    with pytest.raises(ValueError, match="no such window"):
        next(answers)
