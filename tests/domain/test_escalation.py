"""The escalation ladder with an injected clock: when, to whom, why, once, and across restarts."""

from types import SimpleNamespace

from kiosk.domain.site_settings import SiteSettings
from kiosk.store import Store
from kiosk.wiring import build_services


def sign_in(domain, *names):
    for name in names:
        domain.presence.board_connected(domain.host(name).id, f"board-{name}")


def deliver(domain, visit):
    domain.store.record_delivery(visit["id"], visit["host_id"], "board", "2026-11-23T09:00:00.100Z")


def escalations(domain):
    return [(e.level, e.reason, e.host_ids) for e in domain.named("visit.escalated")]


def test_unacknowledged_for_escalate_after_seconds_goes_to_every_available_host_once(domain):
    sign_in(domain, "Anna", "Ben", "Clara")
    domain.store.set_host_status(domain.host("Clara").id, "away")
    visit = domain.check_in()
    deliver(domain, visit)
    domain.wait(29.999)
    assert domain.escalator.tick() == 0
    domain.wait(0.001)
    assert domain.escalator.tick() == 1
    assert escalations(domain) == [("team", "timeout", (domain.host("Anna").id, domain.host("Ben").id))]
    assert domain.store.visit(visit["id"])["escalated_at"] == "2026-11-23T09:00:30.000Z"
    assert domain.escalator.tick() == 0


def test_still_waiting_after_the_second_threshold_reaches_the_managers(domain):
    sign_in(domain, "Anna")
    visit = domain.check_in()
    deliver(domain, visit)
    domain.wait(119)
    domain.escalator.tick()
    domain.wait(1)
    domain.escalator.tick()
    assert [level for level, _, _ in escalations(domain)] == ["team", "managers"]
    assert domain.store.visit(visit["id"])["escalated_to_managers_at"] == "2026-11-23T09:02:00.000Z"


def test_an_acknowledged_visit_does_not_escalate(domain):
    sign_in(domain, "Anna")
    visit = domain.check_in()
    deliver(domain, visit)
    domain.desk.act(domain.host("Anna"), visit["id"], "acknowledge")
    domain.wait(600)
    assert domain.escalator.tick() == 0 and escalations(domain) == []


def test_an_alert_no_board_confirmed_escalates_after_the_receipt_time(domain):
    sign_in(domain, "Anna", "Ben")
    domain.check_in()
    domain.wait(4.999)
    assert domain.escalator.tick() == 0
    domain.wait(0.001)
    assert domain.escalator.tick() == 1
    assert escalations(domain)[0][:2] == ("team", "undelivered")


def test_a_confirmed_alert_waits_for_the_normal_time(domain):
    sign_in(domain, "Anna")
    deliver(domain, domain.check_in())
    domain.wait(10)
    assert domain.escalator.tick() == 0


def test_nobody_signed_in_escalates_at_once(domain):
    visit = domain.check_in()
    assert escalations(domain) == [("team", "host_unavailable", ())]
    assert domain.store.visit(visit["id"])["escalation_reason"] == "host_unavailable"


def test_the_ladder_resumes_from_stored_times_after_a_restart(domain, db_path):
    sign_in(domain, "Anna", "Ben")
    visit = domain.check_in()
    deliver(domain, visit)
    domain.wait(10)
    domain.store.close()  # the server stops 10 s after the check-in ...

    restarted_store = Store(db_path)
    events = []
    restarted = build_services(domain.settings, restarted_store, domain.clock,
                               publisher_for=lambda presence: SimpleNamespace(publish=events.append))
    restarted.presence.board_connected(domain.host("Ben").id, "board-after-restart")
    domain.clock.advance(20)  # ... and is back before the 30 s are up
    restarted.presence.heartbeat()
    assert restarted.escalator.tick() == 1
    assert [(e.visit["id"], e.level, e.host_ids) for e in events if e.name == "visit.escalated"] == [
        (visit["id"], "team", (domain.host("Anna").id, domain.host("Ben").id)),  # Anna: within her grace time
    ]
    restarted_store.close()


def test_a_wall_clock_stepped_back_an_hour_does_not_hold_back_a_visit_due_by_monotonic_time(domain):
    sign_in(domain, "Anna", "Ben")
    visit = domain.check_in()
    deliver(domain, visit)
    domain.wait(1)
    assert domain.escalator.tick() == 0  # the serving process looks every second
    domain.clock.set_wall_clock_by(-3600)
    domain.wait(29)
    assert domain.escalator.tick() == 1
    assert escalations(domain)[0][:2] == ("team", "timeout")


def test_a_wall_clock_set_ahead_does_not_escalate_early(domain):
    sign_in(domain, "Anna", "Ben")
    deliver(domain, domain.check_in())
    domain.wait(1)
    domain.escalator.tick()
    domain.clock.set_wall_clock_by(3 * 3600)
    domain.wait(28)
    assert domain.escalator.tick() == 0 and escalations(domain) == []
    domain.wait(1)
    assert domain.escalator.tick() == 1
    assert [level for level, _, _ in escalations(domain)] == ["team"]  # not the managers: only 30 s passed


def test_a_site_whose_times_are_shortened_while_a_guest_waits_escalates_by_the_new_time(domain):
    sign_in(domain, "Anna", "Ben")
    visit = domain.check_in()
    deliver(domain, visit)
    domain.wait(1)
    assert domain.escalator.tick() == 0  # timed by the 30 s in force at check-in
    SiteSettings(domain.store, domain.clock, domain.settings).change(1, {"escalate_after_seconds": 12}, None)
    domain.wait(10.999)
    assert domain.escalator.tick() == 0
    domain.wait(0.001)
    assert domain.escalator.tick() == 1
    assert escalations(domain)[0][:2] == ("team", "timeout")


def test_a_guest_who_stepped_out_is_not_escalated_until_they_are_due_back(domain):
    sign_in(domain, "Anna", "Ben")
    visit = domain.check_in()
    deliver(domain, visit)
    domain.wait(1)
    domain.escalator.tick()
    domain.store.set_away_until(visit["id"], "2026-11-23T09:01:00.000Z")  # "back in a minute", at 09:00:01
    domain.wait(58.999)
    assert domain.escalator.tick() == 0
    domain.wait(0.001)
    assert domain.escalator.tick() == 1
    assert escalations(domain)[0][:2] == ("team", "timeout")


def test_a_board_confirming_after_the_ladder_first_looked_holds_the_team_step_to_the_normal_time(domain):
    sign_in(domain, "Anna", "Ben")
    visit = domain.check_in()
    domain.wait(1)
    assert domain.escalator.tick() == 0  # no receipt yet: due at 5 s unless a board confirms
    deliver(domain, visit)
    domain.wait(28.999)
    assert domain.escalator.tick() == 0 and escalations(domain) == []
    domain.wait(0.001)
    assert domain.escalator.tick() == 1
    assert escalations(domain)[0][:2] == ("team", "timeout")


def test_visits_checked_in_between_ticks_and_greeted_ones_are_each_timed_right(domain):
    sign_in(domain, "Anna", "Ben")
    first = domain.check_in(name="First")
    deliver(domain, first)
    domain.wait(10)
    domain.escalator.tick()
    second = domain.check_in(name="Second")
    deliver(domain, second)
    domain.wait(1)
    domain.escalator.tick()
    domain.desk.act(domain.host("Anna"), first["id"], "greet")
    domain.wait(29)  # the first would have been due 10 s ago, the second is due now
    assert domain.escalator.tick() == 1
    assert [e.visit["id"] for e in domain.named("visit.escalated")] == [second["id"]]
    assert set(domain.escalator.ladder.deadline_of) == {second["id"]}  # the greeted one is no longer timed
