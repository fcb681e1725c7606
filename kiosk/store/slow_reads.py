"""Long reads (a year of stats, a CSV export) on a worker thread, off the event loop.

Such a read runs with a read-only connection of its own, and the loop keeps serving
alerts meanwhile: in the serving process a picklable read (a `functools.partial` of a
module-level function) goes to the reads' own process (`elsewhere`,
runtime/read_process.py), where its Python does not take the loop's GIL; any other read,
and every read without that process (tests, threading mode), runs on a real thread
(kiosk/async_mode.py says which thread pool).
"""

from __future__ import annotations

import functools
import pickle  # nosec B403  # only to see whether a read can travel to our own reading process
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from kiosk.async_mode import run_off_loop
from kiosk.store.database import Store

Result = TypeVar("Result")


class SlowReads:
    """Runs a read against a read-only connection of its own, off the event loop."""

    def __init__(self, db_path: str | Path, async_mode: str, elsewhere: Callable | None = None):
        """`elsewhere(db_path, read)`: runs a picklable read in another process (read_process.py)."""
        self.db_path = db_path
        self.async_mode = async_mode
        self.elsewhere = elsewhere

    def run(self, read: Callable[[Store], Result]) -> Result:
        if self.elsewhere is not None and _portable(read):
            return self.elsewhere(self.db_path, read)
        def on_worker_thread() -> Result:
            store = Store(self.db_path, read_only=True)
            try:
                return read(store)
            finally:
                store.close()

        return run_off_loop(self.async_mode, on_worker_thread)


def _portable(read) -> bool:
    if not isinstance(read, functools.partial):
        return False
    try:
        pickle.dumps(read)
    except (pickle.PicklingError, TypeError, AttributeError):
        return False
    return True
