"""The drill over HTTP (/api/v1/drills): "Test my alert" on a host's board (kiosk/domain/drills.py)."""

from __future__ import annotations

from flask import jsonify

from kiosk.web.api import api
from kiosk.web.common import requires, services


@api.post("/drills")
@requires("host")
def run_drill(principal):
    """Answered once every board answered (or ANSWER_SECONDS passed) and every channel was tried."""
    return jsonify({"drill": services().drills.run(principal)})
