"""The tablet's pairing screen: /kiosk/pair (also what the QR code opens) trades a pairing
code for a kiosk credential kept in the browser's session, so nobody types a token; and
the same trade for an app: POST /api/v1/kiosks/pair (no credentials yet).

The same screen is /kiosk/setup, which still takes a kiosk token; /kiosk without a
credential leads there. Wrong codes count against the address like wrong tokens.
"""

from __future__ import annotations

from flask import jsonify, redirect, render_template, request, session, url_for

from kiosk.domain import pairing
from kiosk.domain.auth import hash_token
from kiosk.domain.errors import Locked
from kiosk.web.common import ApiError, json_body, retry_after, services
from kiosk.web.door import door, door_api

TEMPLATE = "kiosk_setup.html"


def redeem_code(typed_code):
    """Trade a code for a kiosk credential behind the sign-in lockout (the page and the API).
    Returns (kiosk principal, token); raises Locked or PairingRefused (answered 401, field "code")."""
    guard = services().signin_guard
    guard.check(None, request.remote_addr)
    try:
        principal, token, _replaced = services().pairing.pair(typed_code)
    except pairing.PairingRefused:
        guard.failed(None, request.remote_addr)
        raise
    return principal, token


def _screen(status: int = 200, headers=None, **context):
    context.setdefault("error", None)  # the token form's own error
    return render_template(TEMPLATE, **context), status, headers or {}


@door.get("/kiosk/pair")
def pair_page():
    """The pairing screen; from the QR code with the code filled in (the page's script sends it)."""
    code = request.args.get("code", "")[:40]
    return _screen(code=code, auto_pair=bool(pairing.normalise_code(code)))


@door.post("/kiosk/pair")
def pair_form():
    code = request.form.get("code", "")[:40]
    if not code.strip():
        return _screen(400, code=code, pair_error_key="pair.error_empty")
    try:
        _kiosk, token = redeem_code(code)
    except Locked as locked:
        return _screen(429, retry_after(locked), code=code, pair_error_key="pair.error_locked")
    except pairing.PairingRefused as refused:
        return _screen(401, code=code, pair_error_key=f"pair.error_{refused.reason}")
    services().sessions.sign_in(session, "kiosk", token_hash=hash_token(token))
    return redirect(url_for("door.kiosk_page"), 303)


@door_api.post("/kiosks/pair")
def pair_kiosk():
    """A tablet (no credentials yet) trades a pairing code for its kiosk token."""
    body = json_body()
    code = body.get("code") if isinstance(body, dict) else None
    if not isinstance(code, str) or not code.strip():
        raise ApiError(400, "'code' must be the pairing code, e.g. ABCD-EFGH", field="code")
    principal, token = redeem_code(code)
    return jsonify({"kiosk": {"id": principal.id, "name": principal.name, "site": principal.site},
                    "token": token}), 201

