"""Long reads (a year of stats, a CSV export) on a worker thread, off the event loop.

Such a read runs on a real thread with a read-only connection of its own, and the
loop keeps serving alerts meanwhile (kiosk/async_mode.py says which thread pool).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from kiosk.async_mode import run_off_loop
from kiosk.store.database import Store

Result = TypeVar("Result")


class SlowReads:
    """Runs a read against a read-only connection of its own, off the event loop."""

    def __init__(self, db_path: str | Path, async_mode: str):
        self.db_path = db_path
        self.async_mode = async_mode

    def run(self, read: Callable[[Store], Result]) -> Result:
        def on_worker_thread() -> Result:
            store = Store(self.db_path, read_only=True)
            try:
                return read(store)
            finally:
                store.close()

        return run_off_loop(self.async_mode, on_worker_thread)
