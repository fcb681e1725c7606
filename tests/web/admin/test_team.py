"""The team page (/admin/team) and the hosts API: a manager adds, edits, deactivates and
reactivates hosts, resets PINs (shown once, never stored or logged) and moves a leaving
host's customers; only ever on their own site."""

import html
import json
import re

import pytest

from kiosk.domain.auth import pin_matches
from kiosk.domain.people import add_person
from tests.support.forms import form_post, submitted, token_session
from tests.support.openapi import PREFIX, check, error_check

HOSTS = f"{PREFIX}/hosts"
HOST = f"{HOSTS}/{{host_id}}"


@pytest.fixture
def store(app):
    return app.extensions["gastgeber"].store


@pytest.fixture
def manager(demo):
    return demo["manager"]["token"]


@pytest.fixture
def far(store, clock):
    """Another site with a host and a manager."""
    return {"host": add_person(store, clock, "host", "Dora", site="branch"),
            "manager": add_person(store, clock, "manager", "Mo", site="branch")}


def sign_in_manager(client, token):
    token_session(client, "manager", token)


def host_id(demo, name):
    return next(h["id"] for h in demo["hosts"] if h["name"] == name)


def row_of(page, host):
    match = re.search(rf'<tr data-host-id="{host}".*?</tr>', page, re.S)
    assert match, f"no row for host {host}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


def audit_text(store):
    return json.dumps(list(store.db.query("SELECT * FROM audit_log")), ensure_ascii=False)


# ------------------------------------------------------------------ the page

def test_the_team_page_sends_a_stranger_and_a_host_to_the_manager_sign_in(app, client, demo):
    response = client.get("/admin/team")
    assert response.status_code == 302 and "login" in response.headers["Location"]
    anna = demo["hosts"][0]
    form_post(client, "/board/login", {"host_id": str(anna["id"]), "pin": anna["pin"]})
    assert client.get("/board").status_code == 200  # signed in as a host, not as a manager
    assert client.get("/admin/team/1").status_code == 302


def test_the_team_page_shows_every_host_with_who_is_signed_in(client, demo, manager, socket_client, far):
    socket_client(token=demo["hosts"][0]["token"])  # Anna's board is live
    sign_in_manager(client, manager)
    page = client.get("/admin/team").get_data(as_text=True)
    anna, ben = row_of(page, host_id(demo, "Anna")), row_of(page, host_id(demo, "Ben"))
    assert "Anna" in anna and "de, en" in anna and "accounts" in anna and "Available · signed in" in anna
    assert "Away · not signed in" in ben and "loans" in ben
    assert "Dora" not in page  # another site's host
    assert 'href="/admin/team"' in page and 'aria-current="page"' in page  # in the admin navigation


def test_a_manager_adds_a_host_and_reads_the_pin_once(client, demo, manager, store):
    sign_in_manager(client, manager)
    response = submitted(client, "/admin/team", {"name": "  Emil Ö ", "languages": "DE, tr", "topics": "loans",
                                                 "colour": "violet"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    pin = re.search(r'id="new-pin-value">(\d{6})<', page).group(1)
    row = store._one("SELECT * FROM hosts WHERE name = 'Emil Ö'")
    assert (row["languages"], row["topics"], row["colour"], row["active"]) == ("de,tr", "loans", "violet", 1)
    assert pin_matches(row["pin_hash"], pin) and pin not in row["pin_hash"]
    assert pin not in audit_text(store)
    entry = store.audit_entries(1)[0]
    assert entry["action"] == "host.added" and entry["actor_name"] == "Maria" and "Emil Ö" in entry["subject"]
    assert pin not in client.get("/admin/team").get_data(as_text=True)  # shown once: not on the next visit
    # that host signs in on the board with it
    board = client.application.test_client()
    signed_in = form_post(board, "/board/login", {"host_id": str(row["id"]), "pin": pin})
    assert signed_in.status_code == 303 and signed_in.headers["Location"].endswith("/board")


@pytest.mark.parametrize("form, field", [
    ({"name": "", "languages": "de"}, "name"),
    ({"name": "Emil", "languages": "de, deutsch1"}, "languages"),
    ({"name": "Emil", "topics": "x" * 41}, "topics"),
    ({"name": "Emil", "colour": "red; background: url(x)"}, "colour"),
])
def test_a_refused_form_says_why_next_to_the_field_and_keeps_what_was_typed(client, demo, manager, store, form, field):
    sign_in_manager(client, manager)
    before = len(store.hosts_of_site(1))
    response = form_post(client, "/admin/team", form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and "aria-invalid=\"true\"" in page
    assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', page) or \
        re.search(rf'id="{field}"[^>]*aria-describedby="[^"]*{field}-error', page)
    if form.get("name"):
        assert f'value="{form["name"]}"' in page
    assert len(store.hosts_of_site(1)) == before


def test_a_manager_edits_resets_the_pin_deactivates_and_reactivates_on_the_page(client, demo, manager, store):
    sign_in_manager(client, manager)
    ben = host_id(demo, "Ben")
    edited = submitted(client, f"/admin/team/{ben}", {"name": "Ben K", "languages": "de,tr,en", "topics": "loans",
                                                      "colour": "amber"})
    assert edited.status_code == 200 and "Saved." in edited.get_data(as_text=True)
    assert store.host_of_site(1, ben)["name"] == "Ben K"
    reset = submitted(client, f"/admin/team/{ben}/pin", page=f"/admin/team/{ben}")
    pin = re.search(r'id="new-pin-value">(\d{6})<', reset.get_data(as_text=True)).group(1)
    assert pin_matches(store.host_of_site(1, ben)["pin_hash"], pin)
    gone = submitted(client, f"/admin/team/{ben}/deactivate", page=f"/admin/team/{ben}")
    assert "Deactivated" in gone.get_data(as_text=True) and store.host_of_site(1, ben)["active"] == 0
    back = submitted(client, f"/admin/team/{ben}/activate", page=f"/admin/team/{ben}")
    new_pin = re.search(r'id="new-pin-value">(\d{6})<', back.get_data(as_text=True)).group(1)
    assert pin_matches(store.host_of_site(1, ben)["pin_hash"], new_pin)
    actions = [entry["action"] for entry in store.audit_entries(1)]
    assert actions[:4] == ["host.activated", "host.deactivated", "host.pin_reset", "host.changed"]
    assert pin not in audit_text(store) and new_pin not in audit_text(store)


def test_another_sites_host_is_not_found_on_the_page(client, demo, manager, far):
    sign_in_manager(client, manager)
    assert client.get(f"/admin/team/{far['host']['id']}").status_code == 404
    assert form_post(client, f"/admin/team/{far['host']['id']}/pin", page="/admin/team").status_code == 404


# ------------------------------------------------------------------ the API

def test_hosts_api_refuses_strangers_and_other_roles(api, demo, far):
    ben = host_id(demo, "Ben")
    calls = [("get", "/hosts", None), ("post", "/hosts", {"name": "X"}), ("post", f"/hosts/{ben}/pin", None),
             ("post", f"/hosts/{ben}/deactivate", None), ("post", f"/hosts/{ben}/activate", None),
             ("post", f"/hosts/{ben}/customers/move", {"to_host_id": 1}), ("get", f"/hosts/{ben}", None)]
    for method, path, body in calls:
        for token, status in ((None, 401), ("forged", 401), (demo["kiosk"]["token"], 403),
                              (demo["hosts"][0]["token"], 403)):
            response = api.get(path, token) if method == "get" else api.post(path, token, body)
            assert response.status_code == status, (method, path, token, response.get_json())
    patch = api.client.patch(f"/api/v1/hosts/{ben}", json={"name": "Y"},
                             headers={"Authorization": f"Bearer {demo['hosts'][0]['token']}"})
    assert patch.status_code == 403


def test_a_manager_adds_lists_and_edits_hosts_through_the_api(doc, api, demo, manager, store):
    made = api.post("/hosts", manager, {"name": "Emil", "languages": ["de", "tr"], "topics": "loans, cards"})
    assert made.status_code == 201
    body = check(doc, made, "post", HOSTS)
    assert body["host"]["languages"] == ["de", "tr"] and body["host"]["topics"] == ["loans", "cards"]
    assert re.fullmatch(r"\d{6}", body["pin"]) and body["pin"] not in audit_text(store)
    listed = check(doc, api.get("/hosts", manager), "get", HOSTS)["hosts"]
    assert [h["name"] for h in listed] == ["Anna", "Ben", "Clara", "Emil"]
    assert all("pin" not in h and "pin_hash" not in h for h in listed)
    emil = body["host"]["id"]
    patched = api.client.patch(f"/api/v1/hosts/{emil}", json={"topics": [], "colour": "rose"},
                               headers={"Authorization": f"Bearer {manager}"})
    host = check(doc, patched, "patch", HOST)["host"]
    assert (host["name"], host["topics"], host["colour"]) == ("Emil", [], "rose")
    assert check(doc, api.get(f"/hosts/{emil}", manager), "get", HOST)["host"] == host
    entry = store.audit_entries(1)[0]
    assert entry["action"] == "host.changed" and entry["details"]["colour"] == {"from": "teal", "to": "rose"}


@pytest.mark.parametrize("body, field", [
    ({}, "name"), ({"name": ""}, "name"), ({"name": "x" * 81}, "name"), ({"name": 7}, "name"),
    ({"name": "Emil", "languages": "german"}, "languages"), ({"name": "Emil", "languages": [1]}, "languages"),
    ({"name": "Emil", "topics": "a" * 41}, "topics"), ({"name": "Emil", "colour": "#fff"}, "colour"),
])
def test_the_api_says_which_field_is_wrong(doc, api, manager, body, field):
    error_check(doc, api.post("/hosts", manager, body), "post", HOSTS, 400, "invalid_input", field)


def test_bad_bodies_are_400_not_500(doc, api, manager, demo):
    for body in ([], "x", None):
        response = api.client.post("/api/v1/hosts", data=json.dumps(body) if body is not None else "{",
                                   headers={"Authorization": f"Bearer {manager}", "Content-Type": "application/json"})
        assert response.status_code == 400
    ben = host_id(demo, "Ben")
    moved = api.post(f"/hosts/{ben}/customers/move", manager, {"to_host_id": "2"})
    error_check(doc, moved, "post", f"{HOST}/customers/move", 400, "invalid_input", "to_host_id")
    error_check(doc, api.post(f"/hosts/{ben}/customers/move", manager, {"to_host_id": ben}), "post",
                f"{HOST}/customers/move", 400, "invalid_input", "to_host_id")


def test_a_manager_never_sees_or_changes_another_sites_host(doc, api, demo, manager, far, store):
    dora = far["host"]["id"]
    for step in ("pin", "deactivate", "activate"):
        error_check(doc, api.post(f"/hosts/{dora}/{step}", manager), "post", f"{HOST}/{step}", 404, "not_found")
    error_check(doc, api.get(f"/hosts/{dora}", manager), "get", HOST, 404, "not_found")
    patched = api.client.patch(f"/api/v1/hosts/{dora}", json={"name": "Hacked"},
                               headers={"Authorization": f"Bearer {manager}"})
    error_check(doc, patched, "patch", HOST, 404, "not_found")
    moved = api.post(f"/hosts/{host_id(demo, 'Ben')}/customers/move", manager, {"to_host_id": dora})
    assert moved.status_code == 400
    assert api.post(f"/hosts/{dora}/customers/move", manager, {"to_host_id": 1}).status_code == 404
    assert store.person("host", dora)["name"] == "Dora" and store.person("host", dora)["active"] == 1
    assert [h["name"] for h in api.get("/hosts", far["manager"]["token"]).get_json()["hosts"]] == ["Dora"]


def test_a_new_pin_is_answered_once_and_signs_the_host_out_of_every_browser(doc, api, app, demo, manager, store):
    anna = demo["hosts"][0]
    board = app.test_client()
    form_post(board, "/board/login", {"host_id": str(anna["id"]), "pin": anna["pin"]})
    assert board.get("/board").status_code == 200
    ben = demo["hosts"][1]
    for owner, endpoint in ((anna, "https://push.example.org/anna"), (ben, "https://push.example.org/ben")):
        store.save_push_subscription({"site_id": 1, "host_id": owner["id"], "endpoint": endpoint, "p256dh": "k",
                                      "auth": "a", "created_at": "2026-12-02T10:00:00.000Z"})
    reset = api.post(f"/hosts/{anna['id']}/pin", manager)
    pin = check(doc, reset, "post", f"{HOST}/pin")["pin"]
    assert board.get("/board").status_code == 302  # the old session ended
    assert store.push_subscriptions_of_host(anna["id"]) == []  # her phone is pushed no more
    assert len(store.push_subscriptions_of_host(ben["id"])) == 1
    assert pin_matches(store.person("host", anna["id"])["pin_hash"], pin)
    assert not pin_matches(store.person("host", anna["id"])["pin_hash"], anna["pin"])
    assert pin not in audit_text(store) and pin not in json.dumps(api.get("/hosts", manager).get_json())
    assert store.audit_entries(1)[0]["action"] == "host.pin_reset"
    assert form_post(board, "/board/login", {"host_id": str(anna["id"]), "pin": pin}).status_code == 303


def test_deactivating_keeps_history_and_open_visits_fall_back_through_the_policy(doc, api, demo, manager, store,
                                                                                  socket_client):
    anna, ben = demo["hosts"][0], demo["hosts"][1]
    socket_client(token=anna["token"])
    socket_client(token=ben["token"])
    kiosk = demo["kiosk"]["token"]
    served = api.check_in(kiosk, name="Old Guest", phone="0171 1111111").get_json()["visit"]
    assert served["host"]["name"] == "Anna"
    api.act(ben["token"], served["id"], "greet")
    api.act(ben["token"], served["id"], "complete")
    waiting = api.check_in(kiosk, name="Waiting Guest").get_json()["visit"]
    if waiting["host"]["id"] != ben["id"]:  # the policy chose Anna: give it to Ben, as his own customer's would be
        store.move_visit_to_host(waiting["id"], waiting["host"]["id"], ben["id"], "dedicated")
    gone = api.post(f"/hosts/{ben['id']}/deactivate", manager)
    body = check(doc, gone, "post", f"{HOST}/deactivate")
    assert body["host"]["active"] is False and body["host"]["status"] is None
    assert body["moved_visits"] == [waiting["id"]]
    now = api.get(f"/visits/{waiting['id']}", manager).get_json()["visit"]
    assert now["host"]["name"] == "Anna" and now["status"] == "waiting"
    history = api.get(f"/visits/{served['id']}", manager).get_json()["visit"]
    assert history["status"] == "completed" and history["customer"]["host"]["name"] == "Ben"  # kept
    assert api.get("/visits", ben["token"]).status_code == 401  # their token no longer works
    again = api.post(f"/hosts/{ben['id']}/deactivate", manager)
    assert again.status_code == 200 and again.get_json()["moved_visits"] == []
    assert [h["active"] for h in api.get("/hosts", manager).get_json()["hosts"] if h["id"] == ben["id"]] == [False]
    # a returning customer of Ben's goes through the policy
    returning = api.check_in(kiosk, name="Old Guest", phone="0171 1111111").get_json()["visit"]
    assert api.get(f"/visits/{returning['id']}", manager).get_json()["visit"]["host"]["name"] == "Anna"
    # reset PIN of a deactivated host: 409; reactivation answers a new PIN, the old token stays revoked
    error_check(doc, api.post(f"/hosts/{ben['id']}/pin", manager), "post", f"{HOST}/pin", 409, "conflict")
    back = check(doc, api.post(f"/hosts/{ben['id']}/activate", manager), "post", f"{HOST}/activate")
    assert back["host"]["active"] is True and re.fullmatch(r"\d{6}", back["pin"])
    assert api.get("/visits", ben["token"]).status_code == 401
    assert pin_matches(store.person("host", ben["id"])["pin_hash"], back["pin"])
    assert back["pin"] not in audit_text(store)
    actions = [entry["action"] for entry in store.audit_entries(1)]
    assert actions[:2] == ["host.activated", "host.deactivated"]


def test_move_all_customers_to_a_colleague_in_one_step(doc, api, demo, manager, store, client):
    anna, ben, clara = demo["hosts"]
    kiosk = demo["kiosk"]["token"]
    customers = []
    for n in range(3):
        visit = api.check_in(kiosk, name=f"Guest {n}", phone=f"0171 22222{n}0").get_json()["visit"]
        api.act(ben["token"], visit["id"], "greet")
        customers.append(visit["customer"]["id"])
    moved = api.post(f"/hosts/{ben['id']}/customers/move", manager, {"to_host_id": clara["id"]})
    body = check(doc, moved, "post", f"{HOST}/customers/move")
    assert body == {"moved": 3, "to": {"id": clara["id"], "name": "Clara"}}
    for customer_id in customers:
        assert store.customer(customer_id)["host_id"] == clara["id"]
        changes = store.customer_host_changes(customer_id)
        assert (changes[-1]["from_host_id"], changes[-1]["to_host_id"], changes[-1]["changed_by_role"]) == (
            ben["id"], clara["id"], "manager")
    entry = store.audit_entries(1)[0]
    assert entry["action"] == "host.customers_moved" and entry["details"]["customers"] == 3
    # on the page: one form, one step
    sign_in_manager(client, manager)
    page = client.get(f"/admin/team/{clara['id']}").get_data(as_text=True)
    assert "Move all 3 customer(s) of Clara to" in page
    done = submitted(client, f"/admin/team/{clara['id']}/customers/move", {"to_host_id": str(anna["id"])},
                     page=f"/admin/team/{clara['id']}")
    assert "3 customer(s) now have Anna as their host." in done.get_data(as_text=True)
    assert {store.customer(c)["host_id"] for c in customers} == {anna["id"]}


def test_a_new_pin_ends_the_hosts_live_board_at_once(app, api, demo, manager, socket_client):
    anna = demo["hosts"][0]
    browser = app.test_client()
    form_post(browser, "/board/login", {"host_id": str(anna["id"]), "pin": anna["pin"]})
    board = socket_client(auth={"as": "host"}, flask_client=browser)
    assert board.is_connected()
    assert api.post(f"/hosts/{anna['id']}/pin", manager).status_code == 200
    assert not board.is_connected()  # dropped at once (after `session.ended`), not at its next reconnect
    assert not socket_client(auth={"as": "host"}, flask_client=browser).is_connected()  # the old sign-in is refused


def lock_out_everywhere(app, host_id):
    """Fifty wrong PINs for the host from fifty addresses (as guessed behind a trusted proxy)."""
    guard = app.extensions["gastgeber"].signin_guard
    for guess in range(50):
        guard.failed(("host", host_id), f"203.0.113.{guess}")


def test_a_manager_unlocks_a_host_locked_out_by_wrong_pins_from_everywhere(doc, app, api, client, demo, manager,
                                                                          store, far):
    anna = demo["hosts"][0]
    lock_out_everywhere(app, anna["id"])
    board = app.test_client()
    assert form_post(board, "/board/login", {"host_id": anna["id"], "pin": anna["pin"]}).status_code == 429
    sign_in_manager(client, manager)
    page = client.get(f"/admin/team/{anna['id']}").get_data(as_text=True)
    assert 'id="sign-in-locked"' in page and "Unlock sign-in" in page
    assert api.post(f"/hosts/{far['host']['id']}/unlock", manager).status_code == 404  # another site's host
    assert api.post(f"/hosts/{anna['id']}/unlock", demo["hosts"][1]["token"]).status_code == 403
    unlocked = check(doc, api.post(f"/hosts/{anna['id']}/unlock", manager), "post", f"{HOST}/unlock")
    assert unlocked["host"]["name"] == "Anna" and store.audit_entries(1)[0]["action"] == "host.sign_in_unlocked"
    assert form_post(board, "/board/login", {"host_id": anna["id"], "pin": anna["pin"]}).status_code == 303


def test_the_host_page_unlocks_the_sign_in_and_says_so(app, client, demo, manager):
    anna = demo["hosts"][0]
    lock_out_everywhere(app, anna["id"])
    sign_in_manager(client, manager)
    done = form_post(client, f"/admin/team/{anna['id']}/unlock", page=f"/admin/team/{anna['id']}")
    assert done.status_code == 303
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Sign-in unlocked" in page and 'id="sign-in-locked"' not in page


# ------------------------------------------------------------------ reaching the team

def reach_row(page, host):
    match = re.search(rf'<tr data-reach-host-id="{host}".*?</tr>', page, re.S)
    assert match, f"no reach row for host {host}"
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0))))


def test_a_manager_adds_a_channel_for_a_host_and_sees_it_masked_with_its_last_delivery(
        app, client, demo, manager, store, receiver):
    app.extensions["gastgeber"].settings["notify_allow_private_addresses"] = True
    sign_in_manager(client, manager)
    ben = host_id(demo, "Ben")
    url = f"json://127.0.0.1:{receiver.port}/ben?+X-Token=s3cretHeaderValue"
    added = form_post(client, "/admin/team/channels", {"host_id": str(ben), "url": url, "when": "always",
                                                       "label": "Ben's phone"}, page="/admin/team")
    assert added.status_code == 303 and added.headers["Location"].endswith("/admin/team#reach")
    page = client.get(added.headers["Location"]).get_data(as_text=True)
    assert "The channel is added" in page
    row = reach_row(page, ben)
    assert "json Ben's phone" in row and f"json://127.0.0.1:{receiver.port}/ben" in row and "****" in row
    assert "(always)" in row and "not tried yet" in row and "s3cretHeaderValue" not in page
    assert "Not reachable" in row and "no working channel" in row  # no board open, no channel proven
    channel_id = re.search(r'class="reach-channel" data-channel-id="(\d+)"', page).group(1)
    tested = client.post(f"{PREFIX}/channels/{channel_id}/test", headers={"Authorization": f"Bearer {manager}"})
    assert tested.get_json()["delivery"]["ok"] is True and receiver.requests
    row = reach_row(client.get("/admin/team").get_data(as_text=True), ben)
    assert "delivered 2026-11-23 10:00" in row  # the site's time (Europe/Berlin) of the test send
    assert "no working channel" not in row and "Not reachable" not in row  # no board, but a working channel


@pytest.mark.parametrize("form, field, why", [
    ({"url": "nosuchservice://example.org/x"}, "url", "No channel of this server understands"),
    ({"url": "json://127.0.0.1:9/x"}, "url", "notify_allow_private_addresses"),
    ({"url": "ntfys://ntfy.example.org/t", "label": "x" * 81}, "label", "at most 80"),
    ({"url": "ntfys://ntfy.example.org/t", "host_id": "999"}, "host_id", "active host"),
])
def test_a_refused_channel_says_why_next_to_the_field(client, demo, manager, form, field, why):
    sign_in_manager(client, manager)
    body = {"host_id": str(host_id(demo, "Anna")), "when": "unconfirmed", **form}
    answer = form_post(client, "/admin/team/channels", body, page="/admin/team")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    error = re.search(rf'id="channel-{field}-error">([^<]*)<', page)
    assert error and why in error.group(1), page
    if field == "url":
        assert f'value="{form["url"]}"' in page  # what was typed stays
