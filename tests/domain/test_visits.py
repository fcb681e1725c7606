"""The visit state machine: every transition CONTRACT.md allows, refuses, or treats as already done."""

import pytest

from kiosk.clock import FixedClock
from kiosk.domain.visits import (
    UNDO_COMPLETE_SECONDS,
    IllegalTransition,
    UndoExpired,
    plan_transition,
    plan_undo_complete,
)

NOW = "2026-11-23T09:00:05.250Z"


def visit(status, **times):
    return {"status": status, "acknowledged_at": None, **times}


def test_acknowledge_records_who_and_when():
    assert plan_transition(visit("waiting"), "acknowledge", 7, NOW) == {
        "status": "acknowledged", "acknowledged_at": NOW, "acknowledged_by": 7,
    }


def test_greeting_a_waiting_visit_implies_acknowledgment_by_the_greeter():
    assert plan_transition(visit("waiting"), "greet", 3, NOW) == {
        "status": "greeted", "acknowledged_at": NOW, "acknowledged_by": 3, "greeted_at": NOW, "greeted_by": 3,
    }


def test_greeting_keeps_an_earlier_acknowledgment():
    acknowledged = visit("acknowledged", acknowledged_at="2026-11-23T09:00:01.000Z")
    assert plan_transition(acknowledged, "greet", 3, NOW) == {"status": "greeted", "greeted_at": NOW, "greeted_by": 3}


def test_complete_keeps_the_note():
    assert plan_transition(visit("greeted"), "complete", 3, NOW, note="Opened an account") == {
        "status": "completed", "completed_at": NOW, "note": "Opened an account",
    }


@pytest.mark.parametrize("status", ["waiting", "acknowledged"])
def test_abandon_before_greeting(status):
    assert plan_transition(visit(status), "abandon", 3, NOW) == {"status": "abandoned", "abandoned_at": NOW}


@pytest.mark.parametrize("status, action", [
    ("acknowledged", "acknowledge"), ("greeted", "acknowledge"), ("completed", "acknowledge"),
    ("greeted", "greet"), ("completed", "greet"),
    ("completed", "complete"),
    ("abandoned", "abandon"),
])
def test_a_step_already_reached_changes_nothing(status, action):
    assert plan_transition(visit(status), action, 3, NOW) == {}


@pytest.mark.parametrize("status, action", [
    ("waiting", "complete"), ("acknowledged", "complete"),
    ("greeted", "abandon"), ("completed", "abandon"),
    ("abandoned", "acknowledge"), ("abandoned", "greet"), ("abandoned", "complete"),
])
def test_illegal_steps_are_refused(status, action):
    with pytest.raises(IllegalTransition) as refused:
        plan_transition(visit(status), action, 3, NOW)
    assert refused.value.status == status and refused.value.action == action


def test_a_completion_can_be_undone_within_its_minute():
    clock = FixedClock(NOW)
    completed = visit("completed", greeted_at="2026-11-23T09:00:01.000Z", completed_at=NOW, note="Opened an account")
    clock.advance(UNDO_COMPLETE_SECONDS)  # the last moment of the minute
    assert plan_undo_complete(completed, clock.now()) == {
        "status": "greeted", "completed_at": None, "completion_undone_at": "2026-11-23T09:01:05.250Z",
    }


def test_a_completion_older_than_a_minute_stands():
    clock = FixedClock(NOW)
    clock.advance(UNDO_COMPLETE_SECONDS + 0.001)
    with pytest.raises(UndoExpired) as refused:
        plan_undo_complete(visit("completed", completed_at=NOW), clock.now())
    assert "within 60 s" in refused.value.message


def test_undoing_an_undone_completion_changes_nothing():
    assert plan_undo_complete(visit("greeted", completed_at=None), FixedClock(NOW).now()) == {}


@pytest.mark.parametrize("status", ["waiting", "acknowledged", "abandoned"])
def test_only_a_completed_visit_has_a_completion_to_undo(status):
    with pytest.raises(IllegalTransition) as refused:
        plan_undo_complete(visit(status), FixedClock(NOW).now())
    assert refused.value.status == status
