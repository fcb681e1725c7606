"""A webhook receiver on loopback (fixture `receiver`), and what docs/webhooks.md tells a receiver to check."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Receiver:
    """Answers each POST with the next of `statuses` (then 200); `hold` keeps requests waiting."""

    statuses: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    hold: threading.Event | None = None
    arrived: threading.Event = field(default_factory=threading.Event)
    url: str = ""

    def handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body, "at": time.time()})
                receiver.arrived.set()
                if receiver.hold is not None:
                    receiver.hold.wait(10)
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        return Handler


@contextmanager
def serving_receiver():
    """A Receiver listening on a free loopback port until the block ends."""
    made = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), made.handler())
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    made.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/gastgeber?src=test"
    try:
        yield made
    finally:
        if made.hold is not None:
            made.hold.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


def receiver_checks(secret: str, request: dict, now: float) -> dict:
    """What docs/webhooks.md tells a receiver to do: split the header, recompute the HMAC
    over "<t>.<raw body>", compare in constant time, refuse old timestamps, then parse."""
    header = request["headers"]["X-Gastgeber-Signature"]
    parts = dict(item.split("=", 1) for item in header.split(","))
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + request["body"], hashlib.sha256).hexdigest()
    assert hmac.compare_digest(expected, parts["v1"]), "the signature does not verify"
    assert abs(now - int(parts["t"])) <= 300, "the timestamp is too old"
    return json.loads(request["body"])
