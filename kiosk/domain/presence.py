"""Presence: who is signed in (a live board, or one that left less than the grace
time ago) and the status the team sees (available, busy, away, off).

Live boards are kept in the database, so every server process sees the same
team: each process marks its own boards as seen every few seconds, and a board
not seen for STALE_SECONDS (its process died) counts as gone. Plain Python with
a store and an injected clock.
"""

from __future__ import annotations

import os
import secrets
import socket
from datetime import timedelta

from kiosk.clock import to_iso
from kiosk.domain.assignment import Candidate

HEARTBEAT_SECONDS = 5
STALE_SECONDS = 15  # three missed heartbeats: the board's process is gone
FORGET_AFTER_SECONDS = 24 * 3600


def new_process_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class Presence:
    def __init__(self, store, clock, grace_seconds: float, process_id: str | None = None, grace_for=None):
        """`grace_for(site_id)`, when given, is a site's own grace time (site_settings.py)."""
        self.store = store
        self.clock = clock
        self.grace_seconds = grace_seconds
        self.process_id = process_id or new_process_id()
        self.grace_for = grace_for

    def board_connected(self, host_id: int, board_id: str) -> None:
        self.store.add_board(board_id, host_id, self.process_id, self._ago(0))

    def board_disconnected(self, host_id: int, board_id: str) -> None:
        self.store.remove_board(board_id, host_id, self._ago(0))

    def boards_of(self, host_id: int) -> set[str]:
        """The live boards (Socket.IO sids) of a host, in any process."""
        return self.store.boards_seen_after(host_id, self._ago(STALE_SECONDS))

    def signed_in(self, site_id: int | None = None) -> set[int]:
        """Hosts signed in; with `site_id`, judged by that site's grace time (only its hosts count then)."""
        grace = self.grace_for(site_id) if self.grace_for and site_id is not None else self.grace_seconds
        board_cutoff = self._ago(max(STALE_SECONDS, grace))
        return self.store.hosts_present_after(board_cutoff, self._ago(grace), site_id)

    def heartbeat(self) -> None:
        """Every process, every few seconds: its boards are still there."""
        self.store.touch_boards(self.process_id, self._ago(0))

    def sweep(self) -> None:
        """The scheduler, now and then: forget boards of processes that died long ago."""
        self.store.forget_boards_seen_before(self._ago(FORGET_AFTER_SECONDS))

    def _ago(self, seconds: float) -> str:
        return to_iso(self.clock.now() - timedelta(seconds=seconds))


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
    signed_in = presence.signed_in(site_id)
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
