"""Shared fixtures: clock, database, app, API helpers, socket clients and a real server."""

from __future__ import annotations

import functools
import itertools
import json
import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
import socketio

from kiosk.domain import auth, people as team
from kiosk.domain import config
from kiosk.app import create_app
from kiosk.wiring import build_services
from kiosk.domain.auth import Principal
from kiosk.clock import FixedClock
from kiosk.store import Store
from kiosk.domain.people import add_demo_site

ROOT = Path(__file__).resolve().parent.parent
WAIT = 10  # seconds an expected live event may take before a test fails


@pytest.fixture(scope="session")
def doc():
    """The OpenAPI document (docs/openapi.json) that API answers are checked against."""
    return json.loads((ROOT / "docs" / "openapi.json").read_text(encoding="utf-8"))


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


def _demo_site(store, clock, monkeypatch):
    """PINs are fixed per host position and their (deliberately slow) hashes are
    computed once per test run, so hundreds of tests need not pay for scrypt."""
    pins = itertools.cycle(["111111", "222222", "333333"])
    monkeypatch.setattr(team, "new_pin", lambda: next(pins))
    monkeypatch.setattr(team, "hash_pin", _hash_pin_once)
    return add_demo_site(store, clock)


@pytest.fixture
def demo(app, clock, monkeypatch):
    """A demo site: hosts Anna, Ben, Clara, kiosk 'Entrance', manager 'Maria', with credentials."""
    return _demo_site(app.extensions["gastgeber"].store, clock, monkeypatch)


@dataclass
class Domain:
    """The plain-Python core wired by hand, as a test sees it: no Flask, no sockets."""

    store: Store
    clock: FixedClock
    settings: dict
    presence: object
    escalator: object
    appointments: object
    desk: object
    events: list
    site: dict

    def principal(self, role, person):
        return Principal(role, person["id"], person["name"], 1, self.site["site"])

    def host(self, name):
        return self.principal("host", next(h for h in self.site["hosts"] if h["name"] == name))

    @property
    def kiosk(self):
        return self.principal("kiosk", self.site["kiosk"])

    def check_in(self, name="Zoë", **fields):
        checkin = {"name": name, "client_id": f"d-{os.urandom(6).hex()}", **fields}
        return self.desk.check_in(self.kiosk, checkin)[0]

    def wait(self, seconds):
        """Let time pass while the serving process keeps its boards' heartbeat going."""
        self.clock.advance(seconds)
        self.presence.heartbeat()

    def named(self, event_name):
        return [event for event in self.events if event.name == event_name]


class Recorder:
    """A publisher that keeps every event, for a test to read."""

    def __init__(self, events):
        self.publish = events.append


@pytest.fixture
def domain(store, clock, monkeypatch):
    """The wired services (kiosk/wiring.py) on a real database with the demo site; events are recorded."""
    settings = config.defaults() | {"db": str(store.path), "kiosk_checkins_per_minute": 1000}
    events = []
    services = build_services(settings, store, clock, publisher_for=lambda presence: Recorder(events))
    site = _demo_site(store, clock, monkeypatch)
    return Domain(store, clock, settings, services.presence, services.escalator, services.appointments,
                  services.desk, events, site)


CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def form_post(client, path, data=None, *, page=None, **kwargs):
    """Post a browser form the way a browser does: with the CSRF token of the page that shows it."""
    html = client.get(page or path, base_url=kwargs.get("base_url")).get_data(as_text=True)
    token = CSRF_FIELD.search(html).group(1)
    return client.post(path, data={**(data or {}), "csrf_token": token}, **kwargs)


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

    def __init__(self, workdir: Path, extra_config: str = "", *, message_queue: str | None = None):
        self.db_path = workdir / "gastgeber.db"
        self.config_path = workdir / "gastgeber.toml"
        self.config_path.write_text(extra_config)
        self.log_path = workdir / "server.log"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.message_queue = message_queue
        demo = json.loads(self.gastgeber("init", "--demo", "--json").stdout)["demo"]
        self.hosts, self.kiosk, self.manager = demo["hosts"], demo["kiosk"], demo["manager"]
        self.process = None

    def another_process(self, name: str) -> "LiveServer":
        """A second `gastgeber serve` on the same database, config and message queue."""
        twin = object.__new__(LiveServer)
        twin.__dict__.update(self.__dict__, port=free_port(), process=None,
                             log_path=self.log_path.with_name(f"server-{name}.log"))
        twin.url = f"http://127.0.0.1:{twin.port}"
        return twin

    def gastgeber(self, *args) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "kiosk", *args, "--db", str(self.db_path), "--config", str(self.config_path)]
        return subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT, timeout=60)

    def start(self) -> None:
        command = [sys.executable, "-m", "kiosk", "serve", "--port", str(self.port),
                   "--db", str(self.db_path), "--config", str(self.config_path)]
        if self.message_queue:
            command += ["--message-queue", self.message_queue]
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


class Board:
    """A python-socketio client that records every event it receives, in order."""

    def __init__(self, url: str, token: str):
        self.events: queue.Queue = queue.Queue()
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", lambda name, data: self.events.put((name, data)))
        self.client.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=WAIT)

    def next(self, name: str) -> dict:
        """The next event called `name`, skipping others; fails after WAIT seconds."""
        while True:
            try:
                event, data = self.events.get(timeout=WAIT)
            except queue.Empty:
                pytest.fail(f"no '{name}' event within {WAIT} s")
            if event == name:
                return data

    def close(self) -> None:
        self.client.disconnect()


@pytest.fixture
def boards(live_server):
    """Connect real Socket.IO boards to the module's live server; all closed at the end."""
    made = []

    def connect(token):
        board = Board(live_server.url, token)
        made.append(board)
        return board

    yield connect
    for board in made:
        board.close()


def needs(program: str) -> str:
    """The path of a program a test needs; without it: skip on a laptop, fail under CI=true."""
    path = shutil.which(program)
    if path is None:
        message = f"needs {program} (Debian package; .ci/run installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


class RedisServer:
    """A real redis-server of the test's own on a free loopback port, without persistence."""

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
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as connection:
                    connection.sendall(b"PING\r\n")
                    if connection.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.02)  # waiting for the port to open
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("live"))
    server.start()
    yield server
    server.stop()


@dataclass
class Receiver:
    """A webhook receiver on loopback (fixture `receiver`): answers each POST with the next of `statuses` (then 200); `hold` keeps requests waiting."""

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


@pytest.fixture
def receiver():
    made = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), made.handler())
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    made.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/gastgeber?src=test"
    yield made
    if made.hold is not None:
        made.hold.set()
    server.shutdown()
    server.server_close()
    thread.join(5)
