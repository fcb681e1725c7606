"""The long reads' process (runtime/read_process.py): a read made there answers what it
answers in the serving process, an error comes back as the same exception, and a process
that died is started again at the next read, so a manager's stats never hang on a dead helper."""

from __future__ import annotations

import functools
import os
import signal

import pytest

from kiosk.domain import head_office
from kiosk.domain.errors import Invalid
from kiosk.domain.export import export_part
from kiosk.runtime.read_process import ReadProcess
from kiosk.store import Store


@pytest.fixture(scope="module")
def reading():
    made = ReadProcess()
    yield made
    made.close()


def test_a_read_in_the_reading_process_answers_from_the_database(reading, domain, db_path):
    domain.check_in("Maria Lopez")
    here = export_part(domain.store, 1, ("2000-01-01T00:00:00.000Z", "2100-01-01T00:00:00.000Z"), None, None)
    there = reading.run(db_path, functools.partial(export_part, site_id=1, window=(
        "2000-01-01T00:00:00.000Z", "2100-01-01T00:00:00.000Z"), after=None, upto=None))
    assert there == here and there.count(b"\r\n") == 2  # the header and the one visit


def test_a_read_that_fails_raises_the_same_error_here(reading, db_path, store):
    with pytest.raises(TypeError, match="key"):
        reading.run(db_path, functools.partial(Store.setting))  # no key: the read itself is wrong


def test_a_reading_process_that_died_is_started_again_at_the_next_read(reading, db_path, store):
    store.set_setting("motto", "We noticed you")
    assert reading.run(db_path, functools.partial(Store.setting, key="motto")) == "We noticed you"
    os.kill(reading.process.pid, signal.SIGKILL)
    reading.process.wait()
    assert reading.run(db_path, functools.partial(Store.setting, key="motto")) == "We noticed you"


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="SCHED_IDLE is Linux's")
def test_the_reading_process_runs_only_on_a_core_the_door_does_not_need(reading, db_path, store):
    store.set_setting("motto", "We noticed you")
    reading.run(db_path, functools.partial(Store.setting, key="motto"))
    assert os.sched_getscheduler(reading.process.pid) == os.SCHED_IDLE
    assert os.getpriority(os.PRIO_PROCESS, reading.process.pid) == os.getpriority(os.PRIO_PROCESS, 0) + 10


def test_the_head_offices_rows_are_read_there_and_a_bad_window_comes_back_with_its_field(reading, domain, db_path):
    domain.check_in("Maria Lopez")
    settings_of = {1: {"timezone": "Europe/Berlin", "greet_target_seconds": 120}}
    now = domain.clock.now()
    here = head_office.all_rows(domain.store, settings_of, now, None, "2026-11-24")
    there = reading.run(db_path, functools.partial(head_office.all_rows, settings_of=settings_of, now=now,
                                                   from_text=None, to_text="2026-11-24"))
    assert there == here and there[0]["visits"] == 1
    with pytest.raises(Invalid) as refused:
        reading.run(db_path, functools.partial(head_office.all_rows, settings_of=settings_of, now=now,
                                               from_text="2026-13-45", to_text=None))
    assert refused.value.field == "from"
