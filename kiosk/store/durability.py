"""Group commit: durable writes reach the disk without the event loop waiting for it.

SQLite with `synchronous=FULL` calls fsync inside COMMIT. Under eventlet or gevent every
request shares one OS thread, so each check-in's fsync (one to several
milliseconds on this machine) would hold every other request and alert, and cap
the server at one fsync per check-in.

Instead a durable transaction commits without syncing (WAL, `synchronous=NORMAL`:
the commit is in the WAL file, safe from a crash of the process) and then waits
here until the WAL file has been fsynced after its commit — the same guarantee
as FULL. One fsync covers every commit made before it began, so concurrent
check-ins share it, and it runs on an OS thread (async_mode.run_off_loop) while the
loop serves others. `threading` primitives are green under eventlet's or gevent's
monkey patching and real otherwise, so this works in every async mode.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

from kiosk.async_mode import run_off_loop


class GroupCommit:
    def __init__(self, db_path: Path, async_mode: str = "threading"):
        self.wal_path = Path(f"{db_path}-wal")
        self.async_mode = async_mode
        self._condition = threading.Condition()
        self._committed = 0  # durable commits so far, numbered
        self._on_disk = 0  # every commit up to this number has been fsynced
        self._syncing = False
        self._wal_fd: int | None = None

    def committed(self) -> int:
        """Call right after a durable COMMIT; the number to wait for."""
        with self._condition:
            self._committed += 1
            return self._committed

    def wait_until_on_disk(self, commit_number: int) -> None:
        """Return once an fsync that began after commit `commit_number` has finished."""
        with self._condition:
            while self._on_disk < commit_number:
                if self._syncing:
                    self._condition.wait()
                    continue
                self._syncing, covered = True, self._committed
                self._condition.release()
                try:
                    run_off_loop(self.async_mode, self._fsync_wal)
                finally:
                    self._condition.acquire()
                    self._syncing = False
                    self._condition.notify_all()
                self._on_disk = max(self._on_disk, covered)

    def _fsync_wal(self) -> None:
        if self._wal_fd is None:
            self._wal_fd = os.open(self.wal_path, os.O_RDONLY)
        os.fsync(self._wal_fd)

    def close(self) -> None:
        if self._wal_fd is not None:
            os.close(self._wal_fd)
            self._wal_fd = None


class Checkpointer:
    """Copies the WAL back into the database file off the event loop.

    SQLite does this by itself inside the COMMIT that crosses 1,000 WAL pages, with two
    fsyncs — on the event loop, a stall of tens of milliseconds every few thousand
    check-ins. The serving process turns that off (`take_over`) and checkpoints every
    tick on an OS thread with a connection of its own; PASSIVE never waits for readers
    or writers, so the WAL is copied as far as it can be and the rest next time."""

    def __init__(self, db_path: Path, async_mode: str):
        self.db_path = Path(db_path)
        self.async_mode = async_mode
        self._connection = None

    def take_over(self, connection) -> None:
        connection.execute("PRAGMA wal_autocheckpoint=0")

    def checkpoint(self) -> tuple[int, int, int]:
        """(busy, pages in the WAL, pages copied), as SQLite answers."""
        return run_off_loop(self.async_mode, self._checkpoint)

    def _checkpoint(self) -> tuple[int, int, int]:
        if self._connection is None:
            self._connection = sqlite3.connect(str(self.db_path), check_same_thread=False)
        return self._connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
