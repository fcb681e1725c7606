"""The kiosk blueprint: the check-in page a tablet at the door shows, and binding a tablet to a kiosk."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for

from .auth import principal_for_session
from .token_signin import token_sign_in

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
    return token_sign_in("kiosk", "kiosk_setup.html", url_for("kiosk.kiosk_page"))
