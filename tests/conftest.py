"""Fixtures for the whole suite: clock, database, app, API and socket clients, a live server.

Fixtures only: the helpers behind them are in tests/support/ (tests/test_suite_layout.py
checks that no conftest grows into a library again).
"""

from __future__ import annotations

import json

import pytest

from kiosk.app import create_app
from kiosk.clock import FixedClock
from kiosk.store import Store
from tests.support.api import Api
from tests.support.demo import demo_site, wire_domain
from tests.support.live_server import PRODUCTION_MODES, LiveServer
from tests.support.paths import DOCS
from tests.support.receivers import serving_receiver


@pytest.fixture(scope="session")
def doc():
    """The OpenAPI document (docs/openapi.json) that API answers are checked against."""
    return json.loads((DOCS / "openapi.json").read_text(encoding="utf-8"))


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


@pytest.fixture
def demo(app, clock, monkeypatch):
    """A demo site: hosts Anna, Ben, Clara, kiosk 'Entrance', manager 'Maria', with credentials."""
    return demo_site(app.extensions["gastgeber"].store, clock, monkeypatch)


@pytest.fixture
def domain(store, clock, monkeypatch):
    """The wired services on a real database with the demo site; events are recorded (tests.support.demo)."""
    return wire_domain(store, clock, monkeypatch)


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


def pytest_generate_tests(metafunc):
    """A module marked `both_async_modes` runs each of its tests that starts a live server under
    eventlet and again under gevent (the `async_mode` fixture); every other module under one."""
    if "async_mode" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_async_modes"):
        metafunc.parametrize("async_mode", PRODUCTION_MODES, indirect=True, scope="module")


@pytest.fixture(scope="module")
def async_mode(request):
    """What a live server runs in: a production mode in a `both_async_modes` module, else None
    (the environment's GASTGEBER_ASYNC_MODE, else eventlet: `GASTGEBER_ASYNC_MODE=gevent pytest`
    runs every live server under gevent)."""
    return getattr(request, "param", None)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, async_mode):
    """`gastgeber serve` with the demo site, one per test module (tests.support.live_server.LiveServer)."""
    server = LiveServer(tmp_path_factory.mktemp("live"), async_mode=async_mode)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def receiver():
    """A webhook receiver on loopback (tests.support.receivers.Receiver)."""
    with serving_receiver() as made:
        yield made
