"""A site's managers, run from the team page and /api/v1/managers: add with a PIN and a
token shown once, a new PIN, and ending someone's access — never one's own."""

import json

from kiosk.domain.people import add_person
from tests.support.forms import form_post, submitted, token_session
from tests.support.openapi import PREFIX, check, error_check

MANAGERS = f"{PREFIX}/managers"


def test_a_manager_adds_a_colleague_who_then_signs_in_with_the_pin_shown_once(app, client, api, demo, doc):
    store = app.extensions["gastgeber"].store
    answer = check(doc, api.post("/managers", demo["manager"]["token"], {"name": "Mira"}), "post", MANAGERS)
    mira, pin = answer["manager"], answer["pin"]
    assert mira["has_access"] and api.get("/stats", answer["token"]).status_code == 200
    browser = app.test_client()
    assert form_post(browser, "/admin/login", {"name": "Mira", "pin": pin}).status_code == 303
    assert browser.get("/admin/team").status_code == 200
    listed = check(doc, api.get("/managers", demo["manager"]["token"]), "get", MANAGERS)["managers"]
    assert [m["name"] for m in listed] == sorted([demo["manager"]["name"], "Mira"])
    entries = json.dumps(list(store.db.query("SELECT * FROM audit_log")))
    assert "manager.added" in entries and pin not in entries and answer["token"] not in entries


def test_ending_access_signs_the_manager_out_everywhere_but_never_ones_own(app, api, demo, doc):
    manager = demo["manager"]["token"]
    made = api.post("/managers", manager, {"name": "Mira"}).get_json()
    browser = app.test_client()
    form_post(browser, "/admin/login", {"name": "Mira", "pin": made["pin"]})
    ended = check(doc, api.post(f"/managers/{made['manager']['id']}/end-access", manager),
                  "post", f"{MANAGERS}/{{manager_id}}/end-access")
    assert ended["manager"]["has_access"] is False
    assert api.get("/stats", made["token"]).status_code == 401  # the token is revoked
    assert browser.get("/admin/team").status_code == 302  # the PIN session is over
    own = api.post(f"/managers/{demo['manager']['id']}/end-access", manager)
    error_check(doc, own, "post", f"{MANAGERS}/{{manager_id}}/end-access", 409, "conflict")


def test_a_new_pin_replaces_the_old_one(app, api, demo, doc):
    manager = demo["manager"]["token"]
    made = api.post("/managers", manager, {"name": "Mira"}).get_json()
    new_pin = api.post(f"/managers/{made['manager']['id']}/pin", manager)
    again = check(doc, new_pin, "post", f"{MANAGERS}/{{manager_id}}/pin")
    browser = app.test_client()
    assert form_post(browser, "/admin/login", {"name": "Mira", "pin": made["pin"]}).status_code == 401  # the old one
    assert form_post(browser, "/admin/login", {"name": "Mira", "pin": again["pin"]}).status_code == 303


def test_managers_are_per_site_and_for_managers_only(app, api, demo, doc, clock):
    store = app.extensions["gastgeber"].store
    far = add_person(store, clock, "manager", "Dora", site="branch")
    assert api.get("/managers", demo["hosts"][0]["token"]).status_code == 403
    assert api.get("/managers", None).status_code == 401
    assert [m["name"] for m in api.get("/managers", far["token"]).get_json()["managers"]] == ["Dora"]
    response = api.post(f"/managers/{demo['manager']['id']}/pin", far["token"])
    error_check(doc, response, "post", f"{MANAGERS}/{{manager_id}}/pin", 404, "not_found")
    bad = api.post("/managers", demo["manager"]["token"], {"name": ""})
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "name"


def test_the_team_page_adds_a_manager_and_shows_the_pin_once(app, client, demo):
    token_session(client, "manager", demo["manager"]["token"])
    page = submitted(client, "/admin/team/managers", {"name": "Mira"}, page="/admin/team")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'id="new-manager-pin-value"' in text and "Mira" in text
    again = client.get("/admin/team").get_data(as_text=True)
    assert 'id="new-manager-pin-value"' not in again and "Can sign in" in again
    refused = form_post(client, "/admin/team/managers", {"name": "   "}, page="/admin/team")
    assert refused.status_code == 400 and 'id="manager-name-error"' in refused.get_data(as_text=True)
