"""The visit loop's use cases on a real database, with an injected clock and no Flask."""

from zoneinfo import ZoneInfo

import pytest

from kiosk.domain.domain_events import VisitArrived
from kiosk.domain.errors import Conflict, Invalid
from kiosk.domain.stats import compute


def sign_in(domain, *names):
    for name in names:
        domain.presence.board_connected(domain.host(name).id, f"board-{name}")


def serve(domain, visit, name):
    """The named host greets and completes the visit."""
    host = domain.host(name)
    domain.desk.act(host, visit["id"], "greet")
    return domain.desk.act(host, visit["id"], "complete", "All done")


def test_a_new_customer_without_contact_is_a_new_record_each_time(domain):
    first = domain.check_in("Zoë")
    second = domain.check_in("Zoë")
    assert first["customer_id"] != second["customer_id"]


def test_the_first_host_to_greet_becomes_the_customers_own_host_and_gets_them_next_time(domain):
    sign_in(domain, "Anna", "Ben", "Clara")
    first = domain.check_in("Zoë", phone="+49 171 2345678")
    serve(domain, first, "Clara")
    assert domain.store.customer(first["customer_id"])["host_id"] == domain.host("Clara").id
    domain.check_in("Someone")  # Clara is now the most loaded of the three
    domain.desk.act(domain.host("Clara"), domain.check_in("Other")["id"], "acknowledge")
    again = domain.check_in("Zoe", phone="0171 234 5678")
    assert again["customer_id"] == first["customer_id"]
    assert (again["host_name"], again["assignment_reason"]) == ("Clara", "dedicated")


def test_a_returning_customers_alert_carries_their_history(domain):
    sign_in(domain, "Anna")
    first = domain.check_in("Zoë", email="zoe@example.org")
    serve(domain, first, "Anna")
    domain.store.insert_feedback(first["id"], 3, "2026-11-23T09:30:00.000Z")
    domain.check_in("Zoë", email="ZOE@example.org ", topic="loans")
    context = domain.named("visit.arrived")[-1].context
    assert context["returning"] is True and context["own_host"]["name"] == "Anna"
    assert context["topic"] == "loans"
    assert context["previous_visits"] == [{
        "arrived_at": first["arrived_at"], "status": "completed",
        "host": {"id": domain.host("Anna").id, "name": "Anna"},
        "note": "All done", "feedback": 3,
    }]


def test_a_known_customer_with_an_open_visit_gets_that_visit_not_a_second_one(domain):
    first = domain.check_in("Zoë", phone="0171 2345678")
    typed = {"name": "Zoë", "client_id": "other-tap", "phone": "+491712345678"}
    again, created = domain.desk.check_in(domain.kiosk, typed)
    assert created is True and again["id"] == first["id"]  # answered like a new one: no tell of who is known
    assert len(domain.store.open_visits(1)) == 1


def test_the_own_host_away_passes_the_visit_to_an_available_colleague(domain):
    sign_in(domain, "Anna", "Ben")
    first = domain.check_in("Zoë", phone="0171 2345678")
    serve(domain, first, "Ben")
    domain.store.set_host_status(domain.host("Ben").id, "away")
    again = domain.check_in("Zoë", phone="0171 2345678")
    assert (again["host_name"], again["assignment_reason"]) == ("Anna", "least_loaded")
    assert domain.store.customer(again["customer_id"])["host_id"] == domain.host("Ben").id  # still Ben's customer


def test_a_stand_in_who_greets_does_not_take_the_customer_over(domain):
    sign_in(domain, "Anna", "Ben")
    first = domain.check_in("Zoë", phone="0171 2345678")
    serve(domain, first, "Anna")
    second = domain.check_in("Zoë", phone="0171 2345678")
    greeted = domain.desk.act(domain.host("Ben"), second["id"], "greet")
    assert greeted["acknowledged_by"] == domain.host("Ben").id
    assert (greeted["host_name"], greeted["customer_host_name"]) == ("Anna", "Anna")


def test_reassigning_a_customer_is_logged_with_who_and_when(domain):
    visit = domain.check_in("Zoë", phone="0171 2345678")
    serve(domain, visit, "Anna")
    domain.wait(60)
    answer = domain.desk.reassign_customer(domain.principal("manager", domain.site["manager"]),
                                           visit["customer_id"], domain.host("Clara").id)
    assert answer["host"]["name"] == "Clara"
    changes = domain.store.customer_host_changes(visit["customer_id"])
    assert [(c["from_host_id"], c["to_host_id"], c["changed_by_role"], c["changed_at"]) for c in changes] == [
        (None, domain.host("Anna").id, "host", "2026-11-23T09:00:00.000Z"),
        (domain.host("Anna").id, domain.host("Clara").id, "manager", "2026-11-23T09:01:00.000Z"),
    ]
    with pytest.raises(Invalid):
        domain.desk.reassign_customer(domain.host("Anna"), visit["customer_id"], 999)


def test_a_deactivated_own_host_falls_back_through_the_policy(domain):
    sign_in(domain, "Anna", "Ben")
    visit = domain.check_in("Zoë", phone="0171 2345678")
    serve(domain, visit, "Ben")
    domain.store.deactivate_host(domain.host("Ben").id, "2026-11-23T09:00:00.000Z")
    again = domain.check_in("Zoë", phone="0171 2345678")
    assert (again["host_name"], again["assignment_reason"]) == ("Anna", "least_loaded")


def test_language_and_topic_steer_the_choice(domain):
    sign_in(domain, "Anna", "Ben", "Clara")  # Anna de,en accounts; Ben de,tr loans; Clara en,de insurance
    english = domain.check_in("Amy", language="en")  # Ben does not speak English
    assert (english["host_name"], english["assignment_reason"]) == ("Anna", "language")
    german = domain.check_in("Jonas", language="de")  # everyone does: no narrowing
    assert (german["host_name"], german["assignment_reason"]) == ("Ben", "least_loaded")
    loans = domain.check_in("Mehmet", topic="loans")  # Ben covers loans, though he is busier now
    assert (loans["host_name"], loans["assignment_reason"]) == ("Ben", "topic")
    insurance = domain.check_in("Petra", topic="Insurance")
    assert (insurance["host_name"], insurance["assignment_reason"]) == ("Clara", "topic")


def test_two_hosts_acknowledging_at_once_one_wins_and_the_other_learns_who(domain):
    visit = domain.check_in()
    first = domain.desk.act(domain.host("Anna"), visit["id"], "acknowledge")
    second = domain.desk.act(domain.host("Ben"), visit["id"], "acknowledge")
    assert first["acknowledged_by_name"] == second["acknowledged_by_name"] == "Anna"
    assert len([e for e in domain.named("visit.updated") if e.visit["status"] == "acknowledged"]) == 1


def test_feedback_once_for_a_completed_visit_of_this_kiosk(domain):
    visit = domain.check_in()
    with pytest.raises(Conflict):
        domain.desk.give_feedback(domain.kiosk, visit["id"], 3)
    serve(domain, visit, "Anna")
    assert domain.desk.give_feedback(domain.kiosk, visit["id"], 2)["feedback_rating"] == 2
    with pytest.raises(Conflict):
        domain.desk.give_feedback(domain.kiosk, visit["id"], 3)


def test_the_arrival_is_published_after_it_is_stored(domain):
    visit = domain.check_in()
    arrived = [e for e in domain.events if isinstance(e, VisitArrived)]
    assert arrived[0].visit["id"] == visit["id"] and domain.store.visit(visit["id"]) is not None


def test_an_appointment_goes_to_its_host_with_its_notes(domain):
    sign_in(domain, "Anna", "Clara")
    manager = domain.principal("manager", domain.site["manager"])
    appointment = domain.appointments.create(manager, {
        "customer_name": "Jonas", "host_id": domain.host("Clara").id, "starts_at": "2026-11-23T10:00",
        "reason": "Mortgage", "notes": "Bring salary slips",
    })
    visit = domain.check_in("Jonas", appointment_code=appointment["code"].lower())
    assert (visit["host_name"], visit["assignment_reason"]) == ("Clara", "appointment")
    assert visit["customer_id"] == appointment["customer_id"]
    context = domain.named("visit.arrived")[-1].context
    assert context["appointment"]["notes"] == "Bring salary slips" and context["appointment"]["reason"] == "Mortgage"


def test_please_help_me_alerts_the_whole_team_at_once_without_a_name(domain):
    sign_in(domain, "Anna", "Ben", "Clara")
    visit, created = domain.desk.check_in(domain.kiosk, {"name": "", "client_id": "help-1", "help": True})
    assert created and visit["help_requested"] == 1 and visit["customer_name"] == ""
    escalated = domain.named("visit.escalated")[-1]
    assert (escalated.level, escalated.reason) == ("team", "help_requested")
    assert set(escalated.host_ids) == {domain.host(name).id for name in ("Anna", "Ben", "Clara")}


def test_an_undone_completion_is_greeted_again_audited_published_and_not_in_the_stats(domain):
    sign_in(domain, "Anna")
    visit = domain.check_in("Zoë")
    anna = domain.host("Anna")
    domain.desk.act(anna, visit["id"], "greet")
    domain.clock.advance(30)
    done = domain.desk.act(anna, visit["id"], "complete", "All done")
    assert done["complete_ms"] == 30_000
    domain.clock.advance(59.5)
    back = domain.desk.undo_complete(anna, visit["id"])
    assert (back["status"], back["completed_at"], back["complete_ms"]) == ("greeted", None, None)
    assert back["completion_undone_at"] == "2026-11-23T09:01:29.500Z" and back["note"] == "All done"
    assert domain.named("visit.updated")[-1].visit["status"] == "greeted"
    entry = domain.store.audit_entries(1)[0]
    assert (entry["action"], entry["subject"]) == ("visit.completion_undone", f"visit {visit['id']}")
    assert entry["actor_name"] == "Anna"
    assert entry["details"] == {"completed_at": done["completed_at"]}
    window = ("2026-11-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z")
    figures = compute(domain.store.stats_data(1, *window), greet_target=60, acknowledge_target=30,
                      zone=ZoneInfo("Europe/Berlin"), window=window)
    assert figures["complete_seconds"] == {"p50": None, "p90": None, "max": None}
    assert domain.desk.undo_complete(anna, visit["id"])["completion_undone_at"] == back["completion_undone_at"]


def test_a_completion_older_than_a_minute_cannot_be_undone(domain):
    sign_in(domain, "Anna", "Ben")
    visit = domain.check_in("Zoë")
    serve(domain, visit, "Anna")
    domain.clock.advance(60.001)
    published = len(domain.events)
    with pytest.raises(Conflict, match="within 60 s"):
        domain.desk.undo_complete(domain.host("Ben"), visit["id"])
    assert domain.store.visit(visit["id"])["status"] == "completed"
    assert len(domain.events) == published and domain.store.audit_entries(1) == []


def test_a_retried_check_in_alerts_its_host_again_until_a_board_has_confirmed_the_alert(domain):
    """The process that stored a check-in can die before its alert went out; the kiosk's retry,
    answered by another process, then alerts the host. Once a board confirmed, a retry is quiet."""
    tap = {"name": "Zoë", "client_id": "tap-1"}
    first, created = domain.desk.check_in(domain.kiosk, tap)
    domain.events.clear()  # its alert never left the process that was killed
    again, created_again = domain.desk.check_in(domain.kiosk, tap)
    assert created and not created_again and again["id"] == first["id"]
    assert [event.visit["id"] for event in domain.named("visit.arrived")] == [first["id"]]
    domain.store.record_delivery(first["id"], first["host_id"], "board-1", "2026-01-01T09:00:00.000Z")
    domain.events.clear()
    domain.desk.check_in(domain.kiosk, tap)
    assert domain.named("visit.arrived") == [] and len(domain.store.open_visits(first["site_id"])) == 1
