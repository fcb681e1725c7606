"""The serving process's clockwork: once a second, climb the escalation ladder and
send presence changes that happen by time alone (a board's grace period ending).

Runs as a Flask-SocketIO background task, so it works in any async mode.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)
TICK_SECONDS = 1.0


def start(socketio, escalator, realtime) -> None:
    socketio.start_background_task(_run, socketio, escalator, realtime)


def _run(socketio, escalator, realtime) -> None:
    while True:
        try:
            escalator.tick()
            realtime.refresh_all_teams()
        except Exception:  # one bad tick must not stop the ladder for good
            log.exception("scheduler tick failed; trying again in %s s", TICK_SECONDS)
        socketio.sleep(TICK_SECONDS)
