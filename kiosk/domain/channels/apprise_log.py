"""Apprise's log, kept out of ours: it may quote a URL with its secrets ("Unparseable URL …").

Apprise writes to the `apprise` logger. `quiet_apprise()` stops it from reaching the
application's log and collects its warnings instead, per thread, so a send can tell why
it failed (`captured()`); sending.py scrubs every secret of the URL from that text
before it is stored or logged.
"""

from __future__ import annotations

import contextlib
import logging
import threading

_local = threading.local()
_installed = threading.Lock()
_done = False


class _Collector(logging.Handler):
    """Keeps the warnings of the thread that is capturing; drops everything else."""

    def emit(self, record: logging.LogRecord) -> None:
        lines = getattr(_local, "lines", None)
        if lines is not None and len(lines) < 20:
            try:
                lines.append(record.getMessage())
            except Exception:  # a record that cannot be formatted tells nothing
                return


def quiet_apprise() -> None:
    """Once per process: Apprise's records go only to the collector."""
    global _done
    if _done:
        return
    with _installed:
        if not _done:
            apprise_log = logging.getLogger("apprise")
            apprise_log.propagate = False
            apprise_log.handlers[:] = [_Collector(level=logging.WARNING)]
            apprise_log.setLevel(logging.WARNING)
            _done = True


@contextlib.contextmanager
def captured():
    """Apprise's warnings of this thread while the block runs, as a list of texts."""
    quiet_apprise()
    _local.lines = lines = []
    try:
        yield lines
    finally:
        _local.lines = None
