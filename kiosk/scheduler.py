"""The serving process's clockwork: once a second, run each job — climb the escalation
ladder, send presence changes that happen by time alone (a board's grace period
ending), and purge personal data past retention when a day has passed.

Runs as a Flask-SocketIO background task, so it works in any async mode.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)
TICK_SECONDS = 1.0


def start(socketio, jobs) -> None:
    socketio.start_background_task(_run, socketio, list(jobs))


def _run(socketio, jobs) -> None:
    while True:
        for job in jobs:
            try:
                job()
            except Exception:  # one bad tick must not stop the ladder for good
                log.exception("scheduled job %s failed; trying again in %s s", job.__name__, TICK_SECONDS)
        socketio.sleep(TICK_SECONDS)
