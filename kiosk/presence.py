"""Which hosts count as signed in: a live board, or one that left less than the grace time ago.

Held in memory by the serving process; plain Python with an injected clock.
"""

from __future__ import annotations


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

    def signed_in(self) -> set[int]:
        now = self.clock.now()
        recent = {
            host_id for host_id, left_at in self._left_at.items()
            if (now - left_at).total_seconds() < self.grace_seconds
        }
        return set(self._boards) | recent
