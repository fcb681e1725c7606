"""Long reads (a year of stats, a CSV export) on a worker thread, off the event loop.

Under eventlet every request and every alert share one OS thread: a 200 ms query
there would hold every alert for 200 ms. Such reads run on a real thread with a
read-only connection of their own, and the loop keeps serving meanwhile. Which
thread pool that is depends on the async mode; this module is the one place that
knows.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable, TypeVar

if TYPE_CHECKING:  # the store uses run_off_loop too (store/durability.py)
    from kiosk.store import Store

Result = TypeVar("Result")


def run_off_loop(async_mode: str, function: Callable[[], Result]) -> Result:
    """Call `function` on an OS thread and wait for it without blocking the event loop."""
    if async_mode == "eventlet":
        from eventlet import tpool

        return tpool.execute(function)
    if async_mode == "gevent":
        import gevent

        return gevent.get_hub().threadpool.apply(function)
    return function()  # threading: every request has its own thread already


class SlowReads:
    """Runs a read against a read-only connection of its own, off the event loop."""

    def __init__(self, db_path: str | Path, async_mode: str):
        self.db_path = db_path
        self.async_mode = async_mode

    def run(self, read: Callable[[Store], Result]) -> Result:
        from kiosk.store import Store

        def on_worker_thread() -> Result:
            store = Store(self.db_path, read_only=True)
            try:
                return read(store)
            finally:
                store.close()

        return run_off_loop(self.async_mode, on_worker_thread)
