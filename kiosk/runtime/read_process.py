"""The serving process's side of the long reads' process (read_worker.py).

A year of stats is ~0.1 s of SQL and ~0.15 s of Python sorting and counting. On an OS
thread of the serving process (store/slow_reads.py) the Python part holds the one GIL the
event loop needs, so every check-in and alert meanwhile waits its turn in 5 ms slices.
`ReadProcess.run(db_path, read)` runs `read(store)` in another process instead, on a
read-only connection of its own, and waits for the answer on a Unix socket (green under
eventlet and gevent): the loop goes on, the OS shares the cores.

`read` must be picklable (a `functools.partial` of a module-level function over plain
values); the answer and any exception travel back pickled. Only this user's own child
process is ever on the other end of the socket (a 0700 folder), so pickle is safe here.
"""

from __future__ import annotations

import pickle  # nosec B403  # our own child process on a socket in a 0700 folder
import socket
import struct
import tempfile
from pathlib import Path

from kiosk.runtime.send_process import SendProcess

ANSWER_SECONDS = 300.0  # a CSV chunk or a year of stats takes well under a second; a stuck read ends here
LENGTH = struct.Struct("!Q")


class ReadProcess(SendProcess):
    WORKER = "kiosk.runtime.read_worker"

    def __init__(self):
        """Started at the first read: most serving processes never see a manager's year."""
        self.folder = Path(tempfile.mkdtemp(prefix="gastgeber-read-"))  # 0700: only this user connects
        self.path = str(self.folder / "read.sock")
        self.process = None

    def run(self, db_path, read):
        """`read(store)` in the other process; its answer, or the exception it raised."""
        asked = pickle.dumps((str(db_path), read))
        for attempt in range(2):
            try:
                ok, answer = self._ask_for(asked)
            except (ConnectionRefusedError, FileNotFoundError):
                self._start_again()
                continue
            except (OSError, EOFError, struct.error) as error:
                if attempt == 0 and self.process is not None and self.process.poll() is not None:
                    self._start_again()  # it died during the read: once more, on a fresh one
                    continue
                raise RuntimeError(f"the reading process did not answer: {error}") from None
            if ok:
                return answer
            raise answer
        raise RuntimeError("the reading process could not be started")

    def _ask_for(self, asked: bytes):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(ANSWER_SECONDS)
            connection.connect(self.path)
            connection.sendall(LENGTH.pack(len(asked)) + asked)
            with connection.makefile("rb") as answers:
                size = LENGTH.unpack(_exactly(answers, LENGTH.size))[0]
                return pickle.loads(_exactly(answers, size))  # nosec B301  # our own child's answer


def _exactly(stream, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise EOFError("the reading process closed the connection")
    return data
