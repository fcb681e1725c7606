"""Fixtures for the tests against a real server's Socket.IO."""

from __future__ import annotations

import pytest

from tests.support.live_server import Board


@pytest.fixture
def boards(live_server):
    """Connect real Socket.IO boards to the module's live server: `boards(token)` -> Board; all closed at the end."""
    made = []

    def connect(token):
        board = Board(live_server.url, token)
        made.append(board)
        return board

    yield connect
    for board in made:
        board.close()
