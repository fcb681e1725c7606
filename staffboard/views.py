"""The board blueprint: PIN sign-in, sign-out and the board page itself.

The sign-in page lists the team of this browser's own site only: a paired kiosk tablet's
site, or the site whose code (its name) was typed once on this browser (`POST /board/site`,
remembered in the session). Any other browser is asked for a name and PIN: nobody learns
who works where without knowing where to look.
"""

from __future__ import annotations

import math
import re

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from kiosk.domain import own_language as own
from kiosk.domain.errors import Locked, Unauthorized
from kiosk.domain.pin_signin import host_for_pin
from kiosk.web import push_devices
from kiosk.web.assets import asset_needs, asset_url
from kiosk.web.brand import shop_face
from kiosk.web.common import retry_after, see_other, services, signed_in
from kiosk.web.i18n import texts_under
from staffboard import installable

board = Blueprint("board", __name__, template_folder="templates")
CHOSEN_SITE = "board_site"  # the session's key for the site this browser chose by its code


def public_host(row) -> dict:
    return {"id": row["id"], "name": row["name"], "site": row["site"]}


@board.get("/board")
@signed_in("host", lambda: url_for("board.login"))
def board_page(host):
    settings = services().site_settings.for_site(host.site_id)  # the site's own escalation time and zone
    board_config = {"escalate_after_seconds": settings["escalate_after_seconds"], "timezone": settings["timezone"]}
    return render_template(
        "board.html", host={"id": host.id, "name": host.name, "site": host.site}, board_config=board_config,
        board_texts=texts_under("board.js."),
        face=shop_face(host.site_id),
    )


@board.post("/board/language")
@signed_in("host", lambda: url_for("board.login"))
def own_language(host):
    """The host's own language for their board and their alerts (empty: the site's); the board
    reloads in it. It stays with the host, so their next sign-in, anywhere, speaks it too."""
    own.choose(services().store, "host", host.id, request.form.get("language"))
    return see_other(url_for("board.board_page"))


@board.get("/board/manifest.webmanifest")
def manifest():
    """What "Add to home screen" installs: the board, standalone, with its icons."""
    made = installable.manifest(str(_("board.app_name")), str(_("board.app_description")), str(_("meta.code")),
                                asset_url)
    return jsonify(made), 200, {"Content-Type": "application/manifest+json"}


@board.get("/board/sw.js")
def service_worker():
    """The board's service worker; it may control /board itself (not only /board/…)."""
    static = current_app.static_folder
    script = render_template("board_sw.js", version=installable.asset_version(static),
                             cache_prefix=installable.CACHE_PREFIX, icon=asset_url("icons/board-192.png"),
                             precache=installable.precache(static, asset_url, asset_needs))
    return script, 200, {"Content-Type": "text/javascript; charset=utf-8", "Service-Worker-Allowed": "/board"}


def browser_site() -> tuple[dict | None, bool]:
    """This browser's own site, and whether it is a kiosk tablet's (which cannot be changed here)."""
    tablet = services().sessions.principal(session, "kiosk")
    if tablet is not None:
        return services().store.site(tablet.site_id), True
    chosen = session.get(CHOSEN_SITE)
    return (services().store.site(chosen) if isinstance(chosen, int) else None), False


def locked_text(locked: Locked) -> str:
    """The lockout in the reader's language (the domain's message is English)."""
    return _("board.signin_locked", minutes=max(1, math.ceil(locked.retry_after_seconds / 60)))


def _login_page(status: int = 200, headers=None, **context):
    site, on_tablet = browser_site()
    hosts = [public_host(row) for row in services().store.active_hosts(site["id"])] if site else []
    context = {"error": None, "error_key": None, "name": "", "site_code": "", **context}
    page = render_template("board_login.html", site=site, on_tablet=on_tablet, hosts=hosts, **context)
    return page, status, headers or {}


@board.route("/board/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return _login_page()
    host_id = request.form.get("host_id", "")
    name = request.form.get("name", "")[:200]
    site, _on_tablet = browser_site()
    try:
        host = host_for_pin(services().store, services().signin_guard, request.remote_addr,
                            request.form.get("pin", ""), name=name, site_id=site and site["id"],
                            host_id=int(host_id) if re.fullmatch(r"[0-9]{1,12}", host_id) else None)
    except Locked as locked:
        return _login_page(429, retry_after(locked), error=locked_text(locked), name=name)
    except Unauthorized:
        return _login_page(401, error=_("board.signin_wrong"), name=name)
    services().sessions.sign_in(session, "host", host=host)
    return redirect(url_for("board.board_page"), 303)


@board.post("/board/site")
def choose_site():
    """Show this browser the team of the site whose code was typed (an empty code forgets it)."""
    code = request.form.get("site", "").strip()[:80]
    if not code:
        session.pop(CHOSEN_SITE, None)
        return redirect(url_for("board.login"), 303)
    guard = services().signin_guard
    try:
        guard.check(None, request.remote_addr)
    except Locked as locked:
        return _login_page(429, retry_after(locked), error=locked_text(locked), site_code=code)
    site = services().store.site_by_code(code)
    if site is None:
        guard.failed(None, request.remote_addr)  # guessing site codes counts like guessing PINs
        return _login_page(404, error_key="signin.site_unknown", site_code=code)
    session[CHOSEN_SITE] = site["id"]
    return redirect(url_for("board.login"), 303)


@board.post("/board/logout")
def logout():
    """Sign out; the pushes to this browser's device stop with it (kiosk/web/push_devices.py)."""
    host = services().sessions.principal(session, "host")
    devices = push_devices.forgotten_at_sign_out(session)
    if host is not None:
        services().push.forget_devices(host, devices)
    services().sessions.sign_out(session, "host")
    return redirect(url_for("board.login"), 303)
