"""Every realtime event leaves through here.

Rooms are named by what they hold:
  host:<id>      the boards of one host (alerts, escalations)
  site:<id>      every host and manager board of a site (the team's view)
  managers:<id>  the managers of a site (second step of the escalation ladder)
  kiosk:<id>     one kiosk device (updates of the visits it made)
  status:<id>    the status pages of one visit (the customer's phone: `status.updated`, a Status only)

`publish(event)` takes the domain's events (kiosk/domain/domain_events.py) after their
change was committed and decides who hears them. It works on the serving process's
Socket.IO server, and on a write-only one that reaches a running server's clients
through the message queue (the command line's; no delivery receipts there).
"""

from __future__ import annotations

import time

from socketio import PubSubManager

from kiosk.clock import seconds_between, to_iso
from kiosk.domain.domain_events import AlertDelivered, SignInEnded, VisitArrived, VisitEscalated
from kiosk.domain.visits import public_visit


class Publisher:
    def __init__(self, socketio, store, clock, presence, *, connections=None):
        """`connections` (realtime/connections.py) is this process's own sockets; without it
        (the command line) nothing is dropped here and no receipt comes back."""
        self.socketio = socketio
        self.store = store
        self.clock = clock
        self.presence = presence
        self.connections = connections
        self.status_updates = None  # visit -> [(visit id, Status)]: domain/status_link.py, set by the app

    def publish(self, event) -> None:
        """Send a domain event to the rooms that should see it."""
        if isinstance(event, VisitArrived):
            self._alert(event.visit, event.context)
            # Let the boards' writers send the alert now, before this request queues the
            # site-wide visit.updated for every board (hundreds of sends) and its answer.
            self.socketio.sleep(0)
        elif isinstance(event, VisitEscalated):
            self._escalate(event)
        elif isinstance(event, SignInEnded):
            self._end_sign_in(event.role, event.person_id)
        elif isinstance(event, AlertDelivered):  # the kiosk and the customer's page now say their host was told
            self._tell_kiosk(event.visit)
            self._status_page_of(event.visit)
        else:
            visit = event.visit
            self.socketio.emit(event.name, {"visit": public_visit(visit)}, to=f"site:{visit['site_id']}")
            if not event.staff_only:
                self._tell_kiosk(visit)
            self._status_pages(visit)

    def _tell_kiosk(self, visit: dict) -> None:
        """`visit.updated` to the kiosk that made the visit, in the kiosk's view of it."""
        self.socketio.emit("visit.updated", {"visit": public_visit(visit, for_kiosk=True)},
                           to=f"kiosk:{visit['kiosk_id']}")

    def _status_pages(self, visit: dict) -> None:
        """`status.updated` with the Status (nothing of staff) to the page of the visit and of each
        visit waiting for the same host, whose number ahead may have changed."""
        if self.status_updates is None:
            return
        for visit_id, status in self.status_updates(visit, self._open_status_pages()):
            self.socketio.emit("status.updated", {"status": status}, to=f"status:{visit_id}")

    def _status_page_of(self, visit: dict) -> None:
        """`status.updated` to this visit's own page only (its host was told: no one else's changes)."""
        open_pages = self._open_status_pages()
        if self.status_updates is not None and (open_pages is None or visit["id"] in open_pages):
            visit_id, status = self.status_updates(visit)[0]
            self.socketio.emit("status.updated", {"status": status}, to=f"status:{visit_id}")

    def _open_status_pages(self) -> set[int] | None:
        """The visits whose status page listens in this process; None with a message queue (a page
        on another process may listen to any)."""
        if self.connections is None or isinstance(self.socketio.server.manager, PubSubManager):
            return None
        return set(self.connections.status_pages.values())

    def team_changed(self, site_id: int, changed: list[dict], removed: list[int]) -> None:
        self.socketio.emit("team.updated", {"changed": changed, "removed": removed}, to=f"site:{site_id}")

    def snapshot(self, sid: str, snapshot: dict) -> None:
        self.socketio.emit("board.snapshot", snapshot, to=sid)

    def ring_boards(self, host_id: int, payload: dict, seconds: float) -> BoardAnswers:
        """A drill (domain/drills.py): `alert.drill` to each live board of the host, each answering
        what happened there through its ack; the answers are waited for by `answers()`."""
        waiting = BoardAnswers(self.socketio, seconds)
        for board_id in self.presence.boards_of(host_id):
            self.socketio.emit("alert.drill", payload, to=board_id, callback=waiting.expect())
        return waiting

    def _alert(self, visit: dict, context: dict) -> None:
        """`visit.arrived` to each board of the host; each board's ack is the delivery receipt."""
        host_id = visit["host_id"]
        if host_id is None:
            return
        payload = {"visit": public_visit(visit), "context": context}
        for board_id in self.presence.boards_of(host_id):
            receipt = self._receipt(visit["id"], host_id, board_id) if self.connections is not None else None
            self.socketio.emit("visit.arrived", payload, to=board_id, callback=receipt)

    def _receipt(self, visit_id: int, host_id: int, board_id: str):
        def delivered(*answer):
            if answer and isinstance(answer[0], dict) and answer[0].get("received") is False:
                return  # the board got the message but could not show it: not delivered
            if self.store.record_delivery(visit_id, host_id, board_id, to_iso(self.clock.now())):
                self.publish(AlertDelivered(self.store.visit(visit_id)))

        return delivered

    def _escalation_receipt(self, visit_id: int, host_id: int, board_id: str):
        """A board confirmed a team escalation: that host's "unconfirmed" channels need not hear it."""
        def received(*answer):
            if answer and isinstance(answer[0], dict) and answer[0].get("received") is False:
                return
            self.store.record_escalation_receipt(visit_id, host_id, board_id, to_iso(self.clock.now()))

        return received

    def _escalate(self, event: VisitEscalated) -> None:
        visit = event.visit
        payload = {
            "visit": public_visit(visit), "level": event.level, "reason": event.reason,
            "waiting_seconds": round(seconds_between(visit["arrived_at"], to_iso(self.clock.now())), 1),
        }
        if event.level == "managers":
            self.socketio.emit("visit.escalated", payload, to=f"managers:{visit['site_id']}")
        elif self.connections is None:
            rooms = [f"host:{host_id}" for host_id in event.host_ids]
            if rooms:
                self.socketio.emit("visit.escalated", payload, to=rooms)
        else:
            for host_id in event.host_ids:  # board by board, as alerts go: each board's ack is its receipt
                for board_id in self.presence.boards_of(host_id):
                    self.socketio.emit("visit.escalated", payload, to=board_id,
                                       callback=self._escalation_receipt(visit["id"], host_id, board_id))

    def _end_sign_in(self, role: str, person_id: int) -> None:
        """A host's boards hear `session.ended`, a kiosk's tablets `kiosk.unpaired` (in every
        process, through the message queue), and this process drops their sockets. Connecting
        again is refused, so a board says it is signed out instead of showing alerts to someone
        who should no longer see them."""
        if role == "host":
            self.socketio.emit("session.ended", {"reason": "signed_out"}, to=f"host:{person_id}")
        elif role == "kiosk":
            room = f"kiosk:{person_id}"
            self.socketio.emit("kiosk.unpaired", {"kiosk": {"id": person_id}}, to=room)
            self.socketio.close_room(room)
        if self.connections is not None:
            self.connections.drop(role, person_id)


class BoardAnswers:
    """The boards' answers to one drill, waited for on the server's own loop (socketio.sleep)."""

    def __init__(self, socketio, seconds: float):
        self.socketio = socketio
        self.started = time.monotonic()
        self.deadline = self.started + seconds
        self.answered: list[tuple[dict, int] | None] = []  # per board: (its answer, ms), None until it answers

    def expect(self):
        """The ack callback of one more board."""
        index = len(self.answered)
        self.answered.append(None)

        def answer(*args):
            if self.answered[index] is None and time.monotonic() <= self.deadline:
                self.answered[index] = (args[0] if args else {}, self._ms())

        return answer

    def answers(self) -> list[tuple[dict | None, int]]:
        """Per board: (its answer, or None without one in time; the ms it took or waited)."""
        while time.monotonic() < self.deadline and any(answer is None for answer in self.answered):
            self.socketio.sleep(0.05)
        return [answer or (None, self._ms()) for answer in self.answered]

    def _ms(self) -> int:
        return round((time.monotonic() - self.started) * 1000)
