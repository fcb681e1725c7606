"""Graceful shutdown on SIGTERM: refuse new work, tell the boards, finish what is in flight, exit 0.

Uses Flask-SocketIO's background tasks and sleep only, so it works in any async mode. The
process ends itself once drained (`os._exit`, after `stopped` has closed the database):
it never relies on SIGINT, which a process started from a script (`serve &`, nohup, some
service managers) has ignored from the start.
"""

from __future__ import annotations

import logging
import os
import signal
import time

from flask import jsonify, request

log = logging.getLogger(__name__)
DRAIN_SECONDS = 10.0


class Shutdown:
    def __init__(self, app, socketio, stopped=lambda: None):
        """`stopped()` runs once everything is drained, right before the process exits."""
        self.socketio = socketio
        self.stopped = stopped
        self.draining = False
        self.in_flight = 0
        app.before_request(self._before)
        app.teardown_request(self._after)

    def _before(self):
        if self.draining:
            response = jsonify({"error": {"code": "shutting_down", "message": "the server is restarting; try again"}})
            response.status_code = 503
            response.headers["Retry-After"] = "2"
            return response
        self.in_flight += 1
        request.environ["gastgeber.counted"] = True
        return None

    def _after(self, _error=None):
        if request.environ.pop("gastgeber.counted", False):
            self.in_flight -= 1

    def install_signal_handler(self) -> None:
        signal.signal(signal.SIGTERM, lambda *_: self.socketio.start_background_task(self.drain))

    def drain(self) -> None:
        """Tell every client, wait for requests in flight (bounded), then stop the server."""
        if self.draining:
            return
        self.draining = True
        log.warning("SIGTERM: finishing %d request(s) in flight, then stopping", self.in_flight)
        self.socketio.emit("server.shutdown", {"message": "The server is restarting; reconnecting shortly."})
        deadline = time.monotonic() + DRAIN_SECONDS
        while self.in_flight > 0 and time.monotonic() < deadline:
            self.socketio.sleep(0.05)
        self.socketio.sleep(0.2)  # let the goodbye reach the sockets
        try:
            self.stopped()
        finally:
            logging.shutdown()
            os._exit(0)  # everything answered is on disk (group commit); nothing is left to unwind
