"""Operators: made on the command line only, they create sites and each site's first
manager, and their token passes for nothing else; a manager never sees another site."""

import json
import re

import pytest
from click.testing import CliRunner

from kiosk.cli import main
from kiosk.domain import operators
from kiosk.domain.auth import hash_token
from tests.support.forms import form_post, submitted, token_session
from tests.support.openapi import PREFIX, check, error_check
from tests.support.routes import ROUTE_IDS, ROUTES, fill

SITES = f"{PREFIX}/sites"


@pytest.fixture
def store(app):
    return app.extensions["gastgeber"].store


@pytest.fixture
def operator(store, clock):
    return operators.add_operator(store, clock, "Olga")


def test_gastgeber_operator_add_prints_the_token_once_and_stores_its_hash(tmp_path):
    db = tmp_path / "cli.db"
    result = CliRunner().invoke(main, ["operator", "add", "Olga", "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["name"] == "Olga" and len(answer["token"]) >= 40
    from kiosk.store import Store
    store = Store(db)
    row = store._one("SELECT * FROM tokens WHERE role = 'operator'")
    assert row["token_hash"] == hash_token(answer["token"]) and row["site_id"] is None
    assert answer["token"] not in json.dumps(list(store.db.query("SELECT * FROM audit_log")))
    assert store.operator_row(hash_token(answer["token"]))["name"] == "Olga"
    store.close()
    plain = CliRunner().invoke(main, ["operator", "add", "Otto", "--db", str(db)])
    assert plain.exit_code == 0 and "token: " in plain.output
    bad = CliRunner().invoke(main, ["operator", "add", "", "--db", str(db)])
    assert bad.exit_code == 2 and "Traceback" not in bad.output


@pytest.mark.parametrize("path, method, body, allowed", ROUTES, ids=ROUTE_IDS)
def test_an_operator_token_passes_for_no_kiosk_host_or_manager(api, demo, operator, path, method, body, allowed):
    ids = {"visit": 1, "customer": 1, "appointment": 1, "host": demo["hosts"][1]["id"]}
    url, data = fill(path, ids, "op"), fill(body, ids, "op")
    token = operator["token"]
    response = api.post(url, token, data) if method == "POST" else api.get(url, token)
    assert response.status_code in (401, 403), response.get_json()


def test_an_operator_token_opens_no_team_stats_board_or_socket(api, client, demo, operator, socket_client):
    for path in ("/hosts", "/stats", "/audit"):
        assert api.get(path, operator["token"]).status_code in (401, 403)
    assert api.post("/hosts", operator["token"], {"name": "Evil"}).status_code in (401, 403)
    board = socket_client(token=operator["token"])
    assert not board.is_connected()
    form_post(client, "/stats/login", {"token": operator["token"]})  # the manager sign-in refuses it
    assert client.get("/admin/team").status_code == 302 and client.get("/api/v1/hosts").status_code == 401


def test_sites_api_is_for_operators_only(doc, api, demo, operator):
    error_check(doc, api.get("/sites"), "get", SITES, 401, "unauthorized")
    error_check(doc, api.get("/sites", "forged"), "get", SITES, 401, "unauthorized")
    for token in (demo["manager"]["token"], demo["hosts"][0]["token"], demo["kiosk"]["token"]):
        error_check(doc, api.get("/sites", token), "get", SITES, 403, "forbidden")
        error_check(doc, api.post("/sites", token, {"name": "x", "manager_name": "y"}), "post", SITES, 403, "forbidden")


def test_an_operator_creates_a_site_whose_manager_sees_only_it(doc, api, demo, operator, store):
    token = operator["token"]
    listed = check(doc, api.get("/sites", token), "get", SITES)["sites"]
    assert [site["name"] for site in listed] == ["main"] and listed[0]["hosts"] == 3
    made = api.post("/sites", token, {"name": "Branch North", "manager_name": "Nina", "timezone": "Europe/Vienna"})
    assert made.status_code == 201
    created = check(doc, made, "post", SITES)
    assert created["site"]["name"] == "Branch North" and created["manager"]["name"] == "Nina"
    nina = created["manager"]["token"]
    assert created["manager"]["token"] not in json.dumps(list(store.db.query("SELECT * FROM audit_log")))
    # Nina manages only her site: empty team, no hosts of main, 404 on them
    assert api.get("/hosts", nina).get_json()["hosts"] == []
    assert api.get(f"/hosts/{demo['hosts'][0]['id']}", nina).status_code == 404
    assert api.post(f"/hosts/{demo['hosts'][0]['id']}/deactivate", nina).status_code == 404
    assert api.get("/visits", nina).get_json()["visits"] == []
    added = api.post("/hosts", nina, {"name": "Nils"}).get_json()["host"]
    assert api.get(f"/hosts/{added['id']}", demo["manager"]["token"]).status_code == 404
    assert "Nils" not in json.dumps(api.get("/hosts", demo["manager"]["token"]).get_json())
    assert api.get("/sites", nina).status_code == 403
    # the audit entries are in the new site's log, not main's
    site_id = created["site"]["id"]
    actions = [(e["action"], e["actor"]["role"]) for e in api.get("/audit", nina).get_json()["entries"]]
    assert ("site.created", "operator") in actions and ("manager.added", "operator") in actions
    assert all(e["action"] not in ("site.created", "manager.added")
               for e in api.get("/audit", demo["manager"]["token"]).get_json()["entries"])
    assert store.site_setting_rows(site_id)["timezone"]["value"] == "Europe/Vienna"


@pytest.mark.parametrize("body, field", [
    ({"manager_name": "Nina"}, "name"), ({"name": "", "manager_name": "Nina"}, "name"),
    ({"name": "../etc", "manager_name": "Nina"}, "name"), ({"name": "main", "manager_name": "Nina"}, "name"),
    ({"name": "North"}, "manager_name"), ({"name": "North", "manager_name": "x" * 81}, "manager_name"),
    ({"name": "North", "manager_name": "Nina", "timezone": "Mars/Olympus"}, "timezone"),
    ({"name": "North", "manager_name": "Nina", "timezone": 5}, "timezone"),
])
def test_a_refused_site_says_which_field(doc, api, demo, operator, store, body, field):
    error_check(doc, api.post("/sites", operator["token"], body), "post", SITES, 400, "invalid_input", field)
    assert [site["name"] for site in store.sites_overview()] == ["main"]


def test_an_operator_signs_in_at_a_browser_and_creates_a_site(client, demo, operator, store):
    assert client.get("/operator").status_code == 302
    wrong = form_post(client, "/operator/login", {"token": demo["manager"]["token"]}, headers={"Accept-Language": "en"})
    assert wrong.status_code == 401 and "not a valid operator token" in wrong.get_data(as_text=True)
    signed_in = form_post(client, "/operator/login", {"token": operator["token"]})
    assert signed_in.status_code == 303 and signed_in.headers["Location"].endswith("/operator")
    page = client.get("/operator").get_data(as_text=True)
    assert 'data-site-id="1"' in page and "main" in page
    assert 'href="/operator/stats"' in page and 'href="/operator/branches"' in page  # the operator's navigation
    refused = form_post(client, "/operator/sites", {"name": "North!", "manager_name": "Nina"}, page="/operator")
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert 'id="name-error"' in text and 'aria-invalid="true"' in text and 'value="Nina"' in text
    made = submitted(client, "/operator/sites", {"name": "North", "manager_name": "Nina"}, page="/operator")
    assert made.status_code == 200
    token = re.search(r'id="new-manager-token">([^<]+)<', made.get_data(as_text=True)).group(1)
    assert store.principal_row(hash_token(token))["site"] == "North"
    assert token not in client.get("/operator").get_data(as_text=True)  # shown once
    # the operator's browser session is no manager's
    assert client.get("/admin/team").status_code == 302
    assert client.get("/api/v1/hosts").status_code == 401
    form_post(client, "/operator/logout", page="/operator")
    assert client.get("/operator").status_code == 302


def test_a_managers_browser_cannot_reach_the_operator(client, api, demo):
    token_session(client, "manager", demo["manager"]["token"])
    assert client.get("/operator").status_code == 302
    assert client.get("/api/v1/sites").status_code == 403
