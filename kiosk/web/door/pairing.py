"""The tablet's pairing screen: /kiosk/pair (also what the QR code opens) trades a pairing code
for a kiosk credential kept in the browser's session, so nobody types a token.

The same screen is /kiosk/setup, which still takes a kiosk token as before; /kiosk without
a credential leads there. Wrong codes count against the address like wrong tokens.
"""

from __future__ import annotations

from flask import redirect, render_template, request, session, url_for

from kiosk.domain import pairing
from kiosk.web.door import heartbeat as pairing_live
from kiosk.domain.auth import hash_token, sign_in_browser
from kiosk.web.door.views import pages, services
from kiosk.domain.lockout import SignInLocked

TEMPLATE = "kiosk_setup.html"


def redeem_code(typed_code):
    """Trade a code for a kiosk credential behind the sign-in lockout (the page and the API).
    Returns (kiosk principal, token); raises SignInLocked or pairing.PairingRefused."""
    guard = services().signin_guard
    guard.check(None, request.remote_addr)
    try:
        principal, token, replaced = pairing.pair(services().store, services().clock, typed_code)
    except pairing.PairingRefused:
        guard.failed(None, request.remote_addr)
        raise
    if replaced:
        pairing_live.tell_unpaired(principal.id)  # the tablet this one replaces
    return principal, token


def _screen(status: int = 200, headers=None, **context):
    context.setdefault("error", None)  # the token form's own error
    return render_template(TEMPLATE, **context), status, headers or {}


@pages.get("/kiosk/pair")
def pair_page():
    """The pairing screen; from the QR code with the code filled in (the page's script sends it)."""
    code = request.args.get("code", "")[:40]
    return _screen(code=code, auto_pair=bool(pairing.normalise_code(code)))


@pages.post("/kiosk/pair")
def pair_form():
    code = request.form.get("code", "")[:40]
    if not code.strip():
        return _screen(400, code=code, pair_error_key="pair.error_empty")
    try:
        _kiosk, token = redeem_code(code)
    except SignInLocked as locked:
        return _screen(429, {"Retry-After": str(locked.retry_after_seconds)}, code=code,
                       pair_error_key="pair.error_locked")
    except pairing.PairingRefused as refused:
        return _screen(401, code=code, pair_error_key=f"pair.error_{refused.reason}")
    sign_in_browser(session, "kiosk", token_hash=hash_token(token))
    return redirect(url_for("kiosk.kiosk_page"))
