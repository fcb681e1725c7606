"""The kiosks page (/admin/kiosks) and the kiosks API (/api/v1/kiosks) for a site's managers,
and the public pairing call a tablet makes (POST /api/v1/kiosks/pair).

Everything goes through kiosk/pairing.py. A pairing code is part of the one answer that
made it (with its QR code, drawn here as SVG by segno) and is stored only as a hash.
Unpairing also tells the tablet at once (pairing_live.py); the tablet's own pairing
screen is in pairing_pages.py.
"""

from __future__ import annotations

from contextlib import contextmanager
from zoneinfo import ZoneInfo

import segno
from flask import abort, jsonify, request, url_for

from kiosk.domain import pairing
from kiosk.web.door import heartbeat as pairing_live
from kiosk.web.admin.base import admin, admin_api, render_admin, services, signed_in_manager
from kiosk.web.api.visits import authenticate, json_body
from kiosk.clock import from_iso, seconds_between, to_iso
from kiosk.web.errors import ApiError
from kiosk.web.door.pairing import redeem_code
from kiosk.domain.lockout import SignInLocked
from kiosk.domain.site_settings import site_settings


# ------------------------------------------------------------------ shared

def _listen_for_heartbeats(state) -> None:
    """When the API blueprint joins an app: listen for kiosks' heartbeats on its Socket.IO server."""
    pairing_live.init_app(state.app)


admin_api.record_once(_listen_for_heartbeats)


def pairing_answer(pairing_code: dict) -> dict:
    """The code with where a tablet opens it (the QR code's content)."""
    return {**pairing_code, "url": url_for("kiosk.pair_page", code=pairing_code["code"], _external=True)}


def qr_data_uri(url: str) -> str:
    """The QR code of `url` as an SVG image for <img src> (CSP allows data: images)."""
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=6, border=4, dark="#000", light="#fff")


def _unpair(principal, kiosk_id: int) -> dict:
    kiosk = pairing.unpair(services().store, services().clock, principal, kiosk_id)
    pairing_live.tell_unpaired(kiosk_id)
    return kiosk


# ------------------------------------------------------------------ pages

def _local_time(zone: ZoneInfo):
    """HH:MM of an ISO time in the site's time zone, for the page."""
    return lambda iso: from_iso(iso).astimezone(zone).strftime("%H:%M") if iso else ""


def _ago(iso: str | None) -> str:
    if not iso:
        return "never"
    seconds = seconds_between(iso, to_iso(services().clock.now()))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    return f"{int(seconds // 86400)} days ago"


def _kiosks_page(principal, status: int = 200, **context):
    context.setdefault("form", {"name": ""})
    context.setdefault("errors", {})
    kiosks = pairing.kiosks(services().store, services().clock, principal.site_id)
    zone = ZoneInfo(site_settings(services(), principal.site_id)["timezone"])
    return render_admin("admin_kiosks.html", principal, kiosks=kiosks, local=_local_time(zone), ago=_ago,
                        silent_minutes=pairing.SILENT_AFTER_SECONDS // 60,
                        valid_minutes=pairing.CODE_VALID_SECONDS // 60, **context), status


def _fresh(kiosk: dict, code: dict) -> dict:
    answer = pairing_answer(code)
    return {"kiosk": kiosk, **answer, "qr": qr_data_uri(answer["url"])}


@admin.get("/kiosks")
def kiosks_page():
    return _kiosks_page(signed_in_manager())


@admin.post("/kiosks")
def register_kiosk_form():
    principal = signed_in_manager()
    form = {"name": request.form.get("name", "")}
    try:
        kiosk, code = pairing.register_kiosk(services().store, services().clock, principal, form["name"])
    except pairing.KioskInputError as error:
        return _kiosks_page(principal, 400, form=form, errors={error.field: error.message})
    return _kiosks_page(principal, 201, fresh=_fresh(kiosk, code))


@admin.post("/kiosks/<int:kiosk_id>/pairing-code")
def new_code_form(kiosk_id: int):
    principal = signed_in_manager()
    try:
        kiosk, code = pairing.new_pairing_code(services().store, services().clock, principal, kiosk_id)
    except pairing.KioskNotFound:
        abort(404)
    return _kiosks_page(principal, 200, fresh=_fresh(kiosk, code))


@admin.post("/kiosks/<int:kiosk_id>/unpair")
def unpair_form(kiosk_id: int):
    principal = signed_in_manager()
    try:
        kiosk = _unpair(principal, kiosk_id)
    except pairing.KioskNotFound:
        abort(404)
    return _kiosks_page(principal, 200, unpaired=kiosk)


# ------------------------------------------------------------------ API

@contextmanager
def _domain_errors():
    try:
        yield
    except pairing.KioskNotFound as error:
        raise ApiError(404, f"no kiosk {error.args[0]}") from None
    except pairing.KioskInputError as error:
        raise ApiError(400, error.message, field=error.field) from None


@admin_api.get("/kiosks")
def list_kiosks():
    """The site's kiosks: paired or not, last contact, whether they fell silent."""
    principal = authenticate("manager")
    return jsonify({"kiosks": pairing.kiosks(services().store, services().clock, principal.site_id)})


@admin_api.post("/kiosks")
def register_kiosk():
    """Register a kiosk; the answer carries its first pairing code (only here)."""
    principal = authenticate("manager")
    body = json_body()
    with _domain_errors():
        kiosk, code = pairing.register_kiosk(services().store, services().clock, principal,
                                             body.get("name") if isinstance(body, dict) else None)
    return jsonify({"kiosk": kiosk, "pairing": pairing_answer(code)}), 201


@admin_api.post("/kiosks/<int:kiosk_id>/pairing-code")
def new_pairing_code(kiosk_id: int):
    """A fresh pairing code; the kiosk's earlier unused codes stop working."""
    principal = authenticate("manager")
    with _domain_errors():
        kiosk, code = pairing.new_pairing_code(services().store, services().clock, principal, kiosk_id)
    return jsonify({"kiosk": kiosk, "pairing": pairing_answer(code)}), 201


@admin_api.post("/kiosks/<int:kiosk_id>/unpair")
def unpair_kiosk(kiosk_id: int):
    """Revoke the kiosk's credentials; its tablet returns to the pairing screen at once."""
    principal = authenticate("manager")
    with _domain_errors():
        return jsonify({"kiosk": _unpair(principal, kiosk_id)})


@admin_api.post("/kiosks/pair")
def pair_kiosk():
    """A tablet (no credentials yet) trades a pairing code for its kiosk token."""
    body = json_body()
    code = body.get("code") if isinstance(body, dict) else None
    if not isinstance(code, str) or not code.strip():
        raise ApiError(400, "'code' must be the pairing code, e.g. ABCD-EFGH", field="code")
    try:
        principal, token = redeem_code(code)
    except SignInLocked as locked:
        raise ApiError(429, str(locked), headers={"Retry-After": str(locked.retry_after_seconds)}) from None
    except pairing.PairingRefused as refused:
        raise ApiError(401, str(refused), field="code") from None
    return jsonify({"kiosk": {"id": principal.id, "name": principal.name, "site": principal.site},
                    "token": token}), 201
