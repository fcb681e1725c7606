"""The serving loop of our two helper processes (send_worker.py, read_worker.py): each is started
by the serving process with a listening Unix socket (its file descriptor) and the read end of a
pipe on stdin, answers each connection on a thread of its own, and ends when the pipe closes."""

from __future__ import annotations

import os
import socket
import socketserver
import sys
import threading


class Requests(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def serve_until_parent_ends(listening_fd: int, handler, niceness: int, *, only_when_idle: bool = False) -> None:
    """Answer each connection on the inherited socket with `handler` on a thread of its own, at
    `niceness`, until the serving process closes the pipe. With `only_when_idle` (Linux's
    SCHED_IDLE) this process runs only on a core nothing else wants: a woken serving process
    takes the core back at once instead of after the scheduler's next turn."""
    os.nice(niceness)
    if only_when_idle and hasattr(os, "SCHED_IDLE"):
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    server = Requests(None, handler, bind_and_activate=False)
    server.socket.close()
    server.socket = socket.socket(fileno=listening_fd)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.buffer.read()  # until the serving process has gone
