"""How `gastgeber serve` runs the web server, per async mode.

Every connection is served with TCP_NODELAY. An alert is a small write that often
follows another one to the same board a moment earlier (the previous visit's
`visit.updated`, a team update). With Nagle's algorithm the kernel holds such a
write until the board has acknowledged the earlier one, and boards — browsers
and the benchmark's clients alike — delay acknowledgements by up to 40 ms: in a
run of check-ins a tenth of the alerts arrived ~40 ms late.
"""

from __future__ import annotations

import socket


def run_options(async_mode: str, settings: dict) -> dict:
    """Keyword arguments for `socketio.run` in this async mode."""
    if async_mode != "eventlet":
        return {}
    from eventlet import wsgi

    class NoDelayProtocol(wsgi.HttpProtocol):
        def setup(self):
            try:
                self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass  # not a TCP socket
            super().setup()

    return {"max_size": settings["max_connections"], "protocol": NoDelayProtocol}
