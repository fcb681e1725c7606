"""Domain events: what happened to a visit, published after the change is committed.

realtime.py decides who hears each one; the domain only says what happened.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class VisitArrived:
    """A new visit was stored; its host must be alerted, with what helps them prepare."""

    visit: dict
    context: dict = field(default_factory=dict)
    name = "visit.arrived"


@dataclass(frozen=True)
class VisitUpdated:
    """A visit was created or changed; boards of the site and its kiosk follow it.

    `staff_only` changes (escalation) do not concern the kiosk.
    """

    visit: dict
    staff_only: bool = False
    name = "visit.updated"


@dataclass(frozen=True)
class VisitEscalated:
    """Nobody acknowledged in time (or the host could not be reached): widen the alert.

    `level` is "team" (to `host_ids`, the site's available hosts) or "managers".
    """

    visit: dict
    level: str
    reason: str
    host_ids: tuple[int, ...] = ()
    name = "visit.escalated"
