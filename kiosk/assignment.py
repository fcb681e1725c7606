"""Who gets a new visit. One function, so the policy can grow without touching callers.

For now: the least-loaded host who is signed in and available; if there is none,
the least-loaded host of the site at all (the visit will need escalation); if the
site has no host, nobody.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Assignment:
    host_id: int | None
    reason: str  # "least_loaded", "fallback" or "unassigned"


def assign_host(hosts: list[dict], load: dict[int, int], signed_in: set[int]) -> Assignment:
    """Pick a host among the site's active `hosts`.

    `load` maps host id to open visits; `signed_in` holds the ids of hosts with a
    live board (or within the presence grace time). Ties go to the host with the
    lowest id, so the choice is deterministic.
    """
    available = [h for h in hosts if h["id"] in signed_in and h["status"] == "available"]
    if available:
        return Assignment(_least_loaded(available, load), "least_loaded")
    if hosts:
        return Assignment(_least_loaded(hosts, load), "fallback")
    return Assignment(None, "unassigned")


def _least_loaded(hosts: list[dict], load: dict[int, int]) -> int:
    return min(hosts, key=lambda h: (load.get(h["id"], 0), h["id"]))["id"]
