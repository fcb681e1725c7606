"""The shop's own face as browsers fetch it: the logo and the accent's style sheet.

    /brand/<site>/logo-<hash>.png    the PNG the server drew from the manager's upload
    /brand/<site>/theme-<rrggbb>.css the accent laid over app.css's brand colours

Both are named by their content, so browsers keep them for a year (and a kiosk that lost
the network still has them); a new logo or colour is a new name. `shop_face(site_id)` is
what the kiosk, the status page and the board render with. The manager's page is in
the admin area (kiosk/web/admin/brand.py); the rules in kiosk/domain/brand.py.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, url_for

from kiosk.domain.brand import ACCENT, theme_css
from kiosk.web.common import services

brand_files = Blueprint("brand", __name__, url_prefix="/brand")
A_YEAR = 365 * 24 * 3600


def shop_face(site_id: int) -> dict:
    """The site's name, and its logo's and theme's addresses (None where it has none)."""
    site = services().store.site(site_id) or {}
    brand = services().brand.of_site(site_id)
    logo = brand["logo"]
    return {
        "name": site.get("name", ""),
        "logo_url": url_for("brand.logo", site_id=site_id, logo_hash=logo["hash"]) if logo else None,
        "logo_width": logo["width"] if logo else None,
        "logo_height": logo["height"] if logo else None,
        "theme_url": url_for("brand.theme", site_id=site_id, accent=brand["accent"][1:]) if brand["accent"] else None,
    }


def _kept_a_year(response: Response) -> Response:
    response.headers["Cache-Control"] = f"public, max-age={A_YEAR}, immutable"
    return response


@brand_files.get("/<id:site_id>/logo-<logo_hash>.png")
def logo(site_id: int, logo_hash: str):
    png = services().brand.logo(site_id, logo_hash) if len(logo_hash) <= 64 else None
    if png is None:
        abort(404)
    return _kept_a_year(Response(png, mimetype="image/png"))


@brand_files.get("/<id:site_id>/theme-<accent>.css")
def theme(site_id: int, accent: str):
    if not ACCENT.fullmatch("#" + accent) or services().brand.of_site(site_id)["accent"] != "#" + accent.lower():
        abort(404)
    return _kept_a_year(Response(theme_css("#" + accent.lower()), mimetype="text/css"))


def init_app(app) -> None:
    app.register_blueprint(brand_files)
    app.jinja_env.globals.update(shop_face=shop_face)
