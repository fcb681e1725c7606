"""The kiosks page (/admin/kiosks) and the kiosks API (/api/v1/kiosks) for a site's managers.

Everything goes through the domain's `KioskPairing` (kiosk/domain/pairing.py). A pairing
code is part of the one answer that made it (with its QR code, drawn here as SVG by
segno) and is stored only as a hash. The tablet's side of pairing is in web/door/.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import segno
from flask import jsonify, request, url_for
from flask_babel import gettext

from kiosk.clock import from_iso, seconds_between, to_iso
from kiosk.domain import pairing
from kiosk.domain.errors import Conflict, Invalid
from kiosk.web.admin import admin, admin_api, manager_page, render_admin
from kiosk.web.common import json_body, requires, see_other, services, status_of, take_notice


def pairing_answer(pairing_code: dict) -> dict:
    """The code with where a tablet opens it (the QR code's content)."""
    return {**pairing_code, "url": url_for("door.pair_page", code=pairing_code["code"], _external=True)}


def qr_data_uri(url: str) -> str:
    """The QR code of `url` as an SVG image for <img src> (CSP allows data: images)."""
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=6, border=4, dark="#000", light="#fff")


# ------------------------------------------------------------------ pages

def _local_time(zone: ZoneInfo):
    """HH:MM of an ISO time in the site's time zone, for the page."""
    return lambda iso: from_iso(iso).astimezone(zone).strftime("%H:%M") if iso else ""


def _ago(iso: str | None) -> str:
    """How long ago, in the reader's language ("5 min ago")."""
    if not iso:
        return gettext("kiosks.never")
    seconds = seconds_between(iso, to_iso(services().clock.now()))
    if seconds < 60:
        return gettext("kiosks.ago_now")
    if seconds < 3600:
        return gettext("kiosks.ago_minutes", n=int(seconds // 60))
    if seconds < 86400:
        return gettext("kiosks.ago_hours", n=int(seconds // 3600))
    days = int(seconds // 86400)
    return gettext("kiosks.ago_day") if days == 1 else gettext("kiosks.ago_days", n=days)


def _kiosks_page(principal, status: int = 200, **context):
    context.setdefault("form", {"name": ""})
    context.setdefault("errors", {})
    s = services()
    zone = ZoneInfo(s.site_settings.for_site(principal.site_id)["timezone"])
    return render_admin("admin_kiosks.html", principal, kiosks=s.pairing.kiosks(principal.site_id),
                        local=_local_time(zone), ago=_ago, silent_minutes=pairing.SILENT_AFTER_SECONDS // 60,
                        valid_minutes=pairing.CODE_VALID_SECONDS // 60, **context), status


KIOSKS_PAGE = "admin.kiosks_page"


def _fresh(kiosk: dict, code: dict) -> dict:
    """The new pairing code, to show once after the redirect (its QR code is drawn then)."""
    answer = pairing_answer(code)
    return {"kiosk": {"id": kiosk["id"], "name": kiosk["name"]}, "code": answer["code"],
            "expires_at": answer["expires_at"], "url": answer["url"]}


def _to_kiosks_page(**notice):
    return see_other(url_for(KIOSKS_PAGE), notice, KIOSKS_PAGE)


@admin.get("/kiosks")
@manager_page
def kiosks_page(principal):
    shown = take_notice(KIOSKS_PAGE)
    fresh = shown.get("fresh")
    if fresh:
        fresh["qr"] = qr_data_uri(fresh["url"])
    return _kiosks_page(principal, fresh=fresh, unpaired=shown.get("unpaired"))


@admin.post("/kiosks")
@manager_page
def register_kiosk_form(principal):
    form = {"name": request.form.get("name", "")}
    try:
        kiosk, code = services().pairing.register(principal, form["name"])
    except (Invalid, Conflict) as error:
        return _kiosks_page(principal, status_of(error), form=form, errors={error.field: error.message})
    return _to_kiosks_page(fresh=_fresh(kiosk, code))


@admin.post("/kiosks/<id:kiosk_id>/pairing-code")
@manager_page
def new_code_form(principal, kiosk_id: int):
    kiosk, code = services().pairing.new_code(principal, kiosk_id)
    return _to_kiosks_page(fresh=_fresh(kiosk, code))


@admin.post("/kiosks/<id:kiosk_id>/unpair")
@manager_page
def unpair_form(principal, kiosk_id: int):
    kiosk = services().pairing.unpair(principal, kiosk_id)
    return _to_kiosks_page(unpaired={"id": kiosk["id"], "name": kiosk["name"]})


# ------------------------------------------------------------------ API

@admin_api.get("/kiosks")
@requires("manager")
def list_kiosks(principal):
    """The site's kiosks: paired or not, last contact, whether they fell silent."""
    return jsonify({"kiosks": services().pairing.kiosks(principal.site_id)})


@admin_api.post("/kiosks")
@requires("manager")
def register_kiosk(principal):
    """Register a kiosk; the answer carries its first pairing code (only here)."""
    body = json_body()
    kiosk, code = services().pairing.register(principal, body.get("name") if isinstance(body, dict) else None)
    return jsonify({"kiosk": kiosk, "pairing": pairing_answer(code)}), 201


@admin_api.post("/kiosks/<id:kiosk_id>/pairing-code")
@requires("manager")
def new_pairing_code(principal, kiosk_id: int):
    """A fresh pairing code; the kiosk's earlier unused codes stop working."""
    kiosk, code = services().pairing.new_code(principal, kiosk_id)
    return jsonify({"kiosk": kiosk, "pairing": pairing_answer(code)}), 201


@admin_api.post("/kiosks/<id:kiosk_id>/unpair")
@requires("manager")
def unpair_kiosk(principal, kiosk_id: int):
    """Revoke the kiosk's credentials; its tablet returns to the pairing screen at once."""
    return jsonify({"kiosk": services().pairing.unpair(principal, kiosk_id)})
