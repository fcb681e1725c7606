"""Presence, shared by every server process through the database, with an injected clock."""

from kiosk.domain import people
from kiosk.domain.presence import STALE_SECONDS, Presence


def test_signed_in_while_any_board_is_connected_and_its_process_alive(domain):
    store, clock = domain.store, domain.clock  # hosts 1-3 of the demo site
    presence = Presence(store, clock, grace_seconds=60)
    presence.board_connected(1, "phone")
    presence.board_connected(1, "desk")
    presence.board_disconnected(1, "phone")
    for _ in range(720):  # an hour of heartbeats
        clock.advance(5)
        presence.heartbeat()
    assert presence.signed_in() == {1}
    assert presence.boards_of(1) == {"desk"}


def test_signed_in_for_the_grace_time_after_the_last_board_left(domain):
    store, clock = domain.store, domain.clock  # hosts 1-3 of the demo site
    presence = Presence(store, clock, grace_seconds=60)
    presence.board_connected(1, "desk")
    presence.board_disconnected(1, "desk")
    clock.advance(59.9)
    assert presence.signed_in() == {1}
    clock.advance(0.1)
    assert presence.signed_in() == set() and presence.boards_of(1) == set()


def test_reconnecting_ends_the_grace_period(domain):
    store, clock = domain.store, domain.clock  # hosts 1-3 of the demo site
    presence = Presence(store, clock, grace_seconds=60)
    presence.board_connected(1, "desk")
    presence.board_disconnected(1, "desk")
    presence.board_connected(1, "desk-again")
    clock.advance(120)
    presence.heartbeat()
    assert presence.signed_in() == {1}


def test_another_process_sees_the_same_team(domain, db_path):
    store, clock = domain.store, domain.clock  # hosts 1-3 of the demo site
    from kiosk.store import Store

    first = Presence(store, clock, grace_seconds=0, process_id="a")
    second = Presence(Store(db_path), clock, grace_seconds=0, process_id="b")
    first.board_connected(1, "sid-on-a")
    assert second.signed_in() == {1} and second.boards_of(1) == {"sid-on-a"}


def test_boards_of_a_process_that_died_count_as_gone_after_the_stale_time(domain):
    store, clock = domain.store, domain.clock  # hosts 1-3 of the demo site
    presence = Presence(store, clock, grace_seconds=0, process_id="dies")
    presence.board_connected(1, "orphan")
    clock.advance(STALE_SECONDS - 0.001)
    assert presence.signed_in() == {1}
    clock.advance(0.001)
    assert presence.signed_in() == set() and presence.boards_of(1) == set()


def test_a_sites_team_counts_only_its_own_hosts_boards(domain):
    store, clock = domain.store, domain.clock  # host 1 of the demo site "main"
    elsewhere = people.add_person(store, clock, "host", "Elsewhere", "branch-two")
    presence = Presence(store, clock, grace_seconds=60)
    presence.board_connected(1, "desk")
    presence.board_connected(elsewhere["id"], "phone")
    main, branch_two = (store.ensure_site(name, "2026-01-01T00:00:00.000Z")["id"] for name in ("main", "branch-two"))
    assert presence.signed_in() == {1, elsewhere["id"]}
    assert presence.signed_in(main) == {1}
    assert presence.signed_in(branch_two) == {elsewhere["id"]}
