"""How `gastgeber serve` runs the web server, per async mode.

Every connection is served with TCP_NODELAY. An alert is a small write that often
follows another one to the same board a moment earlier (the previous visit's
`visit.updated`, a team update). With Nagle's algorithm the kernel holds such a
write until the board has acknowledged the earlier one, and boards — browsers
and the benchmark's clients alike — delay acknowledgements by up to 40 ms: in a
run of check-ins a tenth of the alerts arrived ~40 ms late.
"""

from __future__ import annotations

import logging
import resource
import socket

log = logging.getLogger(__name__)
FILES_BESIDES_CONNECTIONS = 64  # the database, its WAL, logs, pipes, the message queue


def run_options(async_mode: str, settings: dict) -> dict:
    """Keyword arguments for `socketio.run` in this async mode."""
    if async_mode == "threading":
        return {"allow_unsafe_werkzeug": True}  # development only (README): Werkzeug's own server
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


def allow_open_files(connections: int) -> int:
    """Raise this process's open-file limit to fit `connections` sockets, as far as the
    hard limit allows (many systems start processes at a soft limit of 1024, below the
    `max_connections` default); returns the limit in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + FILES_BESIDES_CONNECTIONS
    if soft != resource.RLIM_INFINITY and soft < wanted:
        new_soft = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new_soft, hard))
        soft = new_soft
    if soft != resource.RLIM_INFINITY and soft < wanted:
        log.warning("only %d open files allowed (hard limit): fewer than max_connections = %d boards "
                    "and requests can connect at once", soft, connections)
    return soft
