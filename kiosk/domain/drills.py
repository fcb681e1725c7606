"""The drill: "Test my alert" proves, board by board and channel by channel, that an alert rings.

A host starts it from the board. Every live board of that host hears `alert.drill`
(through `ring_boards`, the realtime publisher's) and answers what really happened
there: shown on screen, whether its sound really started (the browser's audio was
running, not just that a message came), the notification permission and whether a
notification was shown. Every channel of the host gets one real test message, as
`POST /channels/<id>/test` sends it. The drill is stored (store/drills.py): the
team page judges from a host's newest drill, their channels and their live boards
whether they can be reached right now, and how (`reachability`).
"""

from __future__ import annotations

import threading

from kiosk.clock import to_iso
from kiosk.domain.errors import Conflict, Forbidden
from kiosk.domain.ratelimit import RateLimiter

ANSWER_SECONDS = 5.0  # how long a board has to answer; a board that does not is reported as silent
DRILLS_PER_MINUTE = 6  # each drill sends real messages: a host cannot flood their own phone
SOUND = ("played", "blocked", "unsupported")
PERMISSIONS = ("granted", "denied", "default", "unsupported")
DEVICE_MAX = 60


def board_result(answer, ms: int) -> dict:
    """What one board's answer to `alert.drill` says, judged; None (no answer in time) is a silent board."""
    if not isinstance(answer, dict):
        return {"device": None, "answered": False, "shown": False, "sound": None, "notifications": None,
                "notification_shown": False, "ok": False, "problem": "no_answer", "ms": ms}
    sound = answer.get("sound") if answer.get("sound") in SOUND else "unsupported"
    permission = answer.get("notifications") if answer.get("notifications") in PERMISSIONS else "unsupported"
    shown = answer.get("shown") is True
    result = {"device": _device(answer.get("device")), "answered": True, "shown": shown, "sound": sound,
              "notifications": permission, "notification_shown": answer.get("notification_shown") is True,
              "ms": ms}
    seen = shown or result["notification_shown"]  # a board in a background tab shows its notification
    return {**result, "ok": seen and sound == "played", "problem": _board_problem(result)}


def _board_problem(result: dict) -> str | None:
    """The one thing to fix first on this board, if any."""
    if not result["shown"] and not result["notification_shown"]:
        return "not_shown"
    if result["sound"] != "played":
        return "sound_blocked" if result["sound"] == "blocked" else "no_sound"
    if result["notifications"] == "denied":
        return "notifications_blocked"
    if result["notifications"] == "default":
        return "notifications_not_allowed"
    if result["notifications"] == "granted" and not result["notification_shown"]:
        return "notification_failed"
    return None


def _device(text) -> str | None:
    if not isinstance(text, str):
        return None
    text = "".join(ch for ch in text if ch.isprintable()).strip()
    return text[:DEVICE_MAX] or None


def public_drill(row: dict) -> dict:
    return {"id": row["id"], "at": row["at"], "host": {"id": row["host_id"], "name": row["host_name"]},
            "reached": bool(row["reached"]), "problems": row["problems"], "boards": row["boards"],
            "channels": row["channels"]}


class Drills:
    def __init__(self, store, clock, channels, *, ring_boards=None, answer_seconds: float = ANSWER_SECONDS):
        """`channels`: domain/channels' Channels (its test sends); `ring_boards(host_id, payload, seconds)`:
        asks each live board of the host and returns one started wait, whose `answers()` gives, per board,
        (its answer or None, ms) once all answered or `seconds` passed (without it: no boards)."""
        self.store = store
        self.clock = clock
        self.channels = channels
        self.ring_boards = ring_boards
        self.answer_seconds = answer_seconds
        self.limiter = RateLimiter(clock, DRILLS_PER_MINUTE)
        self._running: set[int] = set()
        self._lock = threading.Lock()

    def run(self, principal) -> dict:
        """One drill of the principal's own boards and channels; its stored result."""
        if principal.role != "host":
            raise Forbidden("only a host runs a drill, of their own boards and channels")
        with self._lock:
            if principal.id in self._running:
                raise Conflict("a drill of yours is running; its result comes in a few seconds")
            self.limiter.hit(principal.id)
            self._running.add(principal.id)
        try:
            return self._run(principal)
        finally:
            with self._lock:
                self._running.discard(principal.id)

    def _run(self, principal) -> dict:
        at = to_iso(self.clock.now())
        payload = {"drill": {"at": at}, "host": {"id": principal.id, "name": principal.name}}
        waiting = self.ring_boards(principal.id, payload, self.answer_seconds) if self.ring_boards else None
        channels = [self._channel(principal, row) for row in self.store.channels_of_site(principal.site_id,
                                                                                          principal.id)]
        boards = sorted((board_result(answer, ms) for answer, ms in (waiting.answers() if waiting else [])),
                        key=lambda board: (not board["answered"], board["ms"]))  # the silent ones last
        problems = sum(not board["ok"] for board in boards) + sum(not c["delivery"]["ok"] for c in channels)
        reached = any(board["ok"] for board in boards) or any(c["delivery"]["ok"] for c in channels)
        drill_id = self.store.record_drill({"site_id": principal.site_id, "host_id": principal.id, "at": at,
                                            "reached": int(reached), "problems": problems, "boards": boards,
                                            "channels": channels})
        return public_drill(self.store.drill(drill_id))

    def _channel(self, principal, row: dict) -> dict:
        delivery = self.channels.test(principal, row["id"])
        return {"channel": {"id": row["id"], "kind": row["kind"], "url": row["masked_url"], "label": row["label"]},
                "delivery": delivery}

    def reachability(self, site_id: int, host_ids, boards_of) -> dict[int, dict]:
        """Per host: who can be reached right now and how. `boards_of(host_id)`: their live boards."""
        latest = self.store.latest_drills(site_id)
        channels: dict[int, list[dict]] = {}
        for row in self.store.channels_of_site(site_id):
            channels.setdefault(row["host_id"], []).append(row)
        return {host_id: _reach(channels.get(host_id, []), latest.get(host_id), len(boards_of(host_id)))
                for host_id in host_ids}


def _reach(channels: list[dict], drill: dict | None, boards_now: int) -> dict:
    working = [c for c in channels if c["last_at"] and c["last_ok"]]
    failing = [c for c in channels if c["last_at"] and not c["last_ok"]]
    warnings = []
    if not working:
        warnings.append("no_working_channel")
    answered = [board for board in (drill["boards"] if drill else []) if board["answered"]]
    if any(board["sound"] != "played" for board in answered):
        warnings.append("sound_blocked")
    if any(board["notifications"] in ("denied", "default") for board in answered):
        warnings.append("notifications_blocked")
    if drill and any(not board["answered"] for board in drill["boards"]):
        warnings.append("board_silent")
    return {"boards_now": boards_now, "channels": len(channels), "working_channels": len(working),
            "failing_channels": len(failing), "reachable": bool(boards_now or working), "warnings": warnings,
            "last_drill": {"at": drill["at"], "reached": bool(drill["reached"]), "problems": drill["problems"],
                           "boards": len(drill["boards"]), "channels": len(drill["channels"])} if drill else None}
