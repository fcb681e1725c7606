"""What schemathesis found (tests/web/test_schemathesis.py), each as a regular test: a request that
docs/openapi.json and the server judged differently. Each test sends the request and asks the
document too: the server accepts it exactly when the document does.
"""

from __future__ import annotations

import pytest

from kiosk.domain import inputs, operators
from tests.support.openapi import resolve, schema_errors

NOTE_MAX = inputs.NOTE_MAX
NEL = "\u0085"


def document_accepts(doc, path: str, method: str, body) -> bool:
    schema = doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    return not schema_errors(doc, resolve(doc, schema), body, strict=False)


def parameter_accepts(doc, path: str, name: str, value: str) -> bool:
    parameter = next(p for p in doc["paths"][path]["get"]["parameters"] if p.get("name") == name)
    return not schema_errors(doc, parameter["schema"], value)


def refused(response, field: str) -> bool:
    return response.status_code == 400 and response.get_json()["error"].get("field") == field


@pytest.fixture
def kiosk(demo):
    return demo["kiosk"]["token"]


@pytest.fixture
def anna(demo):
    return demo["hosts"][0]["token"]


@pytest.fixture
def manager(demo):
    return demo["manager"]["token"]


def test_a_check_in_needs_a_name_unless_the_guest_asks_for_help(doc, api, kiosk):
    nameless = {"client_id": "k-help-1"}
    assert not document_accepts(doc, "/checkins", "post", nameless)
    assert refused(api.post("/checkins", kiosk, nameless), "name")
    assert not document_accepts(doc, "/checkins", "post", {"client_id": "k-blank", "name": "   "})
    assert refused(api.post("/checkins", kiosk, {"client_id": "k-blank", "name": "   "}), "name")

    helped = {"client_id": "k-help-2", "help": True}
    assert document_accepts(doc, "/checkins", "post", helped)
    assert api.post("/checkins", kiosk, helped).status_code == 201


def test_optional_check_in_fields_may_be_null_and_a_whole_party_size_may_be_written_2_0(doc, api, kiosk):
    body = {"client_id": "k-null-1", "name": "Zoë", "privacy_notice_version": None, "phone": None,
            "language": None, "party_size": 2.0}
    assert document_accepts(doc, "/checkins", "post", body)
    answer = api.post("/checkins", kiosk, body)
    assert answer.status_code == 201, answer.get_json()
    bad_language = {"client_id": "k-lang", "name": "Zoë", "language": " de "}
    assert not document_accepts(doc, "/checkins", "post", bad_language)
    assert refused(api.post("/checkins", kiosk, bad_language), "language")


@pytest.mark.parametrize("tail", [NEL, " ", "\n"], ids=["NEL", "space", "line break"])
def test_a_note_is_measured_as_sent_so_one_character_past_the_limit_is_refused_whatever_it_is(doc, api, kiosk,
                                                                                             anna, tail):
    visit = api.check_in(kiosk, name="Zoë").get_json()["visit"]
    api.act(anna, visit["id"], "greet")
    longest = {"note": "x" * NOTE_MAX}
    assert document_accepts(doc, "/visits/{visit_id}/complete", "post", longest)
    over = {"note": "x" * NOTE_MAX + tail}
    assert not document_accepts(doc, "/visits/{visit_id}/complete", "post", over)
    assert refused(api.act(anna, visit["id"], "complete", over), "note")
    assert api.act(anna, visit["id"], "complete", longest).get_json()["visit"]["status"] == "completed"


def test_a_nel_inside_a_note_is_a_control_character_for_both(doc, api, kiosk, anna):
    visit = api.check_in(kiosk, name="Zoë").get_json()["visit"]
    body = {"note": f"Kredit{NEL}besprochen"}
    assert not document_accepts(doc, "/visits/{visit_id}/complete", "post", body)
    api.act(anna, visit["id"], "greet")
    assert refused(api.act(anna, visit["id"], "complete", body), "note")


def test_an_empty_pairing_code_is_refused_by_the_document_too(doc, api):
    assert not document_accepts(doc, "/kiosks/pair", "post", {"code": ""})
    assert refused(api.post("/kiosks/pair", None, {"code": ""}), "code")


@pytest.mark.parametrize(("starts_at", "accepted"), [
    ("", False), ("20261124T1030", False), ("2026-02-29T10:00", False), ("1969-12-31T23:00", False),
    ("2028-02-29T10:00", True), ("2999-12-31T18:00", True), ("2026-11-24 10:30", True),
    ("2026-11-24T10:30:00.5+01:00", True),
])
def test_an_appointments_start_is_one_pattern_for_document_and_server(doc, api, anna, starts_at, accepted):
    body = {"customer_name": "Jonas Weber", "starts_at": starts_at}
    assert document_accepts(doc, "/appointments", "post", body) is accepted
    answer = api.post("/appointments", anna, body)
    assert (answer.status_code == 201) is accepted, answer.get_json()
    assert accepted or refused(answer, "starts_at")


def test_an_empty_email_of_an_appointment_means_none_for_both(doc, api, anna):
    body = {"customer_name": "Jonas Weber", "starts_at": "2026-11-24T10:30", "email": ""}
    assert document_accepts(doc, "/appointments", "post", body)
    assert api.post("/appointments", anna, body).status_code == 201


def test_a_day_before_1970_is_refused_by_the_document_too(doc, api, anna):
    assert not parameter_accepts(doc, "/appointments", "date", "0101-12-15")
    assert refused(api.get("/appointments?date=0101-12-15", anna), "date")


def test_an_empty_stats_bound_means_the_default_for_both(doc, api, manager):
    assert parameter_accepts(doc, "/stats", "to", "")
    assert api.get("/stats?to=", manager).status_code == 200
    assert not parameter_accepts(doc, "/stats", "to", "2026-W48")
    assert refused(api.get("/stats?to=2026-W48", manager), "to")


def test_a_host_id_that_is_no_number_is_400_not_500(doc, api, demo, kiosk, anna):
    customer = api.check_in(kiosk, name="Zoë").get_json()["visit"]["customer"]
    for host_id in ({}, [1], 2**64):
        assert not document_accepts(doc, "/customers/{customer_id}/host", "post", {"host_id": host_id})
        assert refused(api.post(f"/customers/{customer['id']}/host", anna, {"host_id": host_id}), "host_id")


def test_a_host_added_with_colour_null_gets_the_default_colour(doc, api, manager):
    body = {"name": "Dora", "languages": " DE, en ", "topics": "", "colour": None}
    assert document_accepts(doc, "/hosts", "post", body)
    answer = api.post("/hosts", manager, body)
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["host"]["colour"] == "teal"
    assert answer.get_json()["host"]["languages"] == ["de", "en"]
    assert not document_accepts(doc, "/hosts", "post", {"languages": "de"})  # POST needs a name
    assert refused(api.post("/hosts", manager, {"languages": "de"}), "name")


def test_a_manager_name_with_a_c1_control_character_is_refused_by_both(doc, api, manager):
    body = {"name": "Ma\u008eria"}
    assert not document_accepts(doc, "/managers", "post", body)
    assert refused(api.post("/managers", manager, body), "name")


def test_a_setting_of_the_wrong_type_is_refused_by_the_document_too(doc, api, manager):
    body = {"privacy_notice_tr": {}}
    assert not document_accepts(doc, "/settings", "patch", body)
    assert refused(api.client.patch("/api/v1/settings", json=body, headers={"Authorization": f"Bearer {manager}"}),
                   "privacy_notice_tr")
    over = {"welcome_text_en": "x" * 500 + " "}  # 500 once trimmed, 501 as sent: the document's maxLength
    assert not document_accepts(doc, "/settings", "patch", over)
    assert refused(api.client.patch("/api/v1/settings", json=over, headers={"Authorization": f"Bearer {manager}"}),
                   "welcome_text_en")


def test_a_site_with_a_time_zone_that_is_no_text_is_refused(doc, api, store, clock):
    operator = operators.add_operator(store, clock, "Olga")
    body = {"name": "north", "manager_name": "Nora", "timezone": {}}
    assert not document_accepts(doc, "/sites", "post", body)
    assert refused(api.post("/sites", operator["token"], body), "timezone")
