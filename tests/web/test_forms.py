"""Every browser form answers POST → 303 → GET, so reloading the page it leads to sends nothing
again; what a form made once (a PIN, a token, a pairing code) is shown once after the redirect,
and a second host, kiosk or manager of the same name is refused next to the field."""

import io
import re

import pytest

from kiosk.domain import operators
from kiosk.domain.auth import Principal
from kiosk.domain.branches import received
from kiosk.domain.setup import issue_setup_code
from tests.support.demo import demo_site
from tests.support.forms import form_post, submitted, token_session
from tests.support.routes import FORM_IDS, FORMS

CSRF_PAGE = "/kiosk/setup"  # a page every browser may open, with a form (the CSRF token is the session's)


def services(app):
    return app.extensions["gastgeber"]


def maria(demo) -> Principal:
    return Principal("manager", demo["manager"]["id"], "Maria", 1, "main")


def _prepare(step, app, clock, demo, ids):
    s = services(app)
    if step == "deactivate":
        s.team.deactivate(maria(demo), ids["host"])
    elif step == "colleague":
        ids["colleague"] = s.managers.add(maria(demo), "Mira")[0]["id"]
    elif step == "webhook":
        ids["webhook"] = s.webhooks.register(maria(demo), "https://crm.example/in", ["visit.arrived"])[0]["id"]
    elif step == "sms_channel":  # a gateway whose name never resolves: the test is tried and fails at once
        s.channels.set_sms_channel(maria(demo), {"url": "json://sms.invalid/sms"})
    elif step == "pairing_code":
        ids["pairing_code"] = s.pairing.register(maria(demo), "Side door")[1]["code"]
    elif step == "digest_channel":
        ids["digest_channel"] = s.digests.add_channel(maria(demo), {"url": "json://crm.example/digest"})["id"]
    elif step == "operator":
        ids["operator_token"] = operators.add_operator(s.store, clock, "Olga")["token"]
    elif step == "branch":
        olga = operators.add_operator(s.store, clock, "Olga")
        ids["operator_token"] = olga["token"]
        operator = Principal(role="operator", id=olga["id"], name="Olga", site_id=None, site=None)
        ids["branch"] = received.create_branch(s.store, clock, operator, "Hamburg")["branch"]["id"]


def test_every_form_of_the_app_is_in_the_walk(app):
    """A new form joins FORMS (tests/support/routes.py), and so is held to POST → 303 → GET."""
    json_routes = ("/api/", "/status/")  # the API and the status link's JSON calls (CONTRACT.md) take no forms
    rules = {re.sub(r"<id:\w+?_id>", "{}", rule.rule) for rule in app.url_map.iter_rules()
             if "POST" in rule.methods and not rule.rule.startswith(json_routes)}
    walked = {re.sub(r"\{\w+\}", "{}", path) for path in FORM_IDS}
    assert rules == walked


@pytest.mark.parametrize("path, role, fields, prepare", FORMS, ids=FORM_IDS)
def test_each_form_answers_a_valid_post_with_303_to_a_page(app, clock, monkeypatch, path, role, fields, prepare):
    browser = app.test_client()
    if prepare == "first_run":
        ids = {"setup_code": issue_setup_code(services(app).store, clock)}
    else:
        demo = demo_site(services(app).store, clock, monkeypatch)
        anna, ben = demo["hosts"][0], demo["hosts"][1]
        ids = {"host": ben["id"], "host_pin": ben["pin"], "other_host": anna["id"], "kiosk": demo["kiosk"]["id"],
               "kiosk_token": demo["kiosk"]["token"], "manager_token": demo["manager"]["token"],
               "manager_pin": demo["manager"]["pin"]}
        _prepare(prepare, app, clock, demo, ids)
        if role == "host":
            form_post(browser, "/board/login", {"host_id": ben["id"], "pin": ben["pin"]}, page=CSRF_PAGE)
        elif role:
            tokens = {"manager": demo["manager"]["token"], "operator": ids.get("operator_token")}
            token_session(browser, role, tokens[role])
    data = {key: (io.BytesIO(value), "upload") if isinstance(value, bytes) else value.format(**ids)
            for key, value in fields.items()}
    answer = form_post(browser, path.format(**ids), data, page=CSRF_PAGE)
    assert answer.status_code == 303, answer.get_data(as_text=True)[:500]
    assert browser.get(answer.headers["Location"]).status_code in (200, 302)  # a page (or a sign-in first)


@pytest.fixture
def manager_browser(app, demo):
    """Maria's browser, asking for English (without a wish the pages speak the site's German)."""
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return token_session(browser, "manager", demo["manager"]["token"])


def test_reloading_the_team_page_after_adding_lea_adds_no_second_lea(app, manager_browser, store):
    form = {"name": "Lea", "languages": "de", "topics": "", "colour": "teal"}
    page = submitted(manager_browser, "/admin/team", form, page="/admin/team").get_data(as_text=True)
    pin = re.search(r'id="new-pin-value">(\d{6})<', page).group(1)
    reloaded = manager_browser.get("/admin/team").get_data(as_text=True)  # what a reload does after a 303
    assert pin not in reloaded and 'id="new-pin"' not in reloaded
    assert [h["name"] for h in store.hosts_of_site(1)].count("Lea") == 1


def test_reloading_the_kiosks_page_makes_no_second_kiosk_and_no_second_code(app, manager_browser, store):
    page = submitted(manager_browser, "/admin/kiosks", {"name": "Eingang"}, page="/admin/kiosks")
    code = re.search(r'id="pairing-code-value">([A-Z2-9]{4}-[A-Z2-9]{4})<', page.get_data(as_text=True)).group(1)
    assert 'src="data:image/svg+xml' in page.get_data(as_text=True)  # the QR code, drawn for the GET
    reloaded = manager_browser.get("/admin/kiosks").get_data(as_text=True)
    assert code not in reloaded
    assert [k["name"] for k in store.kiosks_of_site(1)].count("Eingang") == 1
    assert store._one("SELECT COUNT(*) AS n FROM kiosk_pairing_codes")["n"] == 1


def test_the_secret_shown_once_is_in_no_url_and_sealed_on_the_server(app, demo, manager_browser, store):
    answer = form_post(manager_browser, "/admin/team/managers", {"name": "Mira"}, page="/admin/team")
    assert answer.status_code == 303 and "?" not in answer.headers["Location"]
    stored = "\n".join(store.db.iterdump())
    other_browser = token_session(app.test_client(), "manager", demo["manager"]["token"])
    elsewhere = other_browser.get(answer.headers["Location"]).get_data(as_text=True)
    page = manager_browser.get(answer.headers["Location"]).get_data(as_text=True)
    pin = re.search(r'id="new-manager-pin-value">(\d{6})<', page).group(1)
    token = re.search(r'id="new-manager-token">([^<]+)<', page).group(1)
    assert pin not in stored and token not in stored  # the database held it only sealed
    assert store._one("SELECT COUNT(*) AS n FROM notices_once")["n"] == 0  # and forgot it once shown
    assert token not in elsewhere and pin not in elsewhere  # another browser on the same URL sees nothing


@pytest.mark.parametrize("path, page, fields, error_id", [
    ("/admin/team", "/admin/team", {"name": " lea ", "languages": "", "topics": "", "colour": "teal"}, "name-error"),
    ("/admin/kiosks", "/admin/kiosks", {"name": "EINGANG"}, "kiosk-name-error"),
    ("/admin/team/managers", "/admin/team", {"name": "mira"}, "manager-name-error"),
])
def test_a_second_of_the_same_name_is_refused_next_to_the_field(app, manager_browser, store, path, page, fields,
                                                                error_id):
    first = {**fields, "name": {"/admin/team": "Lea", "/admin/kiosks": "Eingang"}.get(path, "Mira")}
    submitted(manager_browser, path, first, page=page)
    refused = form_post(manager_browser, path, fields, page=page)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert re.search(rf'<p class="field-error" id="{error_id}">There is already a \w+ called', text)
    assert re.search(rf'aria-describedby="{error_id}"', text)


def test_the_api_refuses_a_taken_name_with_409_naming_the_field(api, demo):
    manager = demo["manager"]["token"]
    taken = (("/hosts", {"name": "Anna"}), ("/kiosks", {"name": "entrance"}), ("/managers", {"name": "MARIA"}))
    for path, body in taken:
        answer = api.post(path, manager, body)
        assert answer.status_code == 409, path
        assert answer.get_json()["error"]["code"] == "conflict" and answer.get_json()["error"]["field"] == "name"
    ben = demo["hosts"][1]["id"]
    renamed = api.client.patch(f"/api/v1/hosts/{ben}", json={"name": "ANNA"},
                               headers={"Authorization": f"Bearer {manager}"})
    assert renamed.status_code == 409 and renamed.get_json()["error"]["field"] == "name"


def test_a_name_comes_free_when_its_host_leaves_and_their_return_is_refused_while_it_is_taken(api, demo):
    manager, anna = demo["manager"]["token"], demo["hosts"][0]["id"]
    assert api.post(f"/hosts/{anna}/deactivate", manager).status_code == 200
    assert api.post("/hosts", manager, {"name": "Anna"}).status_code == 201  # a new Anna joins
    back = api.post(f"/hosts/{anna}/activate", manager)
    assert back.status_code == 409 and back.get_json()["error"]["field"] == "name"
