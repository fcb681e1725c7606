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


def serve_until_parent_ends(listening_fd: int, handler, niceness: int) -> None:
    """Answer each connection on the inherited socket with `handler` on a thread of its own, at
    `niceness`, until the serving process closes the pipe."""
    os.nice(niceness)
    server = Requests(None, handler, bind_and_activate=False)
    server.socket.close()
    server.socket = socket.socket(fileno=listening_fd)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.buffer.read()  # until the serving process has gone
