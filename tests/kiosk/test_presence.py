"""Presence: a host is signed in while a board is live, and for the grace time after."""

from kiosk.presence import Presence


def test_signed_in_while_any_board_is_connected(clock):
    presence = Presence(clock, grace_seconds=60)
    presence.board_connected(1, "phone")
    presence.board_connected(1, "desk")
    presence.board_disconnected(1, "phone")
    clock.advance(3600)
    assert presence.signed_in() == {1}


def test_signed_in_for_the_grace_time_after_the_last_board_left(clock):
    presence = Presence(clock, grace_seconds=60)
    presence.board_connected(1, "desk")
    presence.board_disconnected(1, "desk")
    clock.advance(59.9)
    assert presence.signed_in() == {1}
    clock.advance(0.1)
    assert presence.signed_in() == set()


def test_reconnecting_ends_the_grace_period(clock):
    presence = Presence(clock, grace_seconds=60)
    presence.board_connected(1, "desk")
    presence.board_disconnected(1, "desk")
    presence.board_connected(1, "desk-again")
    clock.advance(120)
    assert presence.signed_in() == {1}
