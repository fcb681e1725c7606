"""The app factory: settings, database, the wired services, the live side, then each area's init_app."""

from __future__ import annotations

import functools
from datetime import timedelta
from pathlib import Path

from flask import Flask, jsonify, request
from flask.sessions import SecureCookieSessionInterface
from flask_socketio import SocketIO
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

import staffboard
from kiosk.async_mode import run_off_loop
from kiosk.clock import SystemClock
from kiosk.domain import config as settings_module
from kiosk.domain.sessions import BrowserSessions
from kiosk.realtime.connections import Connections
from kiosk.realtime.library_logs import one_line_for_client_faults
from kiosk.realtime.publisher import Publisher
from kiosk.store import SlowReads, Store
from kiosk.web import admin, api, assets, brand, common, door, i18n, operator, setup, stats, status
from kiosk.wiring import build_services
from staffboard.snapshot import TeamUpdates, board_snapshot

ROOT = Path(__file__).resolve().parent.parent
# Pages load scripts and styles only from this server: no inline code, no framing.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                               "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
# Files the same for everyone, which browsers may keep; every other answer may carry a PIN, a
# token, a secret or someone's data, and is never stored by a browser or a proxy.
PUBLIC_FILES = ("/assets/", "/static/", "/vendor/", "/i18n/", "/brand/")
MAX_BODY_BYTES = 64 * 1024


class PublicFilesWithoutSession(SecureCookieSessionInterface):
    """The public files never carry the session: no Set-Cookie (a session's refresh would
    otherwise ride on an answer that caches may keep) and no `Vary: Cookie` (with a cookie that
    is refreshed on every answer, browsers would never reuse what they kept)."""

    def save_session(self, app, session, response):
        if request.path.startswith(PUBLIC_FILES):
            return
        super().save_session(app, session, response)


def create_app(config: dict | None = None) -> Flask:
    """Build the app. `config` holds settings (see config.py), and optionally a
    `clock`, the `async_mode`, a `message_queue` URL and the built browser files' folder
    `assets_dir` (dist/ by default; see kiosk/web/assets/)."""
    config = dict(config or {})
    settings = settings_module.defaults() | {k: v for k, v in config.items() if k in settings_module.SETTINGS_BY_NAME}
    app = Flask(__name__, static_folder=str(ROOT / "static"), static_url_path="/static",
                template_folder="web/templates")  # pages every area shares; each area has its own too
    store = Store(settings["db"])
    store.migrate()
    _configure(app, settings, store.secret_key())
    socketio = SocketIO(app, async_mode=config.get("async_mode"), message_queue=config.get("message_queue"),
                        logger=False, engineio_logger=False, manage_session=False)
    one_line_for_client_faults()
    store.group_commit.async_mode = socketio.async_mode  # fsync on an OS thread under eventlet or gevent
    clock = config.get("clock") or SystemClock()

    def socketio_publisher(presence):
        return Publisher(socketio, store, clock, presence, connections=Connections(
            socketio, store, presence, BrowserSessions(store, clock, settings["session_hours"])))

    services = build_services(settings, store, clock, publisher_for=socketio_publisher,
                              slow_reads=SlowReads(settings["db"], socketio.async_mode))
    services.connections = services.publisher.connections
    services.channels.offload = functools.partial(run_off_loop, socketio.async_mode)  # Apprise blocks: an OS thread
    services.digests.offload = functools.partial(run_off_loop, socketio.async_mode)  # a digest's chart: an OS thread
    services.connections.on_staff_connect = lambda principal, sid: services.publisher.snapshot(
        sid, board_snapshot(services, principal))
    services.team_updates = TeamUpdates(store, services.presence, services.publisher,
                                        pause=lambda: socketio.sleep(0))  # a chain's sites one at a time
    services.connections.status_visit = lambda token: services.status_links.visit_for_token(token)["id"]
    services.publisher.status_updates = services.status_links.updates_for
    app.extensions["gastgeber"] = services
    _init_areas(app, socketio, settings, config.get("assets_dir"))
    return app


def _configure(app: Flask, settings: dict, secret_key: str) -> None:
    app.config.update(
        SECRET_KEY=secret_key,
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        SESSION_COOKIE_NAME="gastgeber_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings["secure_cookies"],
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session (session_hours)
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings["session_hours"]),
    )
    app.json.sort_keys = False
    app.session_interface = PublicFilesWithoutSession()
    app.url_map.converters["id"] = common.IdConverter  # <id:…> in routes, before any area registers one
    if settings["trusted_proxies"]:
        hops = settings["trusted_proxies"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def _init_areas(app: Flask, socketio: SocketIO, settings: dict, assets_dir) -> None:
    common.init_app(app)
    assets.init_app(app, assets_dir)
    i18n.init_app(app, settings["default_language"])
    app.after_request(_security_headers)
    csrf = CSRFProtect(app)  # every form post carries a token; each JSON API exempts itself (see web/common.py)
    api.init_app(app, csrf)
    admin.init_app(app, csrf)
    operator.init_app(app, csrf)
    stats.init_app(app, csrf)
    door.init_app(app, csrf, socketio)
    setup.init_app(app)
    status.init_app(app, csrf)
    brand.init_app(app)
    staffboard.init_app(app, socketio)

    @app.get("/healthz")
    def healthz():
        return jsonify({"ok": True})


def _security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if not request.path.startswith(PUBLIC_FILES):
        response.headers["Cache-Control"] = "no-store"
    return response
