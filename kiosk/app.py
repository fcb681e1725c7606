"""The app factory: settings, database, domain services, realtime and blueprints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Flask, abort, jsonify, send_from_directory
from flask_socketio import SocketIO
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from kiosk import config as settings_module
from kiosk.web import errors, i18n
from kiosk.domain import privacy, stats, webhooks
from kiosk.runtime import scheduler
from kiosk.domain.appointments import AppointmentBook
from kiosk.clock import SystemClock
from kiosk.domain.escalation import Escalator
from kiosk.domain.frontdesk import FrontDesk
from kiosk.store.offload import SlowReads
from kiosk.domain.presence import Presence
from kiosk.domain.ratelimit import RateLimiter
from kiosk.realtime.connections import Realtime
from kiosk.domain.lockout import SignInGuard
from kiosk.domain.site_settings import SiteSettings
from kiosk.store import Store
from kiosk.store.durability import Checkpointer

ROOT = Path(__file__).resolve().parent.parent
# Pages load scripts and styles only from this server: no inline code, no framing.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                               "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
MAX_BODY_BYTES = 64 * 1024
# Browser libraries are served straight from the pinned npm install (package-lock.json).
VENDOR_FILES = {
    "socket.io.min.js": "socket.io-client/dist/socket.io.min.js",
    "socket.io.min.js.map": "socket.io-client/dist/socket.io.min.js.map",
    "chart.umd.min.js": "chart.js/dist/chart.umd.min.js",
    "chart.umd.min.js.map": "chart.js/dist/chart.umd.min.js.map",
}


@dataclass
class Services:
    """What views and event handlers reach through `current_app.extensions["gastgeber"]`."""

    settings: dict
    store: Store
    clock: object
    presence: Presence
    desk: FrontDesk
    realtime: Realtime
    escalator: Escalator
    appointments: AppointmentBook
    signin_guard: SignInGuard
    slow_reads: SlowReads
    site_settings: SiteSettings  # each site's settings in force: site_settings.for_site(site_id)
    webhooks: webhooks.Webhooks  # the outbox of visit events for the sites' endpoints


def create_app(config: dict | None = None) -> Flask:
    """Build the app. `config` holds settings (see config.py), and optionally a
    `clock`, the `async_mode` and a `message_queue` URL."""
    config = dict(config or {})
    settings = settings_module.defaults() | {k: v for k, v in config.items() if k in settings_module.SETTINGS_BY_NAME}
    app = Flask(__name__, static_folder=str(ROOT / "static"), static_url_path="/static")
    store = Store(settings["db"])
    store.migrate()
    app.config.update(
        SECRET_KEY=store.secret_key(),
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        SESSION_COOKIE_NAME="gastgeber_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings["secure_cookies"],
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session (session_hours)
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings["session_hours"]),
    )
    app.json.sort_keys = False
    if settings["trusted_proxies"]:
        hops = settings["trusted_proxies"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    clock = config.get("clock") or SystemClock()
    site_settings = SiteSettings(store, clock, settings)
    presence = Presence(store, clock, settings["presence_grace_seconds"],
                        grace_for=lambda site_id: site_settings.for_site(site_id)["presence_grace_seconds"])
    socketio = SocketIO(
        app,
        async_mode=config.get("async_mode"),
        message_queue=config.get("message_queue"),
        logger=False,
        engineio_logger=False,
        manage_session=False,
    )
    store.group_commit.async_mode = socketio.async_mode  # fsync on an OS thread under eventlet
    realtime = Realtime(socketio, store, clock, presence)
    outbox = webhooks.Webhooks(store, clock, settings)
    publish = webhooks.publishing(realtime.publish, outbox)  # boards first, then the webhooks' outbox
    escalator = Escalator(store, clock, presence, settings, publish=publish, site_settings=site_settings)
    appointments = AppointmentBook(store, clock, settings,
                                   zone_of=lambda site_id: ZoneInfo(site_settings.for_site(site_id)["timezone"]))
    desk = FrontDesk(
        store, clock, presence, publish=publish, escalator=escalator, appointments=appointments,
        checkin_limiter=RateLimiter(clock, settings["kiosk_checkins_per_minute"]), settings=settings,
    )
    app.extensions["gastgeber"] = Services(
        settings, store, clock, presence, desk, realtime, escalator, appointments, SignInGuard(clock),
        SlowReads(settings["db"], socketio.async_mode), site_settings, outbox,
    )
    _register(app, realtime, desk, store)
    return app


def start_scheduler(app: Flask) -> None:
    """Start the escalation ladder and presence clock (the serving process does this once)."""
    services = app.extensions["gastgeber"]

    def purge_personal_data():
        privacy.purge_if_due(services.store, services.clock,
                             lambda site_id: services.site_settings.for_site(site_id)["retention_days"])

    def sum_up_stats():
        stats.sum_up_past_days(services.store, services.clock)

    checkpointer = Checkpointer(services.store.path, app.extensions["socketio"].async_mode)
    checkpointer.take_over(services.store.db.conn)
    leader_jobs = (services.escalator.tick, services.realtime.refresh_all_teams, purge_personal_data,
                   services.presence.sweep, sum_up_stats, checkpointer.checkpoint)
    scheduler.start(app.extensions["socketio"],
                    scheduler.Scheduler(services.store, services.clock, services.presence, leader_jobs))
    settings = services.settings
    webhooks.start_worker(app.extensions["socketio"], webhooks.Sender(
        services.store, services.clock, claimer=services.presence.process_id,
        post=webhooks.poster(settings),
        log_days=min(webhooks.LOG_DAYS, settings["retention_days"])))


def _register(app: Flask, realtime: Realtime, desk: FrontDesk, store: Store) -> None:
    from staffboard import events as board_events
    from staffboard.views import board

    from kiosk.web.admin.base import admin, admin_api
    from kiosk.web.admin import kiosks as admin_kiosks  # noqa: F401  (kiosk pairing: its pages join `admin`, `admin_api`, `pages`)
    from kiosk.web.admin import team as admin_team  # noqa: F401  (team and operator pages join `admin`, `admin_api`)
    from kiosk.web.operator import views as admin_sites
    from kiosk.web.admin import webhooks as admin_webhooks  # noqa: F401  (its pages join `admin`, `admin_api`)
    from kiosk.web.admin import settings as admin_settings  # noqa: F401  (their pages join `admin`, `admin_api`)
    from kiosk.web.setup import views as setup_flow
    from kiosk.web.api.visits import api
    from kiosk.web.api.appointments import appointments_api
    from kiosk.web.stats.api import stats_api
    from kiosk.web.stats.pages import stats_pages
    from kiosk.web.door.views import pages

    errors.init_app(app)
    i18n.init_app(app, app.extensions["gastgeber"].settings["default_language"])
    app.after_request(_security_headers)
    csrf = CSRFProtect(app)  # every form post carries a token; the JSON API is guarded in api.authenticate
    for blueprint in (api, appointments_api, stats_api, admin_api):
        csrf.exempt(blueprint)
    app.register_blueprint(api)
    app.register_blueprint(appointments_api)
    app.register_blueprint(stats_api)
    app.register_blueprint(admin_api)
    app.register_blueprint(admin)
    app.register_blueprint(admin_sites.operator_pages)
    app.register_blueprint(setup_flow.setup_pages)
    app.register_blueprint(stats_pages)
    app.register_blueprint(pages)
    app.register_blueprint(board)
    board_events.init_app(realtime, desk, store)

    @app.get("/healthz")
    def healthz():
        return jsonify({"ok": True})

    app.add_url_rule("/", "index", setup_flow.start_page)  # first-run setup, then the start page

    @app.get("/vendor/<path:filename>", endpoint="vendor")
    def vendor(filename: str):
        if filename not in VENDOR_FILES:
            abort(404)
        return send_from_directory(ROOT / "node_modules", VENDOR_FILES[filename], max_age=3600)


def _security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
