"""No browser or proxy keeps a page or answer that may show a PIN, a token, a secret or anyone's
data: every answer but the public files says `Cache-Control: no-store`."""

from __future__ import annotations

import re

import pytest

from kiosk.app import PUBLIC_FILES
from kiosk.web.assets import asset_url
from tests.support.forms import form_post, token_session

NO_STORE = "no-store"


def every_route(app):
    """(method, path) of every route the app serves, its parameters filled with something."""
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: "1" if m.group(1).endswith("id") else "x", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, path


@pytest.mark.parametrize("who", ["nobody", "manager", "host", "kiosk"])
def test_every_answer_but_the_public_files_is_never_stored(app, client, demo, who):
    """Each route, as each kind of caller sees it (with the manager's token for the API, a signed-in
    browser for the pages), whatever the answer (a page, JSON, a refusal, a redirect)."""
    headers = {}
    if who == "manager":
        headers = {"Authorization": f"Bearer {demo['manager']['token']}"}
        token_session(client, "manager", demo["manager"]["token"])
    elif who == "host":
        form_post(client, "/board/login", {"host_id": demo["hosts"][0]["id"], "pin": demo["hosts"][0]["pin"]})
    elif who == "kiosk":
        token_session(client, "kiosk", demo["kiosk"]["token"])
    stored = []
    routes = list(every_route(app))
    assert len(routes) > 80
    for method, path in routes:
        if path.startswith(PUBLIC_FILES):
            continue
        answer = client.open(path, method=method, headers=headers, json={} if method != "GET" else None)
        if answer.headers.get("Cache-Control") != NO_STORE:
            stored.append((method, path, answer.status_code, answer.headers.get("Cache-Control")))
    assert stored == []


def test_the_public_files_may_be_kept(app, client):
    """The pages' files (built: a year, immutable, tests/web/assets/; plain: revalidated), the catalogues."""
    with app.test_request_context():
        linked = [asset_url(name) for name in ("css/app.css", "js/kiosk/main.js", "vendor/socket.io.min.js")]
    for url in [*linked, "/static/favicon.svg", "/i18n/en.json"]:
        with client.get(url) as answer:
            assert answer.status_code == 200, url
            assert "no-store" not in answer.headers["Cache-Control"], url
    assert "max-age" in client.get("/i18n/en.json").headers["Cache-Control"]


def test_a_signed_in_browser_gets_the_public_files_without_its_session(app, client, demo):
    """No Set-Cookie on what caches may keep, and no `Vary: Cookie`: the session cookie is
    refreshed on every answer, so a browser would never reuse a file it kept."""
    assert form_post(client, "/kiosk/setup", {"token": demo["kiosk"]["token"]}).status_code == 303
    with client.get("/kiosk") as page:
        assert "Set-Cookie" in page.headers  # the session goes on with the pages
    with app.test_request_context():
        linked = [asset_url(name) for name in ("css/app.css", "js/kiosk/main.js", "vendor/socket.io.min.js")]
    for url in [*linked, "/static/favicon.svg", "/i18n/de.json"]:
        with client.get(url, headers={"Accept-Encoding": "br, gzip"}) as answer:
            assert answer.status_code == 200, url
            assert "Set-Cookie" not in answer.headers, url
            assert "Cookie" not in answer.headers.get("Vary", ""), url


def test_answers_that_carry_a_pin_a_token_or_a_secret_are_never_stored(api, client, demo):
    manager, anna = demo["manager"]["token"], demo["hosts"][0]
    answers = {
        "host PIN": (api.post(f"/hosts/{anna['id']}/pin", manager), "pin"),
        "manager PIN and token": (api.post("/managers", manager, {"name": "Mira"}), "token"),
        "kiosk pairing code": (api.post("/kiosks", manager, {"name": "Side door"}), "pairing"),
        "webhook secret": (api.post("/webhooks", manager, {"url": "https://crm.example/in"}), "secret"),
        "new host's PIN": (api.post("/hosts", manager, {"name": "Emil"}), "pin"),
    }
    code = answers["kiosk pairing code"][0].get_json()["pairing"]["code"]
    answers["kiosk token from pairing"] = (client.post("/api/v1/kiosks/pair", json={"code": code}), "token")
    for what, (answer, key) in answers.items():
        assert answer.status_code in (200, 201) and key in answer.get_json(), what
        assert answer.headers["Cache-Control"] == NO_STORE, what


def test_the_first_run_setup_page_is_never_stored(client):
    page = client.get("/setup")
    assert page.status_code == 200 and page.headers["Cache-Control"] == NO_STORE
