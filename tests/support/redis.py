"""A real redis-server of the test's own, and `needs(program)` for tests that need one."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from tests.support.live_server import free_port
from tests.support.polling import wait_until


def needs(program: str) -> str:
    """The path of a program a test needs; without it: skip on a laptop, fail under CI=true.
    Daemons such as mosquitto live in /usr/sbin, which a user's PATH may lack."""
    path = shutil.which(program) or shutil.which(program, path="/usr/sbin:/sbin")
    if path is None:
        message = f"needs {program} (Debian package; .ci/run installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


class RedisServer:
    """A real redis-server on a free loopback port, without persistence."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}"
        self.workdir = workdir
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [needs("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self._answers_ping, timeout=10, message="redis-server answering PING", interval=0.02)

    def _answers_ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False  # the port is not open yet

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
