"""The serving processes' clockwork, once a second.

Every process keeps its own boards' heartbeat. Exactly one process at a time —
the holder of the `scheduler` lock in the database, renewed each tick and taken
over when its holder dies — climbs the escalation ladder, sends presence changes
that happen by time alone, and purges personal data past retention.

Runs as a Flask-SocketIO background task, so it works in any async mode.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from kiosk.clock import to_iso
from kiosk.domain.presence import HEARTBEAT_SECONDS

log = logging.getLogger(__name__)
TICK_SECONDS = 1.0
LOCK_SECONDS = 5.0  # a dead leader is replaced within this long


class Scheduler:
    def __init__(self, store, clock, presence, leader_jobs):
        self.store = store
        self.clock = clock
        self.presence = presence
        self.leader_jobs = list(leader_jobs)
        self.ticks = 0

    def is_leader(self) -> bool:
        now = self.clock.now()
        return self.store.take_lock("scheduler", self.presence.process_id, to_iso(now),
                                    to_iso(now + timedelta(seconds=LOCK_SECONDS)))

    def tick(self) -> None:
        if self.ticks % HEARTBEAT_SECONDS == 0:
            self._run(self.presence.heartbeat)
        self.ticks += 1
        if self._run(self.is_leader):
            for job in self.leader_jobs:
                self._run(job)

    def _run(self, job):
        try:
            return job()
        except Exception:  # one bad tick must not stop the ladder for good
            log.exception("scheduled job %s failed; trying again in %s s", job.__name__, TICK_SECONDS)
            return None


def start(socketio, scheduler: Scheduler) -> None:
    def run_forever():
        while True:
            scheduler.tick()
            socketio.sleep(TICK_SECONDS)

    socketio.start_background_task(run_forever)
