"""Receivers on loopback: a webhook receiver (fixture `receiver`, also a channel's `json://`
target), what docs/webhooks.md tells a receiver to check, and a real SMTP server for e-mail channels."""

from __future__ import annotations

import email
import email.policy
import hashlib
import hmac
import json
import socket
import ssl
import subprocess
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.support.redis import needs


@dataclass
class Receiver:
    """Answers each POST with the next of `statuses` (then 200); `hold` keeps requests waiting."""

    statuses: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    hold: threading.Event | None = None
    arrived: threading.Event = field(default_factory=threading.Event)
    url: str = ""
    port: int = 0
    server_names: list = field(default_factory=list)  # the names clients asked for in TLS (SNI)

    def handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body, "at": time.time(),
                                          "path": self.path})
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
def serving_receiver(certificate: tuple[str, str] | None = None, port: int = 0):
    """A Receiver listening on loopback (a free port unless given) until the block ends; with
    `certificate` (certificate file, key file) it speaks HTTPS and records each SNI name."""
    made = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", port), made.handler())
    server.daemon_threads = True
    if certificate is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*certificate)
        context.sni_callback = lambda _socket, name, _context: made.server_names.append(name)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    scheme, made.port = ("https" if certificate else "http"), server.server_address[1]
    made.url = f"{scheme}://127.0.0.1:{server.server_address[1]}/hooks/gastgeber?src=test"
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


def self_signed_certificate(directory, name: str) -> tuple[str, str]:
    """A certificate for `name` (and its key), made with the openssl command (skipped without
    it on a laptop, failed under CI=true)."""
    openssl = needs("openssl")
    certificate, key = str(directory / f"{name}.crt"), str(directory / f"{name}.key")
    subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", key, "-out", certificate, "-days", "1", "-subj", f"/CN={name}",
                    "-addext", f"subjectAltName=DNS:{name}"], check=True, capture_output=True)
    return certificate, key


def apprise_json_url(receiver: Receiver, path: str = "notify") -> str:
    """The receiver as an Apprise `json://` channel: Apprise POSTs its JSON message there."""
    host_port = receiver.url.split("://", 1)[1].split("/", 1)[0]
    return f"json://{host_port}/{path}"


@dataclass
class MailServer:
    """A real SMTP server on loopback (aiosmtpd) that takes one user's login and keeps each message."""

    user: str
    password: str
    port: int = 0
    messages: list = field(default_factory=list)

    async def handle_DATA(self, _server, _session, envelope):  # aiosmtpd's handler hook
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        return "250 OK"

    def authenticate(self, _server, _session, _envelope, _mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult, LoginPassword

        ok = isinstance(auth_data, LoginPassword) and (auth_data.login.decode(), auth_data.password.decode()) == (
            self.user, self.password)
        return AuthResult(success=ok)

    def url(self, to: str) -> str:
        """An Apprise e-mail URL for this server (plain SMTP with login: it is on this machine)."""
        return f"mailto://{self.user}:{self.password}@127.0.0.1:{self.port}?to={to}&from=gastgeber@example.org"

    def texts(self) -> list[str]:
        return [message.get_body(("plain", "html")).get_content() for message in self.messages]


@contextmanager
def serving_mail(user: str = "anna", password: str = "s3cret-Mail-pw"):
    """A MailServer listening on a free loopback port until the block ends."""
    from aiosmtpd.controller import Controller

    made = MailServer(user, password)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        made.port = probe.getsockname()[1]
    controller = Controller(made, hostname="127.0.0.1", port=made.port, authenticator=made.authenticate,
                            auth_require_tls=False)
    controller.start()
    try:
        yield made
    finally:
        controller.stop()
