"""What the Socket.IO libraries log: a client's bad packet in one short line, a fault of ours whole."""

import json
import logging

from kiosk.clock import from_iso
from kiosk.realtime.library_logs import one_line_for_client_faults


def logged(caplog, fail):
    one_line_for_client_faults()
    logger = logging.getLogger("engineio.server")
    with caplog.at_level(logging.ERROR, logger="engineio.server"):
        try:
            fail()
        except Exception:
            logger.exception("message handler error")
    record = caplog.records[-1]
    return caplog.handler.format(record)


def test_a_clients_bad_packet_is_one_short_line(caplog):
    line = logged(caplog, lambda: json.loads("{not json"))
    assert "\n" not in line and "Traceback" not in line and len(line) < 300
    assert "message handler error (a client's bad packet, ignored): JSONDecodeError" in line


def test_a_fault_in_our_own_code_keeps_its_traceback(caplog):
    text = logged(caplog, lambda: from_iso("not a time"))
    assert "Traceback" in text and "kiosk/clock.py" in text
