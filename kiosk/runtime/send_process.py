"""The serving process's side of the channels' sending process (send_worker.py).

`SendProcess.send` has sending.send's signature; it hands the send to the other process
over a Unix socket and waits for the outcome on that socket, which under eventlet or
gevent (both patch `socket`) lets the event loop go on meanwhile: no OS thread of this
process, no GIL taken from the boards' alerts. A process that died is started again at
the next send; a send it could not answer is a failed attempt, which the outbox retries.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import socket
import subprocess  # nosec B404  # starts our own send_worker with this interpreter, no shell
import sys
import tempfile
import time
from pathlib import Path

from kiosk.domain.channels.sending import TIMEOUT_SECONDS

ANSWER_GRACE_SECONDS = 5.0  # beyond the send's own timeout, for DNS and the other process's start
ANSWER_MAX = 64 * 1024


class SendProcess:
    WORKER = "kiosk.runtime.send_worker"  # the program on the other side

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="gastgeber-send-"))  # 0700: only this user connects
        self.path = str(self.folder / "send.sock")
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        """Bind the socket here, then start the process on it: a send connects at once, the
        connection waits in the backlog until the process accepts."""
        if os.path.exists(self.path):
            os.unlink(self.path)
        listening = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listening.bind(self.path)
            listening.listen(64)
            self.process = subprocess.Popen(  # nosec B603  # fixed argv, this interpreter
                [sys.executable, "-m", self.WORKER, str(listening.fileno())],
                stdin=subprocess.PIPE, pass_fds=(listening.fileno(),), close_fds=True)
        finally:
            listening.close()  # the process holds its own copy

    def send(self, url: str, title: str, body: str, *, allow_private: bool,
             timeout: float = TIMEOUT_SECONDS, html: str | None = None, image: bytes | None = None) -> dict:
        """One send in the other process: `{"ok", "error", "ms"}`, as sending.send answers
        (`image`, a digest's chart, travels as base64)."""
        started = time.monotonic()
        asked = json.dumps({"url": url, "title": title, "body": body, "allow_private": allow_private,
                            "timeout": timeout, "html": html,
                            "image": base64.b64encode(image).decode() if image else None}).encode() + b"\n"
        for _ in range(2):
            try:
                return self._ask(asked, timeout + ANSWER_GRACE_SECONDS)
            except (ConnectionRefusedError, FileNotFoundError):
                self._start_again()
            except (OSError, ValueError):
                break
        return {"ok": False, "error": "The sending process did not answer; the next attempt will tell",
                "ms": round((time.monotonic() - started) * 1000)}

    def _ask(self, asked: bytes, timeout: float) -> dict:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(timeout)
            connection.connect(self.path)
            connection.sendall(asked)
            with connection.makefile("rb") as answers:
                outcome = json.loads(answers.readline(ANSWER_MAX))
        if not isinstance(outcome, dict) or "ok" not in outcome:
            raise ValueError("not an outcome")
        return {"ok": bool(outcome["ok"]), "error": outcome.get("error"), "ms": outcome.get("ms")}

    def _start_again(self) -> None:
        if self.process is None or self.process.poll() is not None:
            self._end()
            self.start()

    def _end(self) -> None:
        """Close its pipe (which ends it: it waits for nothing else) and collect its exit."""
        if self.process is not None:
            self.process.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(ANSWER_GRACE_SECONDS)
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()

    def close(self) -> None:
        self._end()
        with contextlib.suppress(OSError):
            os.unlink(self.path)
            os.rmdir(self.folder)
