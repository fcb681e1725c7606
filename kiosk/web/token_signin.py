"""Signing a browser in with a device or manager token typed into a form (kiosk setup, stats sign-in).

Shared by the kiosk and stats blueprints; wrong tokens count against the address.
"""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, session

from kiosk.domain.auth import hash_token, principal_for_token, sign_in_browser
from kiosk.domain.lockout import SignInLocked


def token_sign_in(role: str, template: str, success_url: str):
    """Handle the form's POST: redirect on a valid `role` token, else the form with a clear error."""
    guard = current_app.extensions["gastgeber"].signin_guard
    try:
        guard.check(None, request.remote_addr)
    except SignInLocked as locked:
        return render_template(template, error=str(locked)), 429, {"Retry-After": str(locked.retry_after_seconds)}
    token = request.form.get("token", "").strip()
    principal = principal_for_token(current_app.extensions["gastgeber"].store, token)
    if principal is None or principal.role != role:
        guard.failed(None, request.remote_addr)
        return render_template(template, error=f"This is not a valid {role} token."), 401
    sign_in_browser(session, role, token_hash=hash_token(token))
    return redirect(success_url)
