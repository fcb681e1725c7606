"""The async mode `gastgeber serve` runs in: the one module that imports eventlet or gevent.

`eventlet` (the default) and `gevent` are production modes, `threading` (Werkzeug's own
server) is for development. The mode is the config file's `async_mode`, overridden by
`GASTGEBER_ASYNC_MODE`. The entry point (kiosk/__main__.py) patches the standard library
for it before anything else is imported; everything else uses Flask-SocketIO's API
(`start_background_task`, `sleep`) and this module's `run_off_loop` and `serve`.

Every connection is served with TCP_NODELAY. An alert is a small write that often
follows another one to the same board a moment earlier (the previous visit's
`visit.updated`, a team update). With Nagle's algorithm the kernel holds such a
write until the board has acknowledged the earlier one, and boards — browsers
and the benchmark's clients alike — delay acknowledgements by up to 40 ms: in a
run of check-ins a tenth of the alerts arrived ~40 ms late.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TypeVar

from kiosk.domain import config  # plain Python: neither sockets nor threads are imported with it

ENVIRONMENT = "GASTGEBER_ASYNC_MODE"
MODES = config.ASYNC_MODES
DEFAULT = config.SETTINGS_BY_NAME["async_mode"].default
Result = TypeVar("Result")


class AsyncModeError(ValueError):
    """An async mode that does not exist; the message is one line for the operator."""


def choose(configured: str | None, environ: Mapping[str, str] = os.environ) -> str:
    """The mode to serve in: the environment's, else the config file's, else eventlet."""
    mode = environ.get(ENVIRONMENT) or configured or DEFAULT
    if mode not in MODES:
        raise AsyncModeError(f"{ENVIRONMENT} must be eventlet or gevent (or threading, for development only), "
                             f"got {mode!r}")
    return mode


def configured(argv: list[str], environ: Mapping[str, str] = os.environ) -> str | None:
    """The config file's `async_mode` for `serve` with these arguments (`--config FILE` or
    GASTGEBER_CONFIG), read before anything is patched; None for a file that cannot be
    used, which the command then refuses with its one line."""
    path = environ.get("GASTGEBER_CONFIG")
    for index, argument in enumerate(argv):
        if argument == "--config" and index + 1 < len(argv):
            path = argv[index + 1]
        elif argument.startswith("--config="):
            path = argument.removeprefix("--config=")
    try:
        return config.load(path, required=path is not None)["async_mode"]
    except config.ConfigError:
        return None


def patch(mode: str) -> None:
    """Make the standard library cooperative for `mode`: before anything else is imported."""
    if mode == "eventlet":
        import warnings

        warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")  # we know; see README
        import eventlet

        eventlet.monkey_patch()
    elif mode == "gevent":
        from gevent import monkey

        monkey.patch_all()


def run_off_loop(mode: str, function: Callable[[], Result]) -> Result:
    """Call `function` on an OS thread and wait for it without blocking the event loop.

    Under eventlet and gevent every request and every alert share one OS thread: a 200 ms
    query or an fsync there would hold every alert that long. Group commit's fsync, WAL
    checkpoints, long reads and Apprise's sends run here instead."""
    if mode == "eventlet":
        from eventlet import tpool

        return tpool.execute(function)
    if mode == "gevent":
        import gevent

        return gevent.get_hub().threadpool.apply(function)
    return function()  # threading: every request has its own thread already


def serve(app, socketio, host: str, port: int, *, max_connections: int, access_log: bool) -> None:
    """Serve `app` until the process ends: at most `max_connections` at once, each with TCP_NODELAY."""
    if socketio.async_mode == "gevent":
        _serve_gevent(app, socketio, host, port, max_connections, access_log)
    elif socketio.async_mode == "eventlet":
        socketio.run(app, host=host, port=port, log_output=access_log, max_size=max_connections,
                     protocol=_eventlet_protocol())
    else:
        socketio.run(app, host=host, port=port, log_output=access_log,
                     allow_unsafe_werkzeug=True)  # development only (README): Werkzeug's own server


def _eventlet_protocol():
    from eventlet import wsgi

    class NoDelayProtocol(wsgi.HttpProtocol):
        def setup(self):
            _no_delay(self.request)
            super().setup()

    return NoDelayProtocol


def _serve_gevent(app, socketio, host, port, max_connections, access_log) -> None:
    """gevent's WSGI server with gevent-websocket's handler, as `socketio.run` builds it,
    plus what run() cannot pass: a handler that sets TCP_NODELAY, and a bounded pool."""
    from gevent.pool import Pool
    from gevent.pywsgi import WSGIServer
    from geventwebsocket.handler import WebSocketHandler

    class NoDelayHandler(WebSocketHandler):
        def handle(self):
            _no_delay(self.socket)
            super().handle()

    server = WSGIServer((host, port), app, handler_class=NoDelayHandler, spawn=Pool(max_connections),
                        log="default" if access_log else None)
    socketio.wsgi_server = server  # where Flask-SocketIO's stop() looks for it
    server.serve_forever()


def _no_delay(connection) -> None:
    import socket  # here, not at the top: this module is imported before the patching

    try:
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:
        pass  # not a TCP socket
