"""What Socket.IO's libraries (python-engineio, python-socketio) log about their clients.

A client that sends what the protocol cannot take — a packet that is not JSON, a
connect with a broken payload — makes the libraries log "message handler error" with
a traceback of their own frames, 1.5 KB a time, as often as a client likes. Such a
record becomes one short line naming the error. A traceback through Gastgeber's own
code (kiosk/, staffboard/) is a fault of ours and stays whole.
"""

from __future__ import annotations

import logging
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OWN_CODE = (str(ROOT / "kiosk"), str(ROOT / "staffboard"))
LIBRARY_LOGGERS = ("engineio.server", "socketio.server")
LONGEST_DETAIL = 160


class ClientFaultsInOneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None and not _through_own_code(record.exc_info[2]):
            error = record.exc_info[1]
            detail = (str(error).splitlines() or [""])[0][:LONGEST_DETAIL]
            record.msg = f"{record.getMessage()} (a client's bad packet, ignored): {type(error).__name__}: {detail}"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True


def _through_own_code(traceback) -> bool:
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename.startswith(OWN_CODE):
            return True
        traceback = traceback.tb_next
    return False


def one_line_for_client_faults() -> None:
    """Install the filter on the libraries' loggers (once, however many apps are made)."""
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, ClientFaultsInOneLine) for existing in logger.filters):
            logger.addFilter(ClientFaultsInOneLine())
