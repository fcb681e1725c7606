"""Presence: who is signed in (a live board, or one that left less than the grace
time ago) and the status the team sees (available, busy, away, off).

Board connections are held in memory by the serving process; the status a host
chose is stored. Plain Python with an injected clock.
"""

from __future__ import annotations

from .assignment import Candidate


class Presence:
    def __init__(self, clock, grace_seconds: float):
        self.clock = clock
        self.grace_seconds = grace_seconds
        self._boards: dict[int, set[str]] = {}
        self._left_at: dict[int, object] = {}

    def board_connected(self, host_id: int, board_id: str) -> None:
        self._boards.setdefault(host_id, set()).add(board_id)
        self._left_at.pop(host_id, None)

    def board_disconnected(self, host_id: int, board_id: str) -> None:
        boards = self._boards.get(host_id, set())
        boards.discard(board_id)
        if not boards:
            self._boards.pop(host_id, None)
            self._left_at[host_id] = self.clock.now()

    def boards_of(self, host_id: int) -> set[str]:
        """The live boards (Socket.IO sids) of a host in this process."""
        return set(self._boards.get(host_id, ()))

    def signed_in(self) -> set[int]:
        now = self.clock.now()
        recent = {
            host_id for host_id, left_at in self._left_at.items()
            if (now - left_at).total_seconds() < self.grace_seconds
        }
        return set(self._boards) | recent


def effective_status(chosen: str, signed_in: bool, busy: bool) -> str:
    """What the team sees: off or away as the host set it, away while no board is
    live, busy while serving a greeted guest, else available."""
    if chosen == "off":
        return "off"
    if chosen == "away" or not signed_in:
        return "away"
    return "busy" if busy else "available"


def candidates(store, presence: Presence, site_id: int) -> list[Candidate]:
    """Every active host of the site as the assignment policy and the team view see them."""
    signed_in = presence.signed_in()
    busy = store.busy_host_ids(site_id)
    load = store.open_visit_counts(site_id)
    return [
        Candidate(
            id=host["id"],
            name=host["name"],
            status=effective_status(host["status"], host["id"] in signed_in, host["id"] in busy),
            signed_in=host["id"] in signed_in,
            languages=tuple(filter(None, host["languages"].split(","))),
            topics=tuple(filter(None, host["topics"].split(","))),
            load=load.get(host["id"], 0),
        )
        for host in store.active_hosts(site_id)
    ]
