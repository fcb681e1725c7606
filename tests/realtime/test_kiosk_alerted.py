"""The kiosk is told whom its guest's alert has reached (`alerted` in its view of the visit),
live, on a real server: nobody at first, the host once a board of theirs confirmed the alert,
the team once the visit escalated, so the tablet never says more than has happened."""

from __future__ import annotations

import pytest

from tests.support.live_server import Board, LiveServer

CONFIG = "escalate_after_seconds = 3\nalert_receipt_seconds = 2\npresence_grace_seconds = 600\n"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("alerted"), CONFIG)
    server.start()
    yield server
    server.stop()


def alerted_until(tablet: Board, visit_id: int, last: str) -> list[str]:
    """The kiosk's `alerted` values for this visit, in the order its visit.updated brought them,
    repeats folded, up to the first `last`."""
    seen = []
    while not seen or seen[-1] != last:
        value = tablet.next("visit.updated", visit_id=visit_id)["visit"]["alerted"]
        if not seen or seen[-1] != value:
            seen.append(value)
    return seen


def test_the_kiosk_hears_the_boards_receipt_and_then_the_escalation(live_server, boards):
    for host in live_server.hosts:
        boards(host["token"])  # every board answers the alert's ack: its receipt
    tablet = boards(live_server.kiosk["token"])
    visit = live_server.check_in("Wartende Wilma").json()["visit"]
    assert visit["alerted"] == "nobody"  # answered before any board could confirm
    # a board's receipt makes it "host"; nobody acknowledges, so after escalate_after_seconds the team
    # is called, and the kiosk hears that too
    assert alerted_until(tablet, visit["id"], "team") == ["nobody", "host", "team"]
    again = live_server.call("GET", f"/visits/{visit['id']}", live_server.kiosk["token"]).json()["visit"]
    assert again["alerted"] == "team"


def test_with_nobody_on_a_board_the_team_is_alerted_from_the_start(live_server, boards):
    live_server.close_open_visits()
    team = [boards(host["token"]) for host in live_server.hosts]
    for board in team:  # everyone away: nobody can take the guest
        board.client.call("host.presence", {"status": "away"}, timeout=10)
    tablet = boards(live_server.kiosk["token"])
    visit = live_server.check_in("Niemand Nora").json()["visit"]
    assert visit["alerted"] == "team"
    assert tablet.next("visit.updated", visit_id=visit["id"])["visit"]["alerted"] == "team"
    for board in team:
        board.client.call("host.presence", {"status": "available"}, timeout=10)
