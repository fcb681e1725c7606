"""One leader among several server processes: it runs the ladder; a dead leader is replaced."""

from kiosk.domain.presence import Presence
from kiosk.runtime.scheduler import LOCK_SECONDS, Scheduler
from kiosk.store import Store


def scheduler_for(db_path, clock, process_id, runs):
    presence = Presence(Store(db_path), clock, 60, process_id=process_id)
    return Scheduler(presence.store, clock, presence, [lambda: runs.append(process_id)])


def test_only_the_lock_holder_runs_the_jobs_and_another_takes_over_when_it_stops(domain, db_path):
    runs = []
    first = scheduler_for(db_path, domain.clock, "a", runs)
    second = scheduler_for(db_path, domain.clock, "b", runs)
    for _ in range(3):
        first.tick()
        second.tick()
        domain.clock.advance(1)
    assert runs == ["a", "a", "a"]
    domain.clock.advance(LOCK_SECONDS)  # "a" died: its lock runs out
    second.tick()
    first_back = first.is_leader()
    assert runs[-1] == "b" and not first_back


def test_a_failing_job_does_not_stop_the_others(domain, db_path):
    runs = []
    presence = Presence(domain.store, domain.clock, 60, process_id="solo")

    def broken():
        raise RuntimeError("boom")

    Scheduler(domain.store, domain.clock, presence, [broken, lambda: runs.append("ran")]).tick()
    assert runs == ["ran"]


def test_the_event_loop_gets_a_turn_before_each_job_so_check_ins_wait_for_one_job_not_a_whole_tick(domain):
    order = []
    presence = Presence(domain.store, domain.clock, 60, process_id="solo")
    scheduler = Scheduler(domain.store, domain.clock, presence,
                          [lambda: order.append("ladder"), lambda: order.append("team")],
                          own_jobs=[(1, lambda: order.append("clock"))], pause=lambda: order.append("pause"))
    scheduler.tick()
    # unrecorded between the pauses: the presence heartbeat (before "clock") and taking the lock (before "ladder")
    assert order == ["pause", "pause", "clock", "pause", "pause", "ladder", "pause", "team"]
