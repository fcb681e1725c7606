"""A real `gastgeber serve` in a subprocess, and real Socket.IO boards connected to it."""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests
import socketio

from tests.support.paths import ROOT
from tests.support.polling import WAIT, wait_until

__all__ = ["PRODUCTION_MODES", "WAIT", "Board", "LiveServer", "free_port"]
PRODUCTION_MODES = ("eventlet", "gevent")  # README: both are supported in production


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    """`gastgeber serve` in a subprocess on a free loopback port.

    With `demo` (the default) the database holds the demo site (`gastgeber init --demo`):
    `hosts`, `kiosk` and `manager` carry their credentials. Without it the database is
    made by plain `gastgeber init`: no site, no manager, as on a first run.

    `async_mode` (eventlet, gevent, threading) is what `serve` runs in, through
    GASTGEBER_ASYNC_MODE; without it, the environment's (else eventlet)."""

    def __init__(self, workdir: Path, extra_config: str = "", *, message_queue: str | None = None,
                 demo: bool = True, async_mode: str | None = None):
        self.db_path = workdir / "gastgeber.db"
        self.config_path = workdir / "gastgeber.toml"
        self.config_path.write_text(extra_config)
        self.log_path = workdir / "server.log"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.message_queue = message_queue
        self.async_mode = async_mode
        self.process = None
        self.hosts, self.kiosk, self.manager = [], None, None
        if demo:
            made = json.loads(self.gastgeber("init", "--demo", "--json").stdout)["demo"]
            self.hosts, self.kiosk, self.manager = made["hosts"], made["kiosk"], made["manager"]
        else:
            self.gastgeber("init")

    def another_process(self, name: str) -> LiveServer:
        """A second `gastgeber serve` on the same database, config and message queue."""
        twin = object.__new__(LiveServer)
        twin.__dict__.update(self.__dict__, port=free_port(), process=None,
                             log_path=self.log_path.with_name(f"server-{name}.log"))
        twin.url = f"http://127.0.0.1:{twin.port}"
        return twin

    def gastgeber(self, *args) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "kiosk", *args, "--db", str(self.db_path), "--config", str(self.config_path)]
        return subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT, timeout=60)

    def serve_command(self) -> list[str]:
        command = [sys.executable, "-m", "kiosk", "serve", "--port", str(self.port),
                   "--db", str(self.db_path), "--config", str(self.config_path)]
        return command + (["--message-queue", self.message_queue] if self.message_queue else [])

    def start(self, *, sigint_ignored: bool = False) -> None:
        """`sigint_ignored`: start it as `serve &` from a script does, with SIGINT ignored."""
        ignore = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if sigint_ignored else None
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(self.serve_command(), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                            preexec_fn=ignore, env=self.environment())
        wait_until(self._healthy, timeout=30,
                   message=lambda: f"the server answering /healthz:\n{self.log_path.read_text()}")

    def environment(self) -> dict:
        """The environment `serve` runs in: this one, with the async mode asked for."""
        if self.async_mode is None:
            return dict(os.environ)
        return {**os.environ, "GASTGEBER_ASYNC_MODE": self.async_mode}

    def _healthy(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"server exited at start:\n{self.log_path.read_text()}")
        try:
            return requests.get(f"{self.url}/healthz", timeout=1).ok
        except requests.ConnectionError:
            return False  # the port is not open yet

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def call(self, method: str, path: str, token: str | None, **kwargs) -> requests.Response:
        """`method /api/v1<path>` with `token` as the bearer (none without it)."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return requests.request(method, f"{self.url}/api/v1{path}", timeout=10, headers=headers, **kwargs)

    def check_in(self, name, client_id=None, **fields) -> requests.Response:
        """A check-in as the demo kiosk."""
        body = {"name": name, "client_id": client_id or f"live-{os.urandom(6).hex()}", **fields}
        return self.call("POST", "/checkins", self.kiosk["token"], json=body)

    def close_open_visits(self) -> None:
        """An empty floor: every open visit is completed (when greeted) or abandoned."""
        host = self.hosts[0]["token"]
        answer = self.call("GET", "/visits?status=open", host)
        assert answer.status_code == 200, answer.text
        for visit in answer.json()["visits"]:
            action = "complete" if visit["status"] == "greeted" else "abandon"
            done = self.call("POST", f"/visits/{visit['id']}/{action}", host, json={})
            assert done.status_code == 200, done.text


class Board:
    """A python-socketio client that records every event it receives, in order."""

    def __init__(self, url: str, token: str, *, reconnect_after: float | None = None):
        """`reconnect_after`: reconnect that many seconds after the server went away (as the
        staff board does), recording ("disconnect", None) in the events; without it, never."""
        self.events: queue.Queue = queue.Queue()
        if reconnect_after is None:
            self.client = socketio.Client(reconnection=False)
        else:
            self.client = socketio.Client(reconnection_delay=reconnect_after, reconnection_delay_max=reconnect_after,
                                          randomization_factor=0)
            self.client.on("disconnect", lambda *_: self.events.put(("disconnect", None)))
        self.client.on("*", lambda name, data: self.events.put((name, data)))
        self.client.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=WAIT)

    def next(self, name: str, visit_id=None, status: str | None = None) -> dict:
        """The next event called `name`, skipping others; with `visit_id` (and `status`) the next
        one about that visit (in that status). Fails after WAIT seconds without one."""
        while True:
            try:
                event, data = self.events.get(timeout=WAIT)
            except queue.Empty:
                pytest.fail(f"no '{name}' event within {WAIT} s")
            if event != name:
                continue
            if visit_id is not None and data["visit"]["id"] != visit_id:
                continue
            if status is not None and data["visit"]["status"] != status:
                continue
            return data

    def close(self) -> None:
        self.client.disconnect()
