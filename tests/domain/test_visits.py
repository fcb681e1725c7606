"""The visit state machine: every transition CONTRACT.md allows, refuses, or treats as already done."""

import pytest

from kiosk.domain.visits import IllegalTransition, plan_transition

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
