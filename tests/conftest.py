"""Shared fixtures: clock, database, app, API helpers, socket clients and a real server."""

from __future__ import annotations

import functools
import itertools
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from kiosk import auth, team
from kiosk.app import create_app
from kiosk.clock import FixedClock
from kiosk.store import Store
from kiosk.team import add_demo_site

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def clock():
    return FixedClock("2026-11-23T09:00:00.000Z")


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "gastgeber.db"


@pytest.fixture
def store(db_path):
    store = Store(db_path)
    store.migrate()
    yield store
    store.close()


@pytest.fixture
def settings(db_path):
    """Settings for the app under test; tests may change them before `app` is built."""
    return {"db": str(db_path)}


@pytest.fixture
def app(settings, clock):
    app = create_app({**settings, "clock": clock, "async_mode": "threading"})
    app.config["TESTING"] = True
    yield app
    app.extensions["gastgeber"].store.close()


@pytest.fixture
def client(app):
    return app.test_client()


@functools.lru_cache(maxsize=None)
def _hash_pin_once(pin):
    return auth.hash_pin(pin)


@pytest.fixture
def demo(app, clock, monkeypatch):
    """A demo site: hosts Anna, Ben, Clara, kiosk 'Entrance', manager 'Maria', with credentials.

    PINs are fixed per host position and their (deliberately slow) hashes are
    computed once per test run, so hundreds of tests need not pay for scrypt.
    """
    pins = itertools.cycle(["111111", "222222", "333333"])
    monkeypatch.setattr(team, "new_pin", lambda: next(pins))
    monkeypatch.setattr(team, "hash_pin", _hash_pin_once)
    return add_demo_site(app.extensions["gastgeber"].store, clock)


class Api:
    """Calls the HTTP API the way a kiosk, board or integration does."""

    def __init__(self, client):
        self.client = client

    def post(self, path, token=None, body=None, **kwargs):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.client.post(f"/api/v1{path}", json=body, headers=headers, **kwargs)

    def get(self, path, token=None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.client.get(f"/api/v1{path}", headers=headers)

    def check_in(self, kiosk_token, name="Zoë Example", client_id=None, **fields):
        body = {"name": name, "client_id": client_id or f"c-{os.urandom(6).hex()}", **fields}
        return self.post("/checkins", kiosk_token, body)

    def act(self, host_token, visit_id, action, body=None):
        return self.post(f"/visits/{visit_id}/{action}", host_token, body)


@pytest.fixture
def api(client):
    return Api(client)


@pytest.fixture
def socket_client(app, client):
    """Make Flask-SocketIO test clients; all are disconnected at the end."""
    socketio = app.extensions["socketio"]
    made = []

    def connect(token=None, auth=None, flask_client=None):
        auth = auth if auth is not None else ({"token": token} if token else None)
        sio = socketio.test_client(app, auth=auth, flask_test_client=flask_client or client)
        made.append(sio)
        return sio

    yield connect
    for sio in made:
        if sio.is_connected():
            sio.disconnect()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    """`gastgeber serve` in a subprocess on a free loopback port, with a demo site."""

    def __init__(self, workdir: Path, extra_config: str = ""):
        self.db_path = workdir / "gastgeber.db"
        self.config_path = workdir / "gastgeber.toml"
        self.config_path.write_text(extra_config)
        self.log_path = workdir / "server.log"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        demo = json.loads(self.gastgeber("init", "--demo", "--json").stdout)["demo"]
        self.hosts, self.kiosk, self.manager = demo["hosts"], demo["kiosk"], demo["manager"]
        self.process = None

    def gastgeber(self, *args) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "kiosk", *args, "--db", str(self.db_path), "--config", str(self.config_path)]
        return subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT, timeout=60)

    def start(self) -> None:
        command = [sys.executable, "-m", "kiosk", "serve", "--port", str(self.port),
                   "--db", str(self.db_path), "--config", str(self.config_path)]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited at start:\n{self.log_path.read_text()}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=1).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.05)  # waiting for the port to open, not synchronising on behaviour
        raise RuntimeError(f"server did not answer /healthz within 30 s:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def check_in(self, name, client_id=None, **fields):
        body = {"name": name, "client_id": client_id or f"live-{os.urandom(6).hex()}", **fields}
        return requests.post(f"{self.url}/api/v1/checkins", json=body, timeout=10,
                             headers={"Authorization": f"Bearer {self.kiosk['token']}"})


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("live"))
    server.start()
    yield server
    server.stop()
