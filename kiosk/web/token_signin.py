"""Signing a browser in with a token typed into a form: a kiosk tablet's setup, a manager at
/stats/login, an operator at /operator/login. Wrong tokens count against the address."""

from __future__ import annotations

from flask import redirect, render_template, request, session
from flask_babel import gettext

from kiosk.domain.auth import hash_token, principal_for_token
from kiosk.domain.errors import Locked
from kiosk.web.common import retry_after, services
from kiosk.web.refusals import said


def token_sign_in(role: str, template: str, success_url: str):
    """Handle the form's POST: redirect on a valid `role` token, else the form with a clear error
    (in the reader's language)."""
    guard = services().signin_guard
    try:
        guard.check(None, request.remote_addr)
    except Locked as locked:
        return render_template(template, error=said(locked.message)), 429, retry_after(locked)
    token = request.form.get("token", "").strip()
    principal = principal_for_token(services().store, token)
    if principal is None or principal.role != role:
        guard.failed(None, request.remote_addr)
        return render_template(template, error=gettext(f"signin.token_wrong_{role}")), 401
    services().sessions.sign_in(session, role, token_hash=hash_token(token))
    return redirect(success_url, 303)
