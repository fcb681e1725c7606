"""Who gets a new visit: one policy, one function, configured by `assignment_order`.

Steps, tried in the configured order (default: all of them, in this order):

  dedicated     the customer's own host, if signed in and not away or off (busy is
                fine: it is their customer)
  appointment   the host of the appointment the customer came for, likewise
  language      an available host who speaks the customer's language, when that
                narrows the choice (not everyone does)
  topic         an available host who covers the chosen topic, likewise
  least_loaded  the available host with the fewest open visits
  fallback      anyone signed in who is not off, least loaded first

"Available" means signed in, status available and not busy serving someone. If no
step finds a host, the visit still gets one — the customer's own host, the
appointment's host, else the least-loaded active host — with reason `fallback`,
and escalation starts at once.
"""

from __future__ import annotations

from dataclasses import dataclass

STEPS = ("dedicated", "appointment", "language", "topic", "least_loaded", "fallback")
REASONS = (*STEPS, "unassigned")  # every reason a visit can record
PRESENT = ("available", "busy")


@dataclass(frozen=True)
class Assignment:
    host_id: int | None
    reason: str  # one of STEPS, or "unassigned" when the site has no host at all
    escalate_now: bool = False


@dataclass(frozen=True)
class Candidate:
    """A host as the policy sees them: presence status, skills and current load."""

    id: int
    name: str
    status: str  # "available", "busy", "away" or "off" (see presence.py)
    signed_in: bool
    languages: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    load: int = 0


def assign_host(hosts: list[Candidate], *, dedicated_host_id: int | None = None,
                appointment_host_id: int | None = None, language: str | None = None,
                topic: str | None = None, order: tuple[str, ...] = STEPS) -> Assignment:
    by_id = {host.id: host for host in hosts}
    available = [host for host in hosts if host.status == "available"]
    for step in order:
        if step == "dedicated" and _present(by_id.get(dedicated_host_id)):
            return Assignment(dedicated_host_id, "dedicated")
        if step == "appointment" and _present(by_id.get(appointment_host_id)):
            return Assignment(appointment_host_id, "appointment")
        if step == "language" and language:
            chosen = _narrowing(available, lambda host: language in host.languages)
            if chosen:
                return Assignment(chosen, "language")
        if step == "topic" and topic:
            chosen = _narrowing(available, lambda host: topic.casefold() in map(str.casefold, host.topics))
            if chosen:
                return Assignment(chosen, "topic")
        if step == "least_loaded" and available:
            return Assignment(_least_loaded(available), "least_loaded")
        if step == "fallback":
            signed_in = [host for host in hosts if host.signed_in and host.status != "off"]
            if signed_in:
                chosen = _least_loaded(signed_in)
                return Assignment(chosen, "fallback", escalate_now=by_id[chosen].status not in PRESENT)
    return _nobody_present(by_id, dedicated_host_id, appointment_host_id)


def _present(host: Candidate | None) -> bool:
    return host is not None and host.signed_in and host.status in PRESENT


def _narrowing(available: list[Candidate], matches) -> int | None:
    """The least-loaded matching host, only if matching leaves out somebody."""
    matching = [host for host in available if matches(host)]
    if matching and len(matching) < len(available):
        return _least_loaded(matching)
    return None


def _least_loaded(hosts: list[Candidate]) -> int:
    return min(hosts, key=lambda host: (host.load, host.id)).id


def _nobody_present(by_id, dedicated_host_id, appointment_host_id) -> Assignment:
    for host_id in (dedicated_host_id, appointment_host_id):
        if host_id in by_id:
            return Assignment(host_id, "fallback", escalate_now=True)
    if by_id:
        return Assignment(_least_loaded(list(by_id.values())), "fallback", escalate_now=True)
    return Assignment(None, "unassigned", escalate_now=True)
