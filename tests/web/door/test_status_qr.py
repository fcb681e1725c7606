"""The QR code of a visit's status link (GET /kiosk/qr/<visit id>.svg), for the kiosk's confirmation screen."""

from __future__ import annotations

import io

import pytest
import segno

from kiosk.domain.people import add_person


def qr_of(url: str) -> bytes:
    """What segno draws for `url`: the same bytes mean the same modules, so the same content."""
    svg = io.BytesIO()
    segno.make(url, error="m", micro=False).save(svg, kind="svg", scale=6, border=4, dark="#000", light="#fff",
                                                 title=url)
    return svg.getvalue()


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def visit(api, demo):
    return api.check_in(demo["kiosk"]["token"]).get_json()["visit"]


def test_the_kiosk_gets_an_svg_of_its_visits_full_status_url(client, demo, visit):
    answer = client.get(f"/kiosk/qr/{visit['id']}.svg", headers=bearer(demo["kiosk"]["token"]))
    assert answer.status_code == 200 and answer.mimetype == "image/svg+xml"
    assert answer.data == qr_of("http://localhost" + visit["status_url"])


def test_with_public_url_the_code_points_there(app, client, demo, visit):
    app.extensions["gastgeber"].site_settings.config["public_url"] = "https://door.example.org"
    app.extensions["gastgeber"].site_settings.forget()
    answer = client.get(f"/kiosk/qr/{visit['id']}.svg", headers=bearer(demo["kiosk"]["token"]))
    assert answer.data == qr_of("https://door.example.org" + visit["status_url"])


def test_only_the_kiosk_that_made_the_visit_gets_its_code(app, client, clock, demo, visit):
    other = add_person(app.extensions["gastgeber"].store, clock, "kiosk", "Back door")["token"]
    assert client.get(f"/kiosk/qr/{visit['id']}.svg", headers=bearer(other)).status_code == 403
    assert client.get(f"/kiosk/qr/{visit['id']}.svg", headers=bearer(demo["hosts"][0]["token"])).status_code == 403
    assert client.get(f"/kiosk/qr/{visit['id']}.svg").status_code == 401
    assert client.get(f"/kiosk/qr/{visit['id'] + 1}.svg", headers=bearer(demo["kiosk"]["token"])).status_code == 404
