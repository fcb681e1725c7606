"""The HTTP API through Flask's test client: the visit loop, and every error code of CONTRACT.md."""

import pytest

from kiosk.domain.people import add_person


def error_of(response):
    assert response.is_json, response.data[:200]
    error = response.get_json()["error"]
    assert set(error) <= {"code", "message", "field"} and error["message"]
    return error


@pytest.fixture
def kiosk(demo):
    return demo["kiosk"]["token"]


@pytest.fixture
def anna(demo):
    return demo["hosts"][0]["token"]


@pytest.fixture
def ben(demo):
    return demo["hosts"][1]["token"]


def test_check_in_stores_a_waiting_visit_with_millisecond_utc_time(api, kiosk, clock):
    response = api.check_in(kiosk, name="Zoë Example", client_id="k1-0001", language="en", party_size=2)
    assert response.status_code == 201
    visit = response.get_json()["visit"]
    assert visit["status"] == "waiting"
    assert visit["customer"]["name"] == "Zoë Example"
    assert visit["host"]["name"] in {"Anna", "Ben", "Clara"}
    assert visit["arrived_at"] == "2026-11-23T09:00:00.000Z"
    assert visit["acknowledged_by"] is None and visit["acknowledged_at"] is None


def test_the_same_client_id_again_returns_the_same_visit_and_stores_nothing_new(api, kiosk, anna):
    first = api.check_in(kiosk, name="Zoë", client_id="retry-1")
    again = api.check_in(kiosk, name="Zoë", client_id="retry-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["visit"] == first.get_json()["visit"]
    assert len(api.get("/visits?status=open", anna).get_json()["visits"]) == 1


def test_full_visit_loop_records_each_time(api, kiosk, anna, clock):
    visit_id = api.check_in(kiosk).get_json()["visit"]["id"]
    clock.advance(4.321)
    acknowledged = api.act(anna, visit_id, "acknowledge").get_json()["visit"]
    assert acknowledged["status"] == "acknowledged"
    assert acknowledged["acknowledged_at"] == "2026-11-23T09:00:04.321Z"
    assert acknowledged["acknowledged_by"]["name"] == "Anna"
    clock.advance(60)
    assert api.act(anna, visit_id, "greet").get_json()["visit"]["greeted_at"] == "2026-11-23T09:01:04.321Z"
    clock.advance(600)
    completed = api.act(anna, visit_id, "complete", {"note": "Opened an account"}).get_json()["visit"]
    assert completed["status"] == "completed"
    assert completed["completed_at"] == "2026-11-23T09:11:04.321Z"
    assert api.get("/visits?status=open", anna).get_json()["visits"] == []


def test_a_stand_in_acknowledges_and_the_visit_keeps_its_host(api, kiosk, ben):
    visit = api.check_in(kiosk).get_json()["visit"]
    acknowledged = api.act(ben, visit["id"], "acknowledge").get_json()["visit"]
    assert acknowledged["acknowledged_by"]["name"] == "Ben"
    assert acknowledged["host"] == visit["host"]


def test_repeating_a_step_already_reached_answers_200_unchanged(api, kiosk, anna, clock):
    visit_id = api.check_in(kiosk).get_json()["visit"]["id"]
    greeted = api.act(anna, visit_id, "greet").get_json()["visit"]
    clock.advance(5)
    again = api.act(anna, visit_id, "acknowledge")
    assert again.status_code == 200 and again.get_json()["visit"] == greeted


def test_open_visits_are_listed_oldest_first(api, kiosk, anna, clock):
    ids = []
    for name in ("First", "Second", "Third"):
        ids.append(api.check_in(kiosk, name=name).get_json()["visit"]["id"])
        clock.advance(1)
    api.act(anna, ids[1], "abandon")
    listed = api.get("/visits?status=open", anna).get_json()["visits"]
    assert [v["customer"]["name"] for v in listed] == ["First", "Third"]


# 400

@pytest.mark.parametrize("body, field", [
    ({"client_id": "x"}, "name"),
    ({"name": "   ", "client_id": "x"}, "name"),
    ({"name": "x" * 81, "client_id": "x"}, "name"),
    ({"name": 42, "client_id": "x"}, "name"),
    ({"name": "Zoë"}, "client_id"),
    ({"name": "Zoë", "client_id": "has spaces"}, "client_id"),
    ({"name": "Zoë", "client_id": "x" * 101}, "client_id"),
    ({"name": "Zoë", "client_id": "x", "party_size": 0}, "party_size"),
    ({"name": "Zoë", "client_id": "x", "party_size": 21}, "party_size"),
    ({"name": "Zoë", "client_id": "x", "party_size": "2"}, "party_size"),
    ({"name": "Zoë", "client_id": "x", "party_size": True}, "party_size"),
    ({"name": "Zoë", "client_id": "x", "language": "xx"}, "language"),
    ({"name": "Zoë", "client_id": "x", "email": "not-an-address"}, "email"),
    ({"name": "Zoë", "client_id": "x", "phone": "call me"}, "phone"),
    ({"name": "Zo\u0000ë", "client_id": "x"}, "name"),
])
def test_invalid_check_ins_name_the_field(api, kiosk, body, field):
    response = api.post("/checkins", kiosk, body)
    assert response.status_code == 400
    assert error_of(response)["field"] == field


def test_a_body_that_is_not_json_is_400(client, kiosk):
    response = client.post("/api/v1/checkins", data="{not json", content_type="application/json",
                           headers={"Authorization": f"Bearer {kiosk}"})
    assert response.status_code == 400 and error_of(response)["code"] == "invalid_json"


def test_a_json_array_is_400(api, kiosk):
    assert api.post("/checkins", kiosk, ["name"]).status_code == 400


def test_a_too_long_note_is_400(api, kiosk, anna):
    visit_id = api.check_in(kiosk).get_json()["visit"]["id"]
    api.act(anna, visit_id, "greet")
    response = api.act(anna, visit_id, "complete", {"note": "x" * 2001})
    assert response.status_code == 400 and error_of(response)["field"] == "note"


# 401 and 403

def test_no_token_is_401(api):
    response = api.check_in(None)
    assert response.status_code == 401 and error_of(response)["code"] == "unauthorized"


def test_an_unknown_token_is_401(api):
    assert api.check_in("not-a-real-token").status_code == 401
    assert api.get("/visits?status=open", "x" * 500).status_code == 401


def test_a_host_may_not_check_in_and_a_kiosk_may_not_act(api, kiosk, anna):
    assert api.check_in(anna).status_code == 403
    visit_id = api.check_in(kiosk).get_json()["visit"]["id"]
    response = api.act(kiosk, visit_id, "acknowledge")
    assert response.status_code == 403 and error_of(response)["code"] == "forbidden"
    assert api.get("/visits?status=open", kiosk).status_code == 403


def test_a_manager_reads_but_does_not_act(api, demo, kiosk):
    manager = demo["manager"]["token"]
    visit_id = api.check_in(kiosk).get_json()["visit"]["id"]
    assert api.get(f"/visits/{visit_id}", manager).status_code == 200
    assert api.act(manager, visit_id, "greet").status_code == 403


def test_a_kiosk_reads_only_its_own_visits(app, api, kiosk, clock):
    other_kiosk = add_person(app.extensions["gastgeber"].store, clock, "kiosk", "Side door")["token"]
    own = api.check_in(kiosk).get_json()["visit"]["id"]
    others = api.check_in(other_kiosk).get_json()["visit"]["id"]
    assert api.get(f"/visits/{own}", kiosk).status_code == 200
    assert api.get(f"/visits/{others}", kiosk).status_code == 403


def test_another_sites_visit_does_not_exist_for_you(app, api, kiosk, clock):
    store = app.extensions["gastgeber"].store
    far_kiosk = add_person(store, clock, "kiosk", "Branch door", site="branch")["token"]
    far_host = add_person(store, clock, "host", "Dora", site="branch")["token"]
    visit_id = api.check_in(kiosk).get_json()["visit"]["id"]
    assert api.get(f"/visits/{visit_id}", far_host).status_code == 404
    assert api.act(far_host, visit_id, "acknowledge").status_code == 404
    far_visit = api.check_in(far_kiosk).get_json()["visit"]
    assert far_visit["host"]["name"] == "Dora"


# 404, 405

def test_unknown_visits_and_paths_are_404_in_json(api, anna):
    assert error_of(api.get("/visits/999", anna))["code"] == "not_found"
    assert api.get("/visits/99999999999999999999999", anna).status_code == 404
    assert api.act(anna, 1, "teleport").status_code == 404
    assert error_of(api.get("/nothing-here", anna))["code"] == "not_found"


def test_a_wrong_method_is_405_in_json(client):
    response = client.get("/api/v1/checkins")
    assert response.status_code == 405 and error_of(response)["code"] == "method_not_allowed"


# 409

@pytest.mark.parametrize("steps, refused", [
    ([], "complete"),
    (["acknowledge"], "complete"),
    (["greet"], "abandon"),
    (["greet", "complete"], "abandon"),
    (["abandon"], "greet"),
    (["abandon"], "complete"),
    (["abandon"], "acknowledge"),
])
def test_transitions_not_allowed_are_409(api, kiosk, anna, steps, refused):
    visit_id = api.check_in(kiosk).get_json()["visit"]["id"]
    for step in steps:
        assert api.act(anna, visit_id, step).status_code == 200
    before = api.get(f"/visits/{visit_id}", anna).get_json()["visit"]
    response = api.act(anna, visit_id, refused)
    assert response.status_code == 409 and error_of(response)["code"] == "conflict"
    assert api.get(f"/visits/{visit_id}", anna).get_json()["visit"] == before


# 413

def test_a_body_over_64_kib_is_413(client, kiosk):
    body = '{"name": "' + "x" * 70_000 + '", "client_id": "big"}'
    response = client.post("/api/v1/checkins", data=body, content_type="application/json",
                           headers={"Authorization": f"Bearer {kiosk}"})
    assert response.status_code == 413 and error_of(response)["code"] == "too_large"


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"ok": True}


def test_feedback_through_the_kiosk_once_after_completion(api, kiosk, anna, demo):
    visit_id = api.check_in(kiosk).get_json()["visit"]["id"]
    assert api.post(f"/visits/{visit_id}/feedback", kiosk, {"rating": 3}).status_code == 409
    api.act(anna, visit_id, "greet")
    api.act(anna, visit_id, "complete")
    for bad in ({"rating": 4}, {"rating": True}, {"rating": "3"}, {}):
        response = api.post(f"/visits/{visit_id}/feedback", kiosk, bad)
        assert response.status_code == 400 and error_of(response)["field"] == "rating"
    assert api.post(f"/visits/{visit_id}/feedback", anna, {"rating": 3}).status_code == 403
    assert api.post(f"/visits/{visit_id}/feedback", kiosk, {"rating": 3}).status_code == 201
    assert api.post(f"/visits/{visit_id}/feedback", kiosk, {"rating": 1}).status_code == 409


def test_a_host_or_manager_moves_a_customer_to_another_host(api, kiosk, anna, demo):
    visit = api.check_in(kiosk).get_json()["visit"]
    clara = demo["hosts"][2]
    answer = api.post(f"/customers/{visit['customer']['id']}/host", anna, {"host_id": clara["id"]})
    assert answer.status_code == 200 and answer.get_json()["customer"]["host"]["name"] == "Clara"
    staff_view = api.get(f"/visits/{visit['id']}", demo["manager"]["token"]).get_json()["visit"]
    assert staff_view["customer"]["host"]["name"] == "Clara"
    assert api.post(f"/customers/{visit['customer']['id']}/host", kiosk, {"host_id": clara["id"]}).status_code == 403
    assert api.post("/customers/9999/host", anna, {"host_id": clara["id"]}).status_code == 404
    bad = api.post(f"/customers/{visit['customer']['id']}/host", anna, {"host_id": "Clara"})
    assert bad.status_code == 400 and error_of(bad)["field"] == "host_id"


def test_a_kiosk_sees_no_staff_details_of_its_visit(api, kiosk):
    visit = api.check_in(kiosk, topic="loans").get_json()["visit"]
    assert "assignment_reason" not in visit and "topic" not in visit and "host" not in visit["customer"]


def test_the_accepted_privacy_notice_version_is_kept_with_the_visit(app, api, kiosk):
    visit = api.check_in(kiosk, privacy_notice_version="2026-11").get_json()["visit"]
    assert app.extensions["gastgeber"].store.visit(visit["id"])["privacy_notice_version"] == "2026-11"
    too_long = api.check_in(kiosk, privacy_notice_version="x" * 17)
    assert too_long.status_code == 400 and error_of(too_long)["field"] == "privacy_notice_version"


def test_a_help_request_needs_no_name_but_a_normal_check_in_does(api, kiosk):
    helped = api.post("/checkins", kiosk, {"client_id": "help-me", "help": True})
    assert helped.status_code == 201 and helped.get_json()["visit"]["help_requested"] is True
    assert api.post("/checkins", kiosk, {"client_id": "nameless"}).status_code == 400
    bad = api.post("/checkins", kiosk, {"client_id": "h2", "help": "yes"})
    assert bad.status_code == 400 and error_of(bad)["field"] == "help"


# Undo a completion (the board's "Undo", for a minute)

def completed_visit(api, kiosk, host):
    visit_id = api.check_in(kiosk).get_json()["visit"]["id"]
    api.act(host, visit_id, "greet")
    assert api.act(host, visit_id, "complete", {"note": "Account opened"}).get_json()["visit"]["status"] == "completed"
    return visit_id


def test_a_completion_undone_within_a_minute_is_greeted_again(api, kiosk, anna, ben, clock):
    visit_id = completed_visit(api, kiosk, anna)
    clock.advance(59)
    response = api.post(f"/visits/{visit_id}/undo-complete", ben)  # any host of the site, like every step
    assert response.status_code == 200
    visit = response.get_json()["visit"]
    assert (visit["status"], visit["completed_at"]) == ("greeted", None)
    assert visit["completion_undone_at"] == "2026-11-23T09:00:59.000Z" and visit["greeted_at"]
    again = api.post(f"/visits/{visit_id}/undo-complete", anna)  # a retry: already greeted, unchanged
    assert again.status_code == 200 and again.get_json()["visit"] == visit
    assert api.act(anna, visit_id, "complete").get_json()["visit"]["status"] == "completed"  # and done again


def test_a_completion_older_than_a_minute_is_refused_in_the_error_shape(api, kiosk, anna, clock):
    visit_id = completed_visit(api, kiosk, anna)
    clock.advance(61)
    response = api.post(f"/visits/{visit_id}/undo-complete", anna)
    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "conflict" and "within 60 s" in error["message"]
    assert api.get(f"/visits/{visit_id}", anna).get_json()["visit"]["status"] == "completed"


def test_undo_is_for_hosts_and_completed_visits_only(api, kiosk, anna, demo):
    visit_id = completed_visit(api, kiosk, anna)
    for token in (kiosk, demo["manager"]["token"]):
        assert error_of(api.post(f"/visits/{visit_id}/undo-complete", token))["code"] == "forbidden"
    assert error_of(api.post(f"/visits/{visit_id}/undo-complete"))["code"] == "unauthorized"
    assert error_of(api.post("/visits/999999/undo-complete", anna))["code"] == "not_found"
    waiting = api.check_in(kiosk).get_json()["visit"]["id"]
    response = api.post(f"/visits/{waiting}/undo-complete", anna)
    assert response.status_code == 409 and error_of(response)["code"] == "conflict"
