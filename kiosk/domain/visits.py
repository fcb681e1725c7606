"""The visit state machine: which step may follow which, and what each step records.

Plain Python with no Flask and no database: `plan_transition` looks at a visit as
stored and says which columns a step changes.

    waiting → acknowledged → greeted → completed
    waiting → greeted            (greeting implies acknowledgment)
    waiting | acknowledged → abandoned

Asking for a step the visit has already reached or passed on its path changes
nothing (the API answers 200 with the visit as it is); anything else is illegal
(409).

One step goes back: a completion may be undone for `UNDO_COMPLETE_SECONDS` after it
(`plan_undo_complete`: completed → greeted, as if "Done" had not been tapped); later
it is refused (409).
"""

from __future__ import annotations

from datetime import datetime

from kiosk.clock import from_iso, to_iso
from kiosk.domain.errors import Conflict

ACTIONS = ("acknowledge", "greet", "complete", "abandon")
OPEN_STATUSES = ("waiting", "acknowledged", "greeted")
CLOSED_STATUSES = ("completed", "abandoned")

_TARGET = {"acknowledge": "acknowledged", "greet": "greeted", "complete": "completed", "abandon": "abandoned"}
_ALLOWED_FROM = {
    "acknowledge": {"waiting"},
    "greet": {"waiting", "acknowledged"},
    "complete": {"greeted"},
    "abandon": {"waiting", "acknowledged"},
}
_ALREADY_REACHED = {
    "acknowledge": {"acknowledged", "greeted", "completed"},
    "greet": {"greeted", "completed"},
    "complete": {"completed"},
    "abandon": {"abandoned"},
}


class IllegalTransition(Conflict):
    """A step the visit's status does not allow (409)."""

    def __init__(self, action: str, status: str):
        super().__init__(f"cannot {action} a visit that is {status}")
        self.action = action
        self.status = status


def plan_transition(visit: dict, action: str, host_id: int, now: str, note: str | None = None) -> dict:
    """The column changes `action` by `host_id` at `now` makes to `visit`.

    An empty dict means the visit already reached that step: nothing to do.
    Raises IllegalTransition when the step is not allowed from the visit's status.
    """
    status = visit["status"]
    if status in _ALREADY_REACHED[action]:
        return {}
    if status not in _ALLOWED_FROM[action]:
        raise IllegalTransition(action, status)
    changes = {"status": _TARGET[action]}
    if action == "acknowledge" or (action == "greet" and not visit.get("acknowledged_at")):
        changes.update(acknowledged_at=now, acknowledged_by=host_id)
    if action == "greet":
        changes.update(greeted_at=now, greeted_by=host_id)
    elif action == "complete":
        changes["completed_at"] = now
        if note:
            changes["note"] = note
    elif action == "abandon":
        changes["abandoned_at"] = now
    return changes


UNDO_COMPLETE_SECONDS = 60


class UndoExpired(Conflict):
    """The completion is older than its minute: it stands (409)."""

    def __init__(self, seconds_ago: float):
        super().__init__(f"a completion can be undone within {UNDO_COMPLETE_SECONDS} s; "
                         f"this one was {seconds_ago:.0f} s ago")
        self.seconds_ago = seconds_ago


def plan_undo_complete(visit: dict, now: datetime) -> dict:
    """The column changes that undo a visit's completion at `now`: back to greeted, with
    no completion time (so no stats count it) and the time it was undone.

    An empty dict means the visit is greeted already (undone before: nothing to do).
    Raises UndoExpired more than UNDO_COMPLETE_SECONDS after the completion, and
    IllegalTransition for a visit that was never completed (waiting, acknowledged, abandoned).
    """
    status = visit["status"]
    if status == "greeted":
        return {}
    if status != "completed":
        raise IllegalTransition("undo the completion of", status)
    seconds_ago = (now - from_iso(visit["completed_at"])).total_seconds()
    if seconds_ago > UNDO_COMPLETE_SECONDS:
        raise UndoExpired(seconds_ago)
    return {"status": "greeted", "completed_at": None, "completion_undone_at": to_iso(now)}


def _person(person_id, name) -> dict | None:
    return {"id": person_id, "name": name} if person_id is not None else None


def public_visit(row: dict, *, for_kiosk: bool = False) -> dict:
    """The contract's Visit object from a stored row (see store.visits.VISIT_SELECT).

    Staff get a few more keys (why it was assigned, escalation, the customer's own
    host); a kiosk gets the contract's keys and whether its appointment code matched.
    """
    visit = {
        "id": row["id"],
        "status": row["status"],
        "customer": {"id": row["customer_id"], "name": row["customer_name"]},
        "host": _person(row["host_id"], row["host_name"]),
        "acknowledged_by": _person(row["acknowledged_by"], row["acknowledged_by_name"]),
        "arrived_at": row["arrived_at"],
        "acknowledged_at": row["acknowledged_at"],
        "greeted_at": row["greeted_at"],
        "completed_at": row["completed_at"],
        "abandoned_at": row["abandoned_at"],
        "appointment": _appointment(row),
        "help_requested": bool(row["help_requested"]),
    }
    if for_kiosk:  # the name typed at the kiosk, never the stored record's
        visit["customer"] = {"id": row["customer_id"], "name": row.get("name_given") or ""}
        visit["alerted"] = alerted(row)
        return visit
    visit["customer"]["host"] = _person(row["customer_host_id"], row["customer_host_name"])
    visit.update(
        assignment_reason=row["assignment_reason"],
        language=row["language"],
        topic=row["topic"],
        party_size=row["party_size"],
        escalated_at=row["escalated_at"],
        escalation_reason=row["escalation_reason"],
        abandon_reason=row.get("abandon_reason"),
        customer_away_until=row.get("away_until") if row["status"] in ("waiting", "acknowledged") else None,
        completion_undone_at=row.get("completion_undone_at"),
    )
    return visit


def alerted(row: dict) -> str:
    """Who has been alerted so far, as the customer may be told: "team" once the visit
    escalated to the team, "host" once an alert reached a board or channel of its host
    (`alert_delivered_at`), else "nobody"."""
    if row.get("escalated_at"):
        return "team"
    return "host" if row.get("alert_delivered_at") else "nobody"


def _appointment(row: dict) -> dict | None:
    if row["appointment_id"] is None:
        return None
    return {"id": row["appointment_id"], "starts_at": row["appointment_starts_at"]}


def arrival_context(row: dict, previous_visits: list[dict]) -> dict:
    """What helps the host prepare, sent with the alert: reason, appointment, history."""
    appointment = None
    if row["appointment_id"] is not None:
        appointment = {
            "id": row["appointment_id"], "starts_at": row["appointment_starts_at"],
            "reason": row["appointment_reason"], "notes": row["appointment_notes"],
        }
    return {
        "language": row["language"],
        "topic": row["topic"],
        "party_size": row["party_size"],
        "assignment_reason": row["assignment_reason"],
        "appointment": appointment,
        "returning": bool(previous_visits) or row["customer_host_id"] is not None,
        # the phone or e-mail typed belongs to a customer record of another name: the host checks
        "contact_matches_other": bool(row.get("contact_conflict")),
        "own_host": _person(row["customer_host_id"], row["customer_host_name"]),
        "previous_visits": [
            {
                "arrived_at": previous["arrived_at"],
                "status": previous["status"],
                "host": _person(previous["host_id"], previous["host_name"]),
                "note": previous["note"],
                "feedback": previous["feedback_rating"],
            }
            for previous in previous_visits
        ],
    }
