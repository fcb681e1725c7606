"""Domain events: what happened, published once the change is committed.

The domain says what happened; realtime/publisher.py decides who hears it.
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
class AlertDelivered:
    """The first alert of a visit reached a board or channel of its host: its kiosk may now
    say "we're letting <host> know" (the Visit's `alerted` is "host"). Only the kiosk hears it."""

    visit: dict
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


@dataclass(frozen=True)
class SignInEnded:
    """Someone's credentials stopped working (a new PIN, deactivated, revoked, unpaired,
    access ended): their live connections must end at once, in every process."""

    role: str  # "host", "kiosk" or "manager"
    person_id: int
    name = "session.ended"
