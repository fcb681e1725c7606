"""First run (/setup), the start page, a manager's sign-in with name and PIN, and the
site's settings page and API, over HTTP."""

import re

import pytest

from kiosk.domain import audit
from kiosk.domain.auth import hash_pin
from kiosk.domain.lockout import FAILURES_PER_PERSON
from kiosk.domain.people import add_person
from kiosk.domain.setup import issue_setup_code
from tests.support.forms import form_post, token_session

SETUP = {"site": "Main-Street", "timezone": "Europe/Istanbul", "kiosk_languages": ["de", "tr"],
         "default_language": "tr", "name": "Selin", "pin": "482913", "pin_again": "482913"}


def services(app):
    return app.extensions["gastgeber"]


@pytest.fixture
def client(app):
    """A browser that reads English (Accept-Language): the texts asserted below are the English ones."""
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return browser


@pytest.fixture
def code(app, clock):
    return issue_setup_code(services(app).store, clock)


def set_up(client, code, page=None, **changes):
    return form_post(client, "/setup", {**SETUP, "code": code, **changes}, page=page)


def field_error(page, field):
    match = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', page)
    return match and match.group(1)


# ------------------------------------------------------------------ first run


def test_a_fresh_database_leads_to_setup_and_setup_makes_site_manager_and_settings(client, app, code):
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/setup")
    page = client.get("/setup").get_data(as_text=True)
    assert '<option value="Europe/Berlin" selected>' in page and 'name="pin_again"' in page
    response = set_up(client, code)
    assert response.status_code == 303 and response.headers["Location"].endswith("/admin")
    store = services(app).store
    site = store.site_by_name("Main-Street")
    assert site is not None and store.site_by_name("main") is None  # the default site was renamed
    settings = services(app).site_settings.for_site(site["id"])
    assert (settings["timezone"], settings["kiosk_languages"], settings["default_language"]) == (
        "Europe/Istanbul", ["de", "tr"], "tr")
    assert "setup.completed" in [entry["action"] for entry in audit.entries(store, site["id"])]
    # signed in as the new manager, and the start page now links admin and stats
    assert client.get("/admin/audit").status_code == 200
    start = client.get("/").get_data(as_text=True)
    assert 'href="/admin' in start and 'href="/stats"' in start
    # no second setup: the page is gone and the code is spent
    assert client.get("/setup").status_code == 404
    assert set_up(app.test_client(), code, page="/admin/login", name="Mallory").status_code == 404
    assert store.manager_count() == 1


def test_a_wrong_code_is_refused_clearly_keeps_the_input_and_counts_towards_the_lockout(client, app, code):
    response = set_up(client, "WRONG-CODE", name="Selin <b>")
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "not right, or it has expired" in field_error(page, "code")
    assert 'value="Selin &lt;b&gt;"' in page and 'aria-describedby="code-error"' in page
    assert services(app).store.manager_count() == 0
    for _ in range(25):
        last = set_up(client, "WRONG-CODE")
        if last.status_code == 429:
            break
    assert last.status_code == 429 and "Too many wrong attempts" in last.get_data(as_text=True)
    assert set_up(client, code).status_code == 429  # even the right code waits out the lockout


def test_an_expired_code_no_longer_works(client, app, clock, code):
    clock.advance(25 * 3600)
    assert set_up(client, code).status_code == 401


@pytest.mark.parametrize("changes, field, message", [
    ({"pin_again": "482914"}, "pin", "not the same"),
    ({"pin": "12ab56", "pin_again": "12ab56"}, "pin", "exactly 6 digits"),
    ({"timezone": "Mars/Olympus"}, "timezone", "IANA time zone"),
    ({"kiosk_languages": []}, "kiosk_languages", "at least one language"),
    ({"site": "../etc"}, "site", "A site name is 1 to 40"),
    ({"name": ""}, "name", "Please enter a name"),
])
def test_a_refused_setup_form_says_what_is_wrong_next_to_the_field(client, app, code, changes, field, message):
    response = set_up(client, code, **changes)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in field_error(page, field)
    assert services(app).store.manager_count() == 0
    assert set_up(client, code).status_code == 303  # the code was not spent by the refused form


def test_a_restart_after_setup_prints_no_new_code(client, app, code, clock):
    assert set_up(client, code).status_code == 303
    assert issue_setup_code(services(app).store, clock) is None  # a restart prints no code once a manager exists


def test_init_demo_still_makes_a_site_without_setup(client, demo):
    assert client.get("/").status_code == 200
    assert client.get("/setup").status_code == 404


# ------------------------------------------------------------------ manager sign-in with a PIN


ENGLISH = {"Accept-Language": "en"}  # the sign-in follows the browser's language; the site's default is German


@pytest.fixture
def maria_pin(app, demo):
    store = services(app).store
    store.set_manager_pin(demo["manager"]["id"], hash_pin("246810"), "2026-11-23T09:00:00.000Z", audit=[])
    return "246810"


def test_a_manager_signs_in_with_name_and_pin_and_admin_sends_strangers_there(client, demo, maria_pin):
    response = client.get("/admin/settings")
    assert response.status_code == 302 and "/admin/login?next=/admin/settings" in response.headers["Location"]
    page = client.get("/admin/login").get_data(as_text=True)
    assert 'href="/stats/login"' in page  # the token sign-in stays
    wrong = form_post(client, "/admin/login", {"name": "maria", "pin": "000000"}, headers=ENGLISH)
    assert wrong.status_code == 401 and "Name or PIN is not right." in wrong.get_data(as_text=True)
    response = form_post(client, "/admin/login?next=/admin/settings", {"name": "maria", "pin": maria_pin})
    assert response.status_code == 303 and response.headers["Location"].endswith("/admin/settings")
    assert client.get("/admin/settings").status_code == 200 and client.get("/stats").status_code == 200
    assert client.get("/api/v1/settings").status_code == 200  # the API takes the PIN session too


def test_sign_in_never_follows_a_next_to_another_server(client, demo, maria_pin):
    response = form_post(client, "/admin/login?next=//evil.example/", {"name": "Maria", "pin": maria_pin})
    assert response.headers["Location"].endswith("/admin") or response.headers["Location"] == "/admin"


def test_wrong_pins_lock_the_name_out(client, demo, maria_pin):
    for _ in range(FAILURES_PER_PERSON):
        assert form_post(client, "/admin/login", {"name": "Maria", "pin": "999999"}).status_code == 401
    locked = form_post(client, "/admin/login", {"name": "Maria", "pin": maria_pin}, headers=ENGLISH)
    assert locked.status_code == 429 and "Too many wrong attempts" in locked.get_data(as_text=True)


def test_a_new_pin_signs_out_browsers_that_used_the_old_one_and_token_sessions_still_work(client, app, demo, maria_pin):
    form_post(client, "/admin/login", {"name": "Maria", "pin": maria_pin})
    assert client.get("/admin/settings").status_code == 200
    store = services(app).store
    store.set_manager_pin(demo["manager"]["id"], hash_pin("135790"), "2026-11-23T09:00:00.000Z", audit=[])
    assert client.get("/admin/settings").status_code == 302
    token_session(client, "manager", demo["manager"]["token"])
    assert client.get("/admin/settings").status_code == 200


def test_a_manager_cookie_copied_before_sign_out_is_refused_after_it(client, app, demo, maria_pin):
    form_post(client, "/admin/login", {"name": "Maria", "pin": maria_pin})
    copied = client.get_cookie("gastgeber_session").value
    form_post(client, "/stats/logout", page="/stats")
    replay = app.test_client()
    replay.set_cookie("gastgeber_session", copied)
    assert replay.get("/admin/settings").status_code == 302
    assert replay.get("/api/v1/settings").status_code == 401


def test_a_manager_locked_out_from_one_address_still_signs_in_from_another(client, app, demo, maria_pin):
    for _ in range(FAILURES_PER_PERSON):
        form_post(client, "/admin/login", {"name": "Maria", "pin": "999999"}, environ_base={"REMOTE_ADDR": "10.0.0.66"})
    elsewhere = form_post(app.test_client(), "/admin/login", {"name": "Maria", "pin": maria_pin},
                          environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert elsewhere.status_code == 303


# ------------------------------------------------------------------ settings page and API


@pytest.fixture
def signed_in(client, demo):
    token_session(client, "manager", demo["manager"]["token"])
    return client


def test_the_settings_page_shows_values_and_sources_and_saves_changes(signed_in, app, demo):
    page = signed_in.get("/admin/settings").get_data(as_text=True)
    assert 'id="escalate_after_seconds"' in page and 'value="30"' in page
    assert 'id="field-escalate_after_seconds" data-source="default"' in page
    response = form_post(signed_in, "/admin/settings", {**current_form(page), "escalate_after_seconds": "12",
                                                        "welcome_text_de": "Willkommen in der <Filiale>!"})
    assert response.status_code == 303
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved: 2 changes." in page
    assert 'id="field-escalate_after_seconds" data-source="site"' in page and "changed here by Maria at" in page
    assert "Willkommen in der &lt;Filiale&gt;!" in page
    assert services(app).site_settings.for_site(1)["escalate_after_seconds"] == 12
    reset = form_post(signed_in, "/admin/settings", {"reset": "escalate_after_seconds"}, page="/admin/settings")
    assert reset.status_code == 303 and services(app).site_settings.for_site(1)["escalate_after_seconds"] == 30
    actions = [(entry["action"], entry["details"].get("key")) for entry in audit.entries(services(app).store, 1)]
    assert actions[0] == ("settings.changed", "escalate_after_seconds") and len(actions) == 3


def current_form(page):
    """The settings form's fields as a browser would send them unchanged."""
    number_input = r'<input id="([a-z_]+)" name="[a-z_]+" type="text" inputmode="numeric" value="([^"]*)"'
    fields = dict(re.findall(number_input, page))
    fields.update(re.findall(r'<textarea id="([a-z_]+)"[^>]*>([^<]*)</textarea>', page))
    fields["kiosk_languages"] = re.findall(r'name="kiosk_languages" value="([a-z]+)" checked', page)
    return fields


def test_a_refused_settings_form_answers_400_and_keeps_what_was_typed(signed_in, app, demo):
    page = signed_in.get("/admin/settings").get_data(as_text=True)
    response = form_post(signed_in, "/admin/settings",
                         {**current_form(page), "escalate_after_seconds": "soon", "greet_target_seconds": "60"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter a whole number from 1 to 3600" in field_error(page, "escalate_after_seconds")
    assert 'value="soon"' in page and 'value="60"' in page and 'aria-invalid="true"' in page
    assert services(app).site_settings.for_site(1)["greet_target_seconds"] == 120  # nothing saved


def test_the_settings_api_reads_and_patches_with_clear_errors(api, client, app, demo):
    token = demo["manager"]["token"]
    answer = api.get("/settings", token).get_json()
    assert answer["settings"]["escalate_after_seconds"] == {
        "value": 30, "source": {"kind": "default"}, "config_value": 30, "type": "an integer",
        "help": "Unacknowledged this long: the alert goes to the whole team."}
    headers = {"Authorization": f"Bearer {token}"}
    response = client.patch("/api/v1/settings", json={"greet_target_seconds": 90, "kiosk_languages": ["en"]},
                            headers=headers)
    assert response.status_code == 200
    body = response.get_json()
    assert [entry["key"] for entry in body["changed"]] == ["greet_target_seconds", "kiosk_languages"]
    assert body["settings"]["greet_target_seconds"]["source"]["by"] == "Maria"
    assert api.get("/stats", token).get_json()["target_seconds"] == 90  # the stats use the site's target at once
    bad = client.patch("/api/v1/settings", json={"greet_target_seconds": 0}, headers=headers)
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "greet_target_seconds"
    unknown = client.patch("/api/v1/settings", json={"db": "/tmp/x.db"}, headers=headers)
    assert unknown.status_code == 400 and unknown.get_json()["error"]["field"] == "db"
    assert client.patch("/api/v1/settings", json=[1], headers=headers).status_code == 400
    assert client.patch("/api/v1/settings", data="x", headers=headers).status_code == 415
    reset = client.patch("/api/v1/settings", json={"greet_target_seconds": None}, headers=headers).get_json()
    assert reset["settings"]["greet_target_seconds"]["value"] == 120


def test_hosts_and_kiosks_may_not_read_or_change_settings(api, client, demo):
    for token in (demo["hosts"][0]["token"], demo["kiosk"]["token"]):
        assert api.get("/settings", token).status_code == 403
        headers = {"Authorization": f"Bearer {token}"}
        assert client.patch("/api/v1/settings", json={"retention_days": 1}, headers=headers).status_code == 403
    assert api.get("/settings").status_code == 401


def test_another_sites_manager_sees_and_changes_only_their_own_site(api, client, app, demo, clock):
    north = add_person(services(app).store, clock, "manager", "Nils", "north")
    headers = {"Authorization": f"Bearer {north['token']}"}
    assert client.patch("/api/v1/settings", json={"retention_days": 7}, headers=headers).status_code == 200
    assert api.get("/settings", north["token"]).get_json()["site"] == "north"
    main = api.get("/settings", demo["manager"]["token"]).get_json()
    assert main["site"] == "main" and main["settings"]["retention_days"]["value"] == 90
    assert services(app).site_settings.for_site(1)["retention_days"] == 90


def test_the_kiosk_page_shows_the_sites_welcome_text_and_languages(client, app, demo):
    maria = services(app).store.person("manager", demo["manager"]["id"])
    from kiosk.domain.auth import Principal
    services(app).site_settings.change(1, {"welcome_text_de": "Schön, dass Sie da sind – Filiale Mitte.",
                                           "kiosk_languages": ["de", "en"]},
                                       Principal("manager", maria["id"], maria["name"], 1, "main"))
    token_session(client, "kiosk", demo["kiosk"]["token"])
    page = client.get("/kiosk").get_data(as_text=True)
    assert "Schön, dass Sie da sind – Filiale Mitte." in page
    assert 'data-lang="tr"' not in page and 'data-lang="en"' in page
