"""The kiosk blueprint: the check-in page a tablet at the door shows, and binding a tablet to a kiosk."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for

from flask_babel import force_locale

from kiosk.web import i18n
from kiosk.domain.auth import principal_for_session
from kiosk.web.token_signin import token_sign_in

pages = Blueprint("kiosk", __name__, template_folder="templates")


def services():
    return current_app.extensions["gastgeber"]


@pages.get("/kiosk")
def kiosk_page():
    kiosk = principal_for_session(services().store, session, "kiosk")
    if kiosk is None:
        return redirect(url_for("kiosk.setup"))
    settings = services().site_settings.for_site(kiosk.site_id)  # the site's own texts and languages
    languages = [language for language in i18n.available_languages() if language in settings["kiosk_languages"]]
    languages = languages or list(i18n.available_languages())
    kiosk_config = {
        "idle_seconds": settings["kiosk_idle_seconds"],
        "default_language": settings["default_language"],
        "languages": languages,
        # the site's own welcome text replaces the catalogue's, per language
        "welcome_text": {language: settings[f"welcome_text_{language}"] for language in languages
                         if settings.get(f"welcome_text_{language}")},
        "privacy_notice": {
            "version": settings["privacy_notice_version"],
            # a language without a notice of its own shows the site's default language's
            **{language: settings.get(f"privacy_notice_{language}") or settings[f"privacy_notice_{settings['default_language']}"]
               for language in languages},
        },
    }
    with force_locale(settings["default_language"]):  # a kiosk starts in the site's language, whoever set it up
        return render_template(
            "kiosk.html", kiosk={"id": kiosk.id, "name": kiosk.name, "site": kiosk.site}, kiosk_config=kiosk_config
        )


@pages.route("/kiosk/setup", methods=["GET", "POST"])
def setup():
    """An operator binds this browser to a registered kiosk device with its token, once."""
    if request.method == "GET":
        return render_template("kiosk_setup.html", error=None)
    return token_sign_in("kiosk", "kiosk_setup.html", url_for("kiosk.kiosk_page"))
