"""The kiosk blueprint: the check-in page a tablet at the door shows, and binding a tablet to a kiosk."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for

from .auth import hash_token, principal_for_session, principal_for_token, sign_in_browser
from .signin import SignInLocked

pages = Blueprint("kiosk", __name__, template_folder="templates")


def services():
    return current_app.extensions["gastgeber"]


@pages.get("/kiosk")
def kiosk_page():
    kiosk = principal_for_session(services().store, session, "kiosk")
    if kiosk is None:
        return redirect(url_for("kiosk.setup"))
    settings = services().settings
    kiosk_config = {
        "idle_seconds": settings["kiosk_idle_seconds"],
        "default_language": settings["default_language"],
        "languages": ["de", "en"],
        "privacy_notice": {
            "version": settings["privacy_notice_version"],
            "de": settings["privacy_notice_de"],
            "en": settings["privacy_notice_en"],
        },
    }
    return render_template(
        "kiosk.html", kiosk={"id": kiosk.id, "name": kiosk.name, "site": kiosk.site}, kiosk_config=kiosk_config
    )


@pages.route("/kiosk/setup", methods=["GET", "POST"])
def setup():
    """An operator binds this browser to a registered kiosk device with its token, once."""
    if request.method == "GET":
        return render_template("kiosk_setup.html", error=None)
    guard = services().signin_guard
    try:
        guard.check(None, request.remote_addr)
    except SignInLocked as locked:
        return render_template("kiosk_setup.html", error=str(locked)), 429, {"Retry-After": str(locked.retry_after_seconds)}
    token = request.form.get("token", "").strip()
    kiosk = principal_for_token(services().store, token)
    if kiosk is None or kiosk.role != "kiosk":
        guard.failed(None, request.remote_addr)
        return render_template("kiosk_setup.html", error="This is not a valid kiosk token."), 401
    sign_in_browser(session, "kiosk", token_hash=hash_token(token))
    return redirect(url_for("kiosk.kiosk_page"))
