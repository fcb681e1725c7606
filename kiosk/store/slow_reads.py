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
import itertools
import pickle  # nosec B403  # only to see whether a read can travel to our own reading process
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
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

    def run_ahead(self, reads: Iterable[Callable[[Store], Result]], at_once: int) -> Iterator[Result]:
        """Each read's answer in their order, with up to `at_once` of them running meanwhile (each
        as `run` runs it, on a thread of its own: green under eventlet and gevent), so the next
        parts of an export are read while one is sent. The first error is raised in its place."""
        reads = iter(reads)
        running = deque(_Running(self.run, read) for read in itertools.islice(reads, at_once))
        while running:
            answer = running.popleft().answer()
            following = next(reads, None)
            if following is not None:
                running.append(_Running(self.run, following))
            yield answer

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


class _Running:
    """One read started on a thread of its own; `answer()` waits for it."""

    def __init__(self, run: Callable, read: Callable):
        self._outcome: tuple = (False, RuntimeError("the read did not finish"))
        self._thread = threading.Thread(target=self._run, args=(run, read), daemon=True)
        self._thread.start()

    def _run(self, run: Callable, read: Callable) -> None:
        try:
            self._outcome = (True, run(read))
        except Exception as error:  # raised where the answer is asked for
            self._outcome = (False, error)

    def answer(self):
        self._thread.join()
        ok, answer = self._outcome
        if not ok:
            raise answer
        return answer


def _portable(read) -> bool:
    if not isinstance(read, functools.partial):
        return False
    try:
        pickle.dumps(read)
    except (pickle.PicklingError, TypeError, AttributeError):
        return False
    return True
