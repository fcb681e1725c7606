"""The check-in page a tablet at the door shows (/kiosk), and binding a tablet to a kiosk with its token."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import force_locale

from kiosk.web import i18n
from kiosk.web.brand import shop_face
from kiosk.web.common import services, signed_in
from kiosk.web.door import door
from kiosk.web.token_signin import token_sign_in


def kiosk_config(settings: dict, *, sms: bool = False) -> dict:
    """What the tablet's script needs: idle time, languages, the site's own texts, and whether
    the site can text a customer when someone is coming (`sms`: it has an SMS channel)."""
    languages = [language for language in i18n.available_languages() if language in settings["kiosk_languages"]]
    languages = languages or list(i18n.available_languages())
    default_notice = settings[f"privacy_notice_{settings['default_language']}"]
    return {
        "idle_seconds": settings["kiosk_idle_seconds"],
        "sms": sms,
        "default_language": settings["default_language"],
        "languages": languages,
        # the site's own welcome text replaces the catalogue's, per language
        "welcome_text": {language: settings[f"welcome_text_{language}"] for language in languages
                         if settings.get(f"welcome_text_{language}")},
        "privacy_notice": {
            "version": settings["privacy_notice_version"],
            # a language without a notice of its own shows the site's default language's
            **{language: settings.get(f"privacy_notice_{language}") or default_notice for language in languages},
        },
    }


@door.get("/kiosk")
@signed_in("kiosk", lambda: url_for("door.setup"))
def kiosk_page(kiosk):
    settings = services().site_settings.for_site(kiosk.site_id)  # the site's own texts and languages
    with force_locale(settings["default_language"]):  # a kiosk starts in the site's language, whoever set it up
        return render_template("kiosk.html", kiosk={"id": kiosk.id, "name": kiosk.name, "site": kiosk.site},
                               face=shop_face(kiosk.site_id),
                               kiosk_config=kiosk_config(settings, sms=services().channels.has_sms(kiosk.site_id)))


@door.route("/kiosk/setup", methods=["GET", "POST"])
def setup():
    """An operator binds this browser to a registered kiosk device with its token, once."""
    if request.method == "GET":
        return render_template("kiosk_setup.html", error=None)
    return token_sign_in("kiosk", "kiosk_setup.html", url_for("door.kiosk_page"))
