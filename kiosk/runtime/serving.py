"""How `gastgeber serve` sets up its process: enough open files for the connections it allows.

The web server itself, per async mode, is kiosk/async_mode.py's `serve`.
"""

from __future__ import annotations

import logging
import resource

log = logging.getLogger(__name__)
FILES_BESIDES_CONNECTIONS = 64  # the database, its WAL, logs, pipes, the message queue


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
