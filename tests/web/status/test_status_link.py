"""The customer's own view (CONTRACT "The customer's own view: the status link"): /status/<token>, /v/<token>."""

from __future__ import annotations

import pytest

from kiosk.domain.people import add_person
from tests.support.openapi import check

HOSTILE_TOKENS = [
    "x" * 5000, "1-" + "A" * 31, "1-" + "A" * 33, "0-" + "A" * 32, "99999999999999999999-" + "A" * 32,
    "9223372036854775807-" + "A" * 32, "ü-ß😀", "%00", "..%2F..%2Fetc%2Fpasswd", "1-" + "%2F" * 20, "-1-abc",
    "1-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%0A", "%F0%9F%98%80" * 50, "1-" + "Ä" * 32,
]


@pytest.fixture
def site(app, clock, demo):
    """A second site whose only host is Dora Lang (so every visit is hers), with its kiosk."""
    store = app.extensions["gastgeber"].store
    dora = add_person(store, clock, "host", "Dora Lang", "north")
    kiosk = add_person(store, clock, "kiosk", "North door", "north")
    return {"dora": dora["token"], "kiosk": kiosk["token"], "main_kiosk": demo["kiosk"]["token"],
            "anna": demo["hosts"][0]["token"]}


def check_in(api, kiosk, name="Zoë Example", **fields):
    response = api.check_in(kiosk, name=name, **fields)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["visit"]


def status(client, visit, path=""):
    return client.get(f"/status/{token_of(visit)}{path}")


def token_of(visit):
    assert visit["status_url"].startswith("/v/")
    return visit["status_url"][len("/v/"):]


def test_the_kiosk_gets_a_status_link_of_at_least_128_bits_and_the_same_one_again(api, site):
    visit = check_in(api, site["kiosk"])
    token = token_of(visit)
    mac = token.split("-", 1)[1]
    assert len(mac) * 6 >= 128
    again = api.get(f"/visits/{visit['id']}", site["kiosk"]).get_json()["visit"]
    assert again["status_url"] == visit["status_url"]
    staff = api.get(f"/visits/{visit['id']}", site["dora"]).get_json()["visit"]
    assert "status_url" not in staff


def test_the_secret_is_never_stored_or_shown_as_the_link(app, api, site):
    visit = check_in(api, site["kiosk"])
    store = app.extensions["gastgeber"].store
    dump = "\n".join(store.db.conn.iterdump())
    assert token_of(visit).split("-", 1)[1] not in dump


def confirm_alert(app, visit):
    """The host's board answers the alert's ack (the test client cannot): a delivery receipt."""
    store = app.extensions["gastgeber"].store
    store.record_delivery(visit["id"], store.visit(visit["id"])["host_id"], "board-test", "2026-11-23T09:00:00.100Z")


def test_status_shows_first_names_who_is_alerted_and_nothing_of_the_customer(app, client, api, site, socket_client):
    board = socket_client(site["dora"])  # Dora is signed in: nothing escalates at once
    visit = check_in(api, site["kiosk"], name="Zoë Example", phone="0171 2345678", email="zoe@example.org")
    answer = status(client, visit)
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["status"] == "waiting" and body["host"] == {"name": "Dora"}
    assert body["acknowledged_by"] is None and body["ahead"] == 0
    assert body["alerted"] == "nobody"  # no board confirmed the alert yet
    assert body["arrived_at"] == visit["arrived_at"] and body["updated_at"] >= visit["arrived_at"]
    text = answer.get_data(as_text=True)
    for private in ("Zoë", "Example", "0171", "2345678", "zoe@example.org", "Lang"):
        assert private not in text
    confirm_alert(app, visit)
    assert status(client, visit).get_json()["alerted"] == "host"
    board.disconnect()


def test_alerted_is_team_once_escalated(app, client, api, site, clock, socket_client):
    board = socket_client(site["dora"])
    visit = check_in(api, site["kiosk"])
    confirm_alert(app, visit)
    services = app.extensions["gastgeber"]
    services.escalator.escalate(services.store.visit(visit["id"]), "team", "timeout")
    assert status(client, visit).get_json()["alerted"] == "team"
    board.disconnect()


def test_with_nobody_signed_in_the_team_is_alerted_at_once(client, api, site):
    visit = check_in(api, site["kiosk"])
    assert status(client, visit).get_json()["alerted"] == "team"


def test_ahead_counts_the_same_hosts_earlier_waiting_visits_and_is_null_once_greeted(client, api, site, clock):
    first = check_in(api, site["kiosk"], name="First Guest")
    clock.advance(1)
    second = check_in(api, site["kiosk"], name="Second Guest")
    clock.advance(1)
    third = check_in(api, site["kiosk"], name="Third Guest")
    check_in(api, site["main_kiosk"], name="Other Site")  # another site's host: not ahead
    assert [status(client, v).get_json()["ahead"] for v in (first, second, third)] == [0, 1, 2]
    api.act(site["dora"], second["id"], "acknowledge")
    assert status(client, third).get_json()["ahead"] == 2  # acknowledged still waits
    api.act(site["dora"], first["id"], "greet")
    assert status(client, first).get_json()["ahead"] is None
    assert status(client, third).get_json()["ahead"] == 1
    acknowledged = status(client, second).get_json()
    assert acknowledged["status"] == "acknowledged" and acknowledged["acknowledged_by"] == {"name": "Dora"}


def test_unknown_and_forged_tokens_are_404_in_the_error_shape(client, api, site):
    visit = check_in(api, site["kiosk"])
    token = token_of(visit)
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    other_visit = f"{visit['id'] + 1}-{token.split('-', 1)[1]}"
    for bad in (forged, other_visit, "1-" + "A" * 32, "nonsense"):
        for path in (f"/status/{bad}", f"/v/{bad}"):
            answer = client.get(path)
            assert answer.status_code == 404, path
        error = client.get(f"/status/{bad}").get_json()["error"]
        assert error["code"] == "not_found"
        assert client.post(f"/status/{bad}/leave", json={}).status_code == 404


def test_hostile_tokens_never_answer_5xx(client):
    for token in HOSTILE_TOKENS:
        for method, path in (("get", f"/status/{token}"), ("get", f"/v/{token}"), ("post", f"/status/{token}/leave"),
                             ("post", f"/status/{token}/away"), ("post", f"/status/{token}/feedback")):
            answer = getattr(client, method)(path, json={"minutes": 5})
            assert answer.status_code < 500, (method, path, answer.status_code)
            assert answer.status_code in (308, 400, 404, 405, 429), (path, answer.status_code)


def test_the_link_expires_status_link_hours_after_the_visit_closed(client, api, site, clock):
    visit = check_in(api, site["kiosk"])
    api.act(site["dora"], visit["id"], "greet")
    clock.advance(3600 * 30)  # an open visit's link does not expire
    assert status(client, visit).status_code == 200
    api.act(site["dora"], visit["id"], "complete")
    clock.advance(12 * 3600)
    assert status(client, visit).status_code == 200
    clock.advance(1)
    assert status(client, visit).status_code == 404
    assert client.get(visit["status_url"]).status_code == 404


def test_leave_abandons_a_waiting_visit_and_counts_as_left_by_customer(client, api, site, clock, socket_client):
    board = socket_client(site["dora"])
    board.get_received()
    visit = check_in(api, site["kiosk"])
    board.get_received()
    answer = client.post(f"/status/{token_of(visit)}/leave")
    assert answer.status_code == 200 and answer.get_json()["status"] == "abandoned"
    updates = [m["args"][0]["visit"] for m in board.get_received() if m["name"] == "visit.updated"]
    assert updates and updates[-1]["status"] == "abandoned" and updates[-1]["abandon_reason"] == "left_by_customer"
    manager_view = api.get(f"/visits/{visit['id']}", site["dora"]).get_json()["visit"]
    assert manager_view["status"] == "abandoned"
    board.disconnect()


def test_leave_on_a_greeted_or_closed_visit_changes_nothing(client, api, site):
    visit = check_in(api, site["kiosk"])
    api.act(site["dora"], visit["id"], "greet")
    answer = client.post(f"/status/{token_of(visit)}/leave")
    assert answer.status_code == 200 and answer.get_json()["status"] == "greeted"
    assert api.get(f"/visits/{visit['id']}", site["dora"]).get_json()["visit"]["status"] == "greeted"
    api.act(site["dora"], visit["id"], "complete")
    assert client.post(f"/status/{token_of(visit)}/leave").get_json()["status"] == "completed"


def test_stepping_out_shows_on_the_hosts_view_and_holds_the_ladder(app, client, api, site, clock, socket_client):
    board = socket_client(site["dora"])
    visit = check_in(api, site["kiosk"])
    answer = client.post(f"/status/{token_of(visit)}/away", json={"minutes": 10})
    assert answer.status_code == 200
    assert answer.get_json()["away_until"] == "2026-11-23T09:10:00.000Z"
    staff = api.get(f"/visits/{visit['id']}", site["dora"]).get_json()["visit"]
    assert staff["customer_away_until"] == "2026-11-23T09:10:00.000Z"
    services = app.extensions["gastgeber"]
    clock.advance(9 * 60)
    services.presence.heartbeat()
    services.escalator.tick()
    assert services.store.visit(visit["id"])["escalated_to_managers_at"] is None
    clock.advance(61)
    services.presence.heartbeat()
    services.escalator.tick()
    assert services.store.visit(visit["id"])["escalated_at"] is not None
    board.disconnect()


def test_step_out_takes_only_5_10_or_15_minutes(client, api, site):
    visit = check_in(api, site["kiosk"])
    for minutes in (0, 7, "5", True, None, 60):
        answer = client.post(f"/status/{token_of(visit)}/away", json={"minutes": minutes})
        assert answer.status_code == 400 and answer.get_json()["error"]["field"] == "minutes"


def test_feedback_through_the_status_link_once_after_completion(client, api, site):
    visit = check_in(api, site["kiosk"])
    link = f"/status/{token_of(visit)}/feedback"
    assert client.post(link, json={"rating": 3}).status_code == 409
    api.act(site["dora"], visit["id"], "greet")
    api.act(site["dora"], visit["id"], "complete")
    answer = client.post(link, json={"rating": 3})
    assert answer.status_code == 201 and answer.get_json()["feedback_given"] is True
    assert client.post(link, json={"rating": 1}).status_code == 409
    assert client.post(link, json={"rating": 4}).status_code == 400


def test_the_page_is_in_the_visits_language_and_names_only_first_names(client, api, site, socket_client):
    board = socket_client(site["dora"])
    visit = check_in(api, site["kiosk"], name="Zoë Example", language="tr", phone="0171 2345678")
    page = client.get(visit["status_url"])
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert 'lang="tr"' in html and "Ziyaretiniz" in html
    assert "Dora" in html and "Lang" not in html and "Zoë" not in html and "2345678" not in html
    board.disconnect()


def test_other_visits_never_appear(client, api, site, socket_client):
    visit = check_in(api, site["kiosk"], name="Zoë Example")
    check_in(api, site["kiosk"], name="Quentin Private", phone="0151 999888", email="q@example.org")
    for answer in (status(client, visit), client.get(visit["status_url"])):
        text = answer.get_data(as_text=True)
        for private in ("Quentin", "Private", "999888", "q@example.org"):
            assert private not in text


def test_status_answers_match_the_document(doc, app, client, api, site, socket_client):
    board = socket_client(site["dora"])
    visit = check_in(api, site["kiosk"])
    token = token_of(visit)
    check(doc, client.get(f"/status/{token}"), "get", "/status/{token}")
    check(doc, client.post(f"/status/{token}/away", json={"minutes": 5}), "post", "/status/{token}/away")
    check(doc, client.post(f"/status/{token}/away", json={"minutes": 6}), "post", "/status/{token}/away")
    check(doc, client.post(f"/status/{token}/feedback", json={"rating": 3}), "post", "/status/{token}/feedback")
    check(doc, client.post(f"/status/{token}/leave"), "post", "/status/{token}/leave")
    check(doc, client.get("/status/1-" + "A" * 32), "get", "/status/{token}")
    kiosk_visit = api.get(f"/visits/{visit['id']}", site["kiosk"])
    check(doc, kiosk_visit, "get", "/api/v1/visits/{visit_id}", caller="kiosk")
    board.disconnect()
