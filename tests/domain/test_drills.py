"""The drill's judgement (kiosk/domain/drills.py): what a board's answer says, the bound on how
often a host may run one, and who can be reached as the team page says it."""

from __future__ import annotations

import pytest

from kiosk.domain.auth import Principal
from kiosk.domain.drills import DRILLS_PER_MINUTE, Drills, board_result
from kiosk.domain.errors import Forbidden, RateLimited


class Answers:
    """The boards' answers as the realtime side hands them over (publisher.py's BoardAnswers)."""

    def __init__(self, answers):
        self._answers = answers

    def answers(self):
        return self._answers


@pytest.fixture
def services(app):
    return app.extensions["gastgeber"]


def anna(demo):
    host = demo["hosts"][0]
    return Principal("host", host["id"], host["name"], 1, "main")


def drills(services, *answers):
    return Drills(services.store, services.clock, services.channels,
                  ring_boards=lambda host_id, payload, seconds: Answers([(a, 120) for a in answers]))


@pytest.mark.parametrize("answer, problem", [
    ({"shown": True, "sound": "played", "notifications": "granted", "notification_shown": True}, None),
    ({"shown": True, "sound": "played", "notifications": "granted", "notification_shown": False},
     "notification_failed"),
    ({"shown": True, "sound": "played", "notifications": "default"}, "notifications_not_allowed"),
    ({"shown": True, "sound": "played", "notifications": "denied"}, "notifications_blocked"),
    ({"shown": True, "sound": "blocked", "notifications": "granted"}, "sound_blocked"),
    ({"shown": True, "sound": "loud!", "notifications": 7}, "no_sound"),  # what it does not know: unsupported
    ({"shown": "yes", "sound": "played"}, "not_shown"),
    ({"shown": False, "sound": "played", "notifications": "granted", "notification_shown": True}, None),  # in the back
    ({}, "not_shown"),
    (None, "no_answer"),
])
def test_a_boards_answer_is_judged_by_what_really_happened(answer, problem):
    result = board_result(answer, 80)
    assert result["problem"] == problem
    assert result["ok"] is (problem in (None, "notification_failed", "notifications_not_allowed",
                                        "notifications_blocked"))
    assert result["sound"] in ("played", "blocked", "unsupported", None)


def test_a_boards_device_name_is_cut_and_cleaned():
    result = board_result({"shown": True, "sound": "played", "device": "\x07Chrome\u0085 · " + "x" * 100}, 5)
    assert result["device"].startswith("Chrome · ") and len(result["device"]) == 60


def test_only_a_host_runs_a_drill_and_only_so_often(services, demo, clock):
    drill = drills(services, {"shown": True, "sound": "played", "notifications": "granted",
                              "notification_shown": True})
    with pytest.raises(Forbidden):
        drill.run(Principal("manager", demo["manager"]["id"], "Maria", 1, "main"))
    for _ in range(DRILLS_PER_MINUTE):
        assert drill.run(anna(demo))["reached"] is True
    with pytest.raises(RateLimited):
        drill.run(anna(demo))
    clock.advance(60)
    assert drill.run(anna(demo))["problems"] == 0


def test_the_team_sees_who_can_be_reached_and_what_to_fix(services, demo):
    host = anna(demo)
    reach = drills(services).reachability(1, [host.id], lambda host_id: set())[host.id]
    assert (reach["reachable"], reach["warnings"], reach["last_drill"]) == (False, ["no_working_channel"], None)
    reach = drills(services).reachability(1, [host.id], lambda host_id: {"sid-1"})[host.id]
    assert reach["reachable"] is True and reach["boards_now"] == 1

    muted = {"shown": True, "sound": "blocked", "notifications": "denied", "notification_shown": False}
    drills(services, muted, None).run(host)
    reach = drills(services).reachability(1, [host.id], lambda host_id: set())[host.id]
    assert reach["warnings"] == ["no_working_channel", "sound_blocked", "notifications_blocked", "board_silent"]
    assert reach["last_drill"] | {"at": None} == {"at": None, "reached": False, "problems": 2, "boards": 2,
                                                  "channels": 0}
