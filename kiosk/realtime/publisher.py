"""Every realtime event leaves through here.

Rooms are named by what they hold:
  host:<id>      the boards of one host (alerts, escalations)
  site:<id>      every host and manager board of a site (the team's view)
  managers:<id>  the managers of a site (second step of the escalation ladder)
  kiosk:<id>     one kiosk device (updates of the visits it made)

`publish(event)` takes the domain's events (kiosk/domain/domain_events.py) after their
change was committed and decides who hears them. It works on the serving process's
Socket.IO server, and on a write-only one that reaches a running server's clients
through the message queue (the command line's; no delivery receipts there).
"""

from __future__ import annotations

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
        elif isinstance(event, AlertDelivered):
            self._tell_kiosk(event.visit)
        else:
            visit = event.visit
            self.socketio.emit(event.name, {"visit": public_visit(visit)}, to=f"site:{visit['site_id']}")
            if not event.staff_only:
                self._tell_kiosk(visit)

    def _tell_kiosk(self, visit: dict) -> None:
        """`visit.updated` to the kiosk that made the visit, in the kiosk's view of it."""
        self.socketio.emit("visit.updated", {"visit": public_visit(visit, for_kiosk=True)},
                           to=f"kiosk:{visit['kiosk_id']}")

    def team_changed(self, site_id: int, changed: list[dict], removed: list[int]) -> None:
        self.socketio.emit("team.updated", {"changed": changed, "removed": removed}, to=f"site:{site_id}")

    def snapshot(self, sid: str, snapshot: dict) -> None:
        self.socketio.emit("board.snapshot", snapshot, to=sid)

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
