"""The QR code of a visit's status link, drawn by segno on the server (so it works offline).

`GET /kiosk/qr/<visit id>.svg` for the kiosk that made the visit (its tablet's sign-in or
its token): the link's full URL, from `public_url` when the site set one, else this
server's address as the tablet reached it.
"""

from __future__ import annotations

import io

import segno
from flask import Response, request

from kiosk.web.common import requires, services
from kiosk.web.door import door


def status_link_url(site_id: int, path: str) -> str:
    base = services().site_settings.for_site(site_id)["public_url"] or request.host_url
    return base.rstrip("/") + path


@door.get("/kiosk/qr/<id:visit_id>.svg")
@requires("kiosk")
def status_qr(kiosk, visit_id: int):
    visit = services().desk.visit_for(kiosk, visit_id)
    url = status_link_url(kiosk.site_id, services().status_links.path_for(visit["id"]))
    svg = io.BytesIO()
    segno.make(url, error="m", micro=False).save(svg, kind="svg", scale=6, border=4, dark="#000", light="#fff",
                                                 title=url)
    return Response(svg.getvalue(), mimetype="image/svg+xml")
