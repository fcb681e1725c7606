"""The shop's own face in the admin area: /admin/brand, its logo and accent colour.

The rules (which files, how they are redrawn, which colours keep the contrast) are in
kiosk/domain/brand.py; this module parses the forms, says what was refused in the
reader's language, and redirects after every change.
"""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_babel import format_decimal, gettext
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError

from kiosk.domain.brand import LOGO_MAX_BYTES, BrandRefused
from kiosk.web.admin import admin, manager_page, render_admin
from kiosk.web.brand import shop_face
from kiosk.web.common import services

UPLOAD_ROOM = 64 * 1024  # the form's other fields and multipart's boundaries beside the file
DONE = {"logo": "brand.done_logo", "removed": "brand.done_removed", "accent": "brand.done_accent",
        "reset": "brand.done_reset"}


def _page(principal, status: int = 200, *, errors: dict | None = None, accent_typed: str | None = None):
    brand = services().brand.of_site(principal.site_id)
    done = DONE.get(request.args.get("done", ""))
    return render_admin("admin_brand.html", principal, brand=brand, face=shop_face(principal.site_id),
                        errors=errors or {}, accent_shown=accent_typed or brand["accent"] or "#1f6f5c",
                        done=gettext(done) if done else None,
                        max_megabytes=LOGO_MAX_BYTES // (1024 * 1024)), status


def _refusal(refused: BrandRefused) -> dict:
    """The refusal in the reader's language, its numbers written their way (1,3 in German)."""
    values = {key: format_decimal(value, format="0.0") if isinstance(value, float) else value
              for key, value in refused.values.items()}
    return {refused.field: gettext(f"brand.error_{refused.code}", **values)}


@admin.get("/brand")
@manager_page
def brand_page(principal):
    return _page(principal)


@admin.post("/brand/logo")
@manager_page
def upload_logo(principal):
    """A new logo. This form may be larger than every other (MAX_BODY_BYTES): its limit is raised
    here, before the body is read, and its CSRF token checked here for that reason."""
    if (request.content_length or 0) > LOGO_MAX_BYTES + UPLOAD_ROOM:
        return _page(principal, 413, errors=_refusal(BrandRefused("logo", "too_big", "",
                                                                  megabytes=LOGO_MAX_BYTES // (1024 * 1024))))
    request.max_content_length = LOGO_MAX_BYTES + UPLOAD_ROOM
    try:
        validate_csrf(request.form.get("csrf_token"))
    except (CSRFError, ValidationError):
        return _page(principal, 400, errors={"logo": gettext("brand.error_form_expired")})
    upload = request.files.get("logo")
    try:
        services().brand.set_logo(principal, upload.read() if upload else b"")
    except BrandRefused as refused:
        return _page(principal, 400, errors=_refusal(refused))
    return redirect(url_for("admin.brand_page", done="logo"), 303)


@admin.post("/brand/logo/remove")
@manager_page
def remove_logo(principal):
    services().brand.remove_logo(principal)
    return redirect(url_for("admin.brand_page", done="removed"), 303)


@admin.post("/brand/accent")
@manager_page
def save_accent(principal):
    reset = request.form.get("reset") == "1"
    typed = "" if reset else request.form.get("accent", "")[:20]
    try:
        services().brand.set_accent(principal, typed or None)
    except BrandRefused as refused:
        return _page(principal, 400, errors=_refusal(refused), accent_typed=typed)
    return redirect(url_for("admin.brand_page", done="reset" if reset or not typed else "accent"), 303)


def init_app(csrf) -> None:
    csrf.exempt(upload_logo)  # checked in the view, once its own body limit is in force
