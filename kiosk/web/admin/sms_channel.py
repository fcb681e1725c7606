"""The site's SMS channel on the settings page (/admin/settings#sms-channel): set, test, remove.

The same rules as PUT/DELETE /api/v1/sms-channel (kiosk/domain/channels/outbox.py): the URL is
checked as a host's channel is, and shown masked once saved; the form never gets it back.
Each form answers POST → 303 → GET; a refusal is said next to its field in the reader's
language (the domain's refusal code picks the catalogue's text). The section is its own partial,
_sms_channel.html, which admin_settings.html includes; sms_section.py gives it what it shows.
"""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_babel import get_locale, gettext

from kiosk.domain.errors import Invalid, NotFound
from kiosk.web.admin import admin, manager_page
from kiosk.web.admin.settings import settings_page_answer
from kiosk.web.common import services

SECTION = "#sms-channel"
TEXT_OF_CODE = {  # the domain's refusal code → this section's own text (it names SMS gateways' URLs)
    "channel_url_empty": "url_missing", "channel_url_long": "url_too_long", "channel_url_form": "url_malformed",
    "channel_url_unknown": "url_unknown", "channel_private": "url_private", "sms_test_phone": "phone_missing",
}
TYPED_MAX = 1000  # what a refused form shows again (the URL field's own limit)


def _refusal(error: Invalid) -> str:
    """The refusal in the reader's language; a rule without its own text gets the URL's general one."""
    return gettext(f"sms_channel.error_{TEXT_OF_CODE.get(error.code, 'url_unknown')}")


def _back(done: str):
    return redirect(url_for("admin.settings_page", sms=done) + SECTION, 303)


@admin.post("/settings/sms-channel")
@manager_page
def set_sms_channel_form(principal):
    """Set (or replace) the site's SMS gateway."""
    typed = request.form.get("sms_url", "")[:TYPED_MAX]
    try:
        services().channels.set_sms_channel(principal, {"url": typed})
    except Invalid as error:
        return settings_page_answer(principal, 400, sms_form={"url": typed, "errors": {"sms_url": _refusal(error)}})
    return _back("saved")


@admin.post("/settings/sms-channel/test")
@manager_page
def test_sms_channel_form(principal):
    """One real text to the number typed (the manager's own); the page shows how it went."""
    phone = request.form.get("sms_phone", "")[:40]
    try:
        services().channels.test_sms_channel(principal, phone, str(get_locale()))
    except Invalid as error:
        return settings_page_answer(principal, 400, sms_form={"phone": phone,
                                                              "errors": {"sms_phone": _refusal(error)}})
    except NotFound:  # removed meanwhile (another tab): the page shows that there is none
        return _back("removed")
    return _back("tested")


@admin.post("/settings/sms-channel/remove")
@manager_page
def remove_sms_channel_form(principal):
    try:
        services().channels.remove_sms_channel(principal)
    except NotFound:  # already gone: the same outcome
        pass
    return _back("removed")
