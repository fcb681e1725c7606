"""The kiosk's pages: binding a tablet to a kiosk device, and the browser's cookie path into the API."""

import json
import re

import pytest

from tests.support.demo import demo_site
from tests.support.forms import form_post


@pytest.fixture
def tablet(app, demo):
    """A browser bound to the demo kiosk through /kiosk/setup."""
    browser = app.test_client()
    response = form_post(browser, "/kiosk/setup", {"token": demo["kiosk"]["token"]})
    assert response.status_code == 303 and response.headers["Location"].endswith("/kiosk")
    return browser


def test_an_unbound_tablet_is_sent_to_setup(client):
    response = client.get("/kiosk")
    assert response.status_code == 302 and response.headers["Location"].endswith("/kiosk/setup")
    assert b'name="token"' in client.get("/kiosk/setup").data


@pytest.mark.parametrize("which", ["wrong", "host"])
def test_setup_refuses_anything_but_a_kiosk_token(client, demo, which):
    token = demo["hosts"][0]["token"] if which == "host" else "wrong"
    response = form_post(client, "/kiosk/setup", {"token": token}, headers={"Accept-Language": "en"})
    assert response.status_code == 401 and b"not a valid kiosk token" in response.data
    assert client.get("/kiosk").status_code == 302


def test_the_kiosk_page_carries_its_settings_as_data_not_code(tablet):
    page = tablet.get("/kiosk").get_data(as_text=True)
    data = re.search(r'<script type="application/json" id="kiosk-config">(.*?)</script>', page, re.S)
    kiosk_config = json.loads(data.group(1))
    assert {key: kiosk_config[key] for key in ("idle_seconds", "default_language", "languages")} == {
        "idle_seconds": 45, "default_language": "de", "languages": ["de", "en", "tr"],
    }
    assert kiosk_config["privacy_notice"]["version"] == "1" and "90" in kiosk_config["privacy_notice"]["en"]
    scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", page)
    assert scripts == [], "no inline executable scripts"


def test_a_tablet_checks_in_with_its_cookie_but_only_as_json(tablet):
    form = tablet.post("/api/v1/checkins", data={"name": "Zoë", "client_id": "form-1"})
    assert form.status_code == 415
    as_json = tablet.post("/api/v1/checkins", json={"name": "Zoë", "client_id": "json-1"})
    assert as_json.status_code == 201
    visit_id = as_json.get_json()["visit"]["id"]
    assert tablet.get(f"/api/v1/visits/{visit_id}").get_json()["visit"]["customer"]["name"] == "Zoë"


def test_a_tablet_cookie_does_not_make_it_a_host(tablet):
    visit_id = tablet.post("/api/v1/checkins", json={"name": "Zoë", "client_id": "x-1"}).get_json()["visit"]["id"]
    assert tablet.post(f"/api/v1/visits/{visit_id}/acknowledge", json={}).status_code == 401
    assert tablet.get("/api/v1/visits?status=open").status_code == 401


def test_the_tablet_socket_joins_as_the_kiosk(tablet, socket_client, api, demo):
    kiosk_socket = socket_client(auth={"as": "kiosk"}, flask_client=tablet)
    assert kiosk_socket.is_connected()
    visit = tablet.post("/api/v1/checkins", json={"name": "Zoë", "client_id": "s-1"}).get_json()["visit"]
    api.act(demo["hosts"][0]["token"], visit["id"], "acknowledge")
    statuses = [e["args"][0]["visit"]["status"] for e in kiosk_socket.get_received() if e["name"] == "visit.updated"]
    assert statuses == ["waiting", "acknowledged"]


def test_the_socket_io_client_is_served_from_the_pinned_npm_install(client):
    with client.get("/vendor/socket.io.min.js") as response:
        assert response.status_code == 200 and b"Socket.IO" in response.data[:300]
    assert client.get("/vendor/../package.json").status_code == 404
    assert client.get("/vendor/engine.io-client/package.json").status_code == 404


def test_the_start_page_links_kiosk_and_board(client, demo):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/kiosk"' in page and 'href="/board/login"' in page


def test_pages_forbid_inline_scripts_and_framing(client):
    headers = client.get("/kiosk/setup").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"


def test_revoking_the_kiosk_token_unbinds_the_tablet_at_once(tablet, app, demo, clock):
    store = app.extensions["gastgeber"].store
    assert tablet.get("/kiosk").status_code == 200
    store.revoke_tokens("kiosk", demo["kiosk"]["id"], "2026-11-23T09:00:00.000Z")
    assert tablet.get("/kiosk").status_code == 302
    assert tablet.post("/api/v1/checkins", json={"name": "Zoë", "client_id": "after-revoke"}).status_code == 401


def test_behind_tls_the_session_cookie_is_secure(tmp_path, clock, monkeypatch):
    from kiosk.app import create_app

    app = create_app({"db": str(tmp_path / "tls.db"), "clock": clock, "async_mode": "threading",
                      "secure_cookies": True, "trusted_proxies": 1})
    demo = demo_site(app.extensions["gastgeber"].store, clock, monkeypatch)
    anna = demo["hosts"][0]
    response = form_post(app.test_client(), "/board/login", {"host_id": anna["id"], "pin": anna["pin"]},
                         base_url="https://localhost", headers={"Referer": "https://localhost/board/login"})
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["Location"] in ("/board", "https://localhost/board")


def test_the_kiosk_starts_in_the_sites_language_whatever_browser_set_it_up(tablet):
    page = tablet.get("/kiosk", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="de"' in page
    config = json.loads(re.search(r'id="kiosk-config">(.*?)</script>', page, re.S).group(1))
    assert config["privacy_notice"]["tr"].startswith("Sizi haber vermek")
