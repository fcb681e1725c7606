"""Work on an OS thread, off the event loop: the one place that knows each async mode's thread pool.

Under eventlet every request and every alert share one OS thread: a 200 ms query or
an fsync there would hold every alert that long. Group commit's fsync (durability.py),
WAL checkpoints and long reads (slow_reads.py) run here instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

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
