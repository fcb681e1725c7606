"""The channels' sending process: Apprise's sends, away from the serving process's interpreter.

An Apprise send costs about 3 ms of Python (URL parsing, `requests`, a new connection). On
an OS thread of the serving process it holds the one GIL the event loop needs, so every
board's alert sent meanwhile waits (issue 14 measured the board alert's p99 doubled). Here
it holds its own. send_process.py starts this program with a listening Unix socket (passed
as a file descriptor) and the read end of a pipe: one request per connection, a JSON line
each way, answered by sending.send on a thread of its own; when the pipe closes (the
serving process ended, however it ended) this process ends too.

It runs at the lowest CPU priority (`NICENESS`, 19): on a machine with few cores the next
guest's board alert, which a host sees within milliseconds, goes first, and a channel's
notice, whose promise is a second, takes the CPU that is left (a nice-19 process still gets
its share of a busy machine, so a notice is never starved). Measured with
bench/channel_bench.py, the board alert's p99 with a channel on every check-in over without:
1.85–1.91 at nice 10, 1.38–1.44 at 19, 1.63–1.75 at SCHED_IDLE (whose sends then finish later,
nearer the next check-in); the channel's own receipt stayed at p99 ~9–10 ms.

    python -m kiosk.runtime.send_worker <fd of the listening socket>
"""

from __future__ import annotations

import base64
import binascii
import json
import socketserver
import sys

from kiosk.domain.channels import sending
from kiosk.runtime.child_server import serve_until_parent_ends

NICENESS = 19
REQUEST_MAX = 1024 * 1024  # a URL, a title and a body, a digest's HTML and chart (tens of KiB): far below


class SendOne(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        try:
            asked = json.loads(self.rfile.readline(REQUEST_MAX))
            image = asked.get("image")
            outcome = sending.send(str(asked["url"]), str(asked["title"]), str(asked["body"]),
                                   allow_private=bool(asked["allow_private"]), timeout=float(asked["timeout"]),
                                   html=asked.get("html"), image=base64.b64decode(image) if image else None)
        except (ValueError, KeyError, TypeError, AttributeError, binascii.Error):  # a request that is not ours
            outcome = {"ok": False, "error": "The sending process could not read the request", "ms": 0}
        self.wfile.write(json.dumps(outcome).encode() + b"\n")


def main(listening_fd: int) -> None:
    sending.load_plugins()  # before the priority drops (serve_until_parent_ends)
    serve_until_parent_ends(listening_fd, SendOne, NICENESS)


if __name__ == "__main__":
    main(int(sys.argv[1]))
