"""The long reads' process: a year of stats or a CSV chunk, away from the serving process's GIL.

read_process.py starts this program with a listening Unix socket (passed as a file
descriptor) and the read end of a pipe; each connection brings one pickled (database
path, read) and gets back (True, answer) or (False, exception), each behind its length.
Each read runs on a thread of its own with a read-only connection of its own. It runs at
the lowest CPU priority there is (SCHED_IDLE, nice 10 where that is missing): the door's
check-ins go first, a manager's figures take the CPU that is left. When the pipe closes (the serving process ended,
however it ended) this process ends too.

    python -m kiosk.runtime.read_worker <fd of the listening socket>
"""

from __future__ import annotations

import pickle  # nosec B403  # only our own serving process connects (a socket in a 0700 folder)
import socketserver
import sys

from kiosk.runtime.child_server import serve_until_parent_ends
from kiosk.runtime.read_process import LENGTH
from kiosk.store import Store

NICENESS = 10


class ReadOne(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        try:
            size = LENGTH.unpack(self.rfile.read(LENGTH.size))[0]
            db_path, read = pickle.loads(self.rfile.read(size))  # nosec B301  # our own serving process
            store = Store(db_path, read_only=True)
            try:
                outcome = (True, read(store))
            finally:
                store.close()
        except Exception as error:  # the serving process raises it where the read was asked for
            outcome = (False, error)
        try:
            answer = pickle.dumps(outcome)
        except Exception as error:  # an exception that does not pickle
            answer = pickle.dumps((False, RuntimeError(f"{type(error).__name__}: {error}")))
        self.wfile.write(LENGTH.pack(len(answer)) + answer)


def main(listening_fd: int) -> None:
    serve_until_parent_ends(listening_fd, ReadOne, NICENESS, only_when_idle=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
