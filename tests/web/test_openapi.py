"""docs/openapi.json against the running app: routes, real answers, limits and live events.

The document is JSON (PyYAML is not a dependency; JSON is also valid YAML) and is
checked by a small JSON Schema subset (tests/support/openapi.py; jsonschema is not a
dependency either). Each test fails when the API and the document drift apart:

* every route under /api/v1 is documented, and every documented operation is
  served (an operation marked `x-planned` must *not* be served yet, and only those
  in PLANNABLE may be so marked: none are now);
* real answers of the test client (visits, feedback, customers, appointments,
  stats and their CSV export, errors, health) match the documented status codes,
  media types, headers and schemas, where an object schema that does not say
  `additionalProperties` still must list every key the server sends;
* where the answer depends on who asks (a `oneOf` of the kiosk's and the staff's
  view of a visit), it must fit the view documented for that caller;
* the input limits and error codes in the document are the code's own;
* Socket.IO payloads match the `x-socketio` extension, each in the view of the
  client that received it (board, manager or kiosk), escalations included.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from kiosk.domain import inputs, stats
from kiosk.domain.appointments import CODE_ALPHABET, CODE_LENGTH
from kiosk.domain.assignment import STEPS
from kiosk.domain.auth import ROLES
from kiosk.domain.config import LANGUAGES
from kiosk.domain.export import EXPORT_COLUMNS, FORMULA_STARTS
from kiosk.domain.frontdesk import FEEDBACK_RATINGS
from kiosk.web import common
from staffboard.events import PRESENCE_STATUSES
from tests.support.forms import form_post, token_session
from tests.support.openapi import (
    DOC_FILE,
    PREFIX,
    app_operations,
    assert_fits,
    assert_fits_caller,
    check,
    csv_columns,
    documented_operations,
    error_check,
    resolve,
    schema_errors,
)

# Operations that may be documented before the app serves them (marked `x-planned`): none now.
PLANNABLE: frozenset[str] = frozenset()


@pytest.fixture
def settings(db_path):
    """A low check-in rate so that 429 is cheap to provoke; tests here check in at most this often."""
    return {"db": str(db_path), "kiosk_checkins_per_minute": 3}


def test_the_validator_itself_refuses_what_it_should(doc):
    visit = {"$ref": "#/components/schemas/Visit"}
    assert schema_errors(doc, visit, {"id": 1})  # required keys missing
    assert schema_errors(doc, {"type": "array", "maxItems": 1}, [1, 2])
    error = {"$ref": "#/components/schemas/Error"}
    assert not schema_errors(doc, error, {"error": {"code": "conflict", "message": "m"}})
    assert schema_errors(doc, error, {"error": {"code": "teapot", "message": "m"}})
    assert schema_errors(doc, error, {"error": {"code": "conflict", "message": "m", "hint": "x"}})
    assert schema_errors(doc, {"$ref": "#/components/schemas/Time"}, "2026-11-23T14:03:07Z")
    assert not schema_errors(doc, {"$ref": "#/components/schemas/Time"}, "2026-11-23T14:03:07.412Z")


# --- the document and the app's routes ----------------------------------------------------------

def test_the_document_is_openapi_3_1_and_every_ref_resolves(doc):
    assert doc["openapi"].startswith("3.1.")
    refs = re.findall(r'"\$ref": "([^"]+)"', DOC_FILE.read_text(encoding="utf-8"))
    assert refs
    for ref in set(refs):
        assert resolve(doc, {"$ref": ref}) is not None, ref


def test_every_api_route_is_documented(app, doc):
    documented = set(documented_operations(doc))
    served = app_operations(app)
    assert served, "no routes under /api/v1 were found"
    missing = sorted(served - documented)
    assert not missing, f"routes served but not in docs/openapi.json: {missing}"


def test_every_documented_operation_is_served_unless_marked_planned(app, doc):
    urls = app.url_map.bind("localhost")
    served = app_operations(app)
    for (method, template), operation in documented_operations(doc).items():
        concrete = re.sub(r"\{\w+\}", "1", template)
        try:
            urls.match(concrete, method=method.upper())
            routed = True
        except Exception:  # NotFound, MethodNotAllowed, RequestRedirect
            routed = False
        if operation.get("x-planned"):
            assert not routed, f"{method.upper()} {template} is served now: drop its x-planned marker"
            assert "coming" in operation["description"].lower()
        else:
            assert routed, f"{method.upper()} {template} is documented but the app does not serve it"
            if template.startswith(PREFIX):
                assert (method, template) in served, f"{method.upper()} {template} is served by another route shape"
    planned = {t for (m, t), op in documented_operations(doc).items() if op.get("x-planned")}
    assert planned <= PLANNABLE, f"only {sorted(PLANNABLE) or 'nothing'} may be planned: {planned}"


def test_the_documented_limits_and_codes_are_the_codes_own(doc):
    schemas = doc["components"]["schemas"]
    checkin = schemas["CheckinRequest"]["properties"]
    assert checkin["name"]["maxLength"] == inputs.NAME_MAX and checkin["name"]["pattern"] == inputs.TEXT
    # name is required, and not blank, unless help is true
    assert schemas["CheckinRequest"]["anyOf"] == [
        {"required": ["help"], "properties": {"help": {"const": True}}},
        {"required": ["name"], "properties": {"name": {"type": "string", "pattern": inputs.FILLED_TEXT}}}]
    assert checkin["client_id"]["maxLength"] == inputs.CLIENT_ID_MAX
    assert checkin["client_id"]["pattern"] == inputs._CLIENT_ID.pattern
    assert checkin["phone"]["pattern"] == inputs.or_empty(inputs.PHONE)
    assert checkin["email"]["pattern"] == inputs.or_empty(inputs.EMAIL)
    assert checkin["language"]["enum"] == [*LANGUAGES, None]
    assert {checkin[f]["pattern"] for f in ("appointment_code", "topic", "privacy_notice_version")} == {inputs.TEXT}
    assert (checkin["party_size"]["minimum"], checkin["party_size"]["maximum"]) == (1, 20)
    assert (checkin["appointment_code"]["maxLength"], checkin["topic"]["maxLength"]) == (32, 80)
    note = schemas["CompleteRequest"]["properties"]["note"]
    assert (note["maxLength"], note["pattern"]) == (inputs.NOTE_MAX, inputs.MULTILINE_TEXT)
    assert set(schemas["CheckinRequest"]["required"]) == {"client_id"}  # name too, unless help is true
    codes = schemas["Error"]["properties"]["error"]["properties"]["code"]["enum"]
    assert set(codes) == set(common.CODES.values()) | {"invalid_json", "internal"}

    assert schemas["FeedbackRequest"]["properties"]["rating"]["enum"] == list(FEEDBACK_RATINGS)
    assert schemas["FeedbackAnswer"]["properties"]["feedback"]["properties"]["rating"]["enum"] == list(FEEDBACK_RATINGS)
    assert schemas["Visit"]["properties"]["assignment_reason"]["enum"] == [*STEPS, "unassigned", None]
    assert schemas["ArrivalContext"]["properties"]["assignment_reason"]["enum"] == [*STEPS, "unassigned", None]
    assert schemas["Visit"]["properties"]["language"]["enum"] == [*LANGUAGES, None]
    booking = schemas["AppointmentRequest"]
    assert set(booking["required"]) == {"customer_name", "starts_at"}
    assert booking["properties"]["phone"]["pattern"] == inputs.or_empty(inputs.PHONE)
    assert booking["properties"]["email"]["pattern"] == inputs.or_empty(inputs.EMAIL)
    assert booking["properties"]["starts_at"]["pattern"] == inputs.ISO_MOMENT.pattern
    assert booking["properties"]["customer_name"]["pattern"] == inputs.FILLED_TEXT
    day = {p["name"]: p for p in doc["paths"]["/appointments"]["get"]["parameters"]}["date"]
    assert day["schema"]["pattern"] == inputs.ISO_DATE.pattern
    code = re.compile(schemas["Appointment"]["properties"]["code"]["pattern"])
    assert all(code.search(ch * CODE_LENGTH) for ch in CODE_ALPHABET)
    assert not any(code.search(ch * CODE_LENGTH) for ch in "01IO")
    assert not code.search(CODE_ALPHABET[0] * (CODE_LENGTH + 1))
    events = doc["x-socketio"]["events"]
    assert events["host.presence"]["payload"]["properties"]["status"]["enum"] == list(PRESENCE_STATUSES)
    assert doc["x-socketio"]["auth"]["properties"]["as"]["enum"] == list(ROLES)
    assert set(schemas["TeamMember"]["properties"]["status"]["enum"]) == {*PRESENCE_STATUSES, "busy"}
    assert schemas["CheckinRequest"]["properties"]["privacy_notice_version"]["maxLength"] == 16

    # Stats: the filters, the histogram and the export's columns are the code's own.
    stats_params = {p["name"]: p for p in doc["paths"]["/stats"]["get"]["parameters"]}
    assert set(stats_params) == {"from", "to", "host_id", "reason"}
    assert stats_params["from"]["schema"]["pattern"] == stats_params["to"]["schema"]["pattern"] == inputs.or_empty(
        inputs.ISO_MOMENT)
    assert stats_params["reason"]["schema"]["enum"] == [*STEPS, "unassigned"]
    histogram = schemas["Stats"]["properties"]["greet_histogram"]["properties"]
    counts = histogram["counts"]
    assert counts["minItems"] == counts["maxItems"] == stats.HISTOGRAM_BUCKETS
    assert f"({stats.HISTOGRAM_BUCKET_SECONDS})" in histogram["bucket_seconds"]["description"]
    assert [c["name"] for c in csv_columns(doc)] == list(EXPORT_COLUMNS)
    described = doc["paths"]["/stats.csv"]["get"]["description"]
    assert all(f"`{start}`" in described for start in FORMULA_STARTS if start.isprintable())


@pytest.mark.parametrize("field", ["customer_name", "reason", "notes"])
def test_the_documented_appointment_limits_are_the_codes_own(doc, api, demo, field):
    """AppointmentBook._prepare writes its limits as literals: probe them at the documented edge."""
    limits = doc["components"]["schemas"]["AppointmentRequest"]["properties"][field]
    host = demo["hosts"][0]["token"]
    body = {"customer_name": "Jonas Weber", "starts_at": "2026-11-23T14:30"}
    longest = api.post("/appointments", host, {**body, field: "x" * limits["maxLength"]})
    assert check(doc, longest, "post", APPOINTMENTS)["appointment"]
    error_check(doc, api.post("/appointments", host, {**body, field: "x" * (limits["maxLength"] + 1)}),
                "post", APPOINTMENTS, 400, "invalid_input", field)
    if limits.get("minLength"):
        error_check(doc, api.post("/appointments", host, {**body, field: " "}), "post", APPOINTMENTS,
                    400, "invalid_input", field)


# --- real answers against the document ----------------------------------------------------------

CHECKINS = f"{PREFIX}/checkins"
VISIT = f"{PREFIX}/visits/{{visit_id}}"
FEEDBACK = f"{VISIT}/feedback"
CUSTOMER_HOST = f"{PREFIX}/customers/{{customer_id}}/host"
APPOINTMENTS = f"{PREFIX}/appointments"
CANCEL = f"{APPOINTMENTS}/{{appointment_id}}/cancel"
STATS = f"{PREFIX}/stats"
STATS_CSV = f"{PREFIX}/stats.csv"


def test_a_visit_through_its_life_matches_the_document(doc, api, demo):
    kiosk, host, manager = demo["kiosk"]["token"], demo["hosts"][0]["token"], demo["manager"]["token"]
    made = api.check_in(kiosk, name="Zoë Example", client_id="tablet-1:0001", language="en", phone="+49 30 1234567",
                        email="zoe@example.org", appointment_code="A-17", topic="loans", party_size=2,
                        privacy_notice_version="2026-11")
    assert made.status_code == 201
    visit = check(doc, made, "post", CHECKINS, "kiosk")["visit"]
    again = api.check_in(kiosk, name="Zoë Example", client_id="tablet-1:0001")
    assert again.status_code == 200 and check(doc, again, "post", CHECKINS, "kiosk")["visit"] == visit

    views = {caller: check(doc, api.get(f"/visits/{visit['id']}", token), "get", VISIT, caller)["visit"]
             for caller, token in (("kiosk", kiosk), ("host", host), ("manager", manager))}
    assert views["kiosk"] == visit and views["host"] == views["manager"] != visit
    assert views["host"]["topic"] == "loans" and views["host"]["party_size"] == 2
    listed = check(doc, api.get("/visits?status=open", host), "get", f"{PREFIX}/visits", "host")
    assert [v["id"] for v in listed["visits"]] == [visit["id"]]
    check(doc, api.get("/visits", manager), "get", f"{PREFIX}/visits", "manager")

    for action, body in (("acknowledge", None), ("greet", None), ("complete", {"note": "Kredit besprochen.\nRückruf."}),
                         ("complete", None)):
        answer = api.act(host, visit["id"], action, body)
        assert answer.status_code == 200
        visit = check(doc, answer, "post", f"{VISIT}/{action}", "host")["visit"]
    assert visit["status"] == "completed" and visit["acknowledged_by"] is not None
    assert visit["customer"]["host"]["id"] == demo["hosts"][0]["id"]  # the first to greet became their host

    rated = api.post(f"/visits/{visit['id']}/feedback", kiosk, {"rating": 3})
    assert rated.status_code == 201
    rated = check(doc, rated, "post", FEEDBACK, "kiosk")
    assert rated["feedback"] == {"rating": 3} and rated["visit"]["status"] == "completed"
    error_check(doc, api.post(f"/visits/{visit['id']}/feedback", kiosk, {"rating": 1}), "post", FEEDBACK,
                409, "conflict")

    customer_id = visit["customer"]["id"]
    for caller, token, new_host in (("host", host, demo["hosts"][2]), ("manager", manager, demo["hosts"][1])):
        moved = check(doc, api.post(f"/customers/{customer_id}/host", token, {"host_id": new_host["id"]}),
                      "post", CUSTOMER_HOST, caller)["customer"]
        new_host_shown = {"id": new_host["id"], "name": new_host["name"]}
        assert moved == {"id": customer_id, "name": "Zoë Example", "host": new_host_shown}
    staff_view = check(doc, api.get(f"/visits/{visit['id']}", manager), "get", VISIT, "manager")["visit"]
    assert staff_view["customer"]["host"]["name"] == "Ben"

    left = check(doc, api.check_in(kiosk, name="Left Early"), "post", CHECKINS, "kiosk")["visit"]
    abandoned = check(doc, api.act(host, left["id"], "abandon"), "post", f"{VISIT}/abandon", "host")["visit"]
    assert abandoned["status"] == "abandoned" and abandoned["abandoned_at"] is not None


def test_appointments_booked_listed_and_cancelled_match_the_document(doc, api, demo):
    kiosk, manager = demo["kiosk"]["token"], demo["manager"]["token"]
    clara = demo["hosts"][2]
    booked = api.post("/appointments", clara["token"], {
        "customer_name": "Jonas Weber", "phone": "+49 171 2345678", "email": "jonas@example.org",
        "host_id": clara["id"], "starts_at": "2026-11-23T11:00", "reason": "Baufinanzierung",
        "notes": "Gehaltsnachweise\nmitbringen"})
    assert booked.status_code == 201
    appointment = check(doc, booked, "post", APPOINTMENTS, "host")["appointment"]
    assert appointment["starts_at"] == "2026-11-23T10:00:00.000Z" and appointment["status"] == "scheduled"
    other = api.post("/appointments", manager, {"customer_name": "Ida Berg", "starts_at": "2026-11-23T15:00:00Z"})
    other = check(doc, other, "post", APPOINTMENTS, "manager")["appointment"]
    assert other["host"] is None and other["reason"] is None

    # The code at the kiosk: the kiosk's view says the appointment matched, the staff view says more.
    visit = check(doc, api.check_in(kiosk, name="Jonas", appointment_code=appointment["code"].lower()),
                  "post", CHECKINS, "kiosk")["visit"]
    assert visit["appointment"] == {"id": appointment["id"], "starts_at": appointment["starts_at"]}
    staff_view = check(doc, api.get(f"/visits/{visit['id']}", clara["token"]), "get", VISIT, "host")["visit"]
    assert staff_view["appointment"] == visit["appointment"] and staff_view["assignment_reason"]

    day = check(doc, api.get("/appointments?date=2026-11-23", manager), "get", APPOINTMENTS, "manager")
    assert [(a["id"], a["status"]) for a in day["appointments"]] == [(appointment["id"], "checked_in"),
                                                                     (other["id"], "scheduled")]
    mine = check(doc, api.get(f"/appointments?date=2026-11-23&host_id={clara['id']}", clara["token"]),
                 "get", APPOINTMENTS, "host")
    assert [a["id"] for a in mine["appointments"]] == [appointment["id"]]
    assert check(doc, api.get("/appointments", clara["token"]), "get", APPOINTMENTS, "host") == day  # today

    cancelled = check(doc, api.post(f"/appointments/{other['id']}/cancel", clara["token"]), "post", CANCEL, "host")
    assert cancelled["appointment"]["status"] == "cancelled"
    unchanged = check(doc, api.post(f"/appointments/{appointment['id']}/cancel", manager), "post", CANCEL, "manager")
    assert unchanged["appointment"]["status"] == "checked_in"


def test_error_answers_match_the_document(doc, api, demo, client):
    kiosk, host = demo["kiosk"]["token"], demo["hosts"][0]["token"]
    error_check(doc, api.post("/checkins", body={"name": "Zoë", "client_id": "e-1"}),
                "post", CHECKINS, 401, "unauthorized")
    error_check(doc, api.post("/checkins", "forged", {"name": "Zoë", "client_id": "e-1"}),
                "post", CHECKINS, 401, "unauthorized")
    error_check(doc, api.post("/checkins", host, {"name": "Zoë", "client_id": "e-1"}),
                "post", CHECKINS, 403, "forbidden")
    error_check(doc, api.post("/checkins", kiosk, {"client_id": "e-1"}), "post", CHECKINS, 400, "invalid_input", "name")
    error_check(doc, api.post("/checkins", kiosk, {"name": "x" * 81, "client_id": "e-1"}),
                "post", CHECKINS, 400, "invalid_input", "name")
    error_check(doc, api.post("/checkins", kiosk, {"name": "Zoë", "client_id": "e 1"}),
                "post", CHECKINS, 400, "invalid_input", "client_id")
    error_check(doc, api.post("/checkins", kiosk, {"name": "Zoë", "client_id": "e-1", "party_size": 21}),
                "post", CHECKINS, 400, "invalid_input", "party_size")
    error_check(doc, api.post("/checkins", kiosk, {"name": "Zoë", "client_id": "e-1", "language": "fr"}),
                "post", CHECKINS, 400, "invalid_input", "language")
    too_long_version = {"name": "Zoë", "client_id": "e-1", "privacy_notice_version": "x" * 17}
    error_check(doc, api.post("/checkins", kiosk, too_long_version),
                "post", CHECKINS, 400, "invalid_input", "privacy_notice_version")
    error_check(doc, api.post("/checkins", kiosk, data="{not json", content_type="application/json"),
                "post", CHECKINS, 400, "invalid_json")
    error_check(doc, api.post("/checkins", kiosk, {"name": "x" * 70_000, "client_id": "e-1"}),
                "post", CHECKINS, 413, "too_large")
    # 405 belongs to no operation of its own: the document lists it under POST /checkins.
    error_check(doc, api.get("/checkins", kiosk), "post", CHECKINS, 405, "method_not_allowed")

    error_check(doc, api.get("/visits?status=closed", host), "get", f"{PREFIX}/visits", 400, "invalid_input", "status")
    error_check(doc, api.get("/visits", kiosk), "get", f"{PREFIX}/visits", 403, "forbidden")
    error_check(doc, api.get("/visits", None), "get", f"{PREFIX}/visits", 401, "unauthorized")
    error_check(doc, api.get("/visits/999999", host), "get", VISIT, 404, "not_found")

    visit = api.check_in(kiosk, name="Zoë").get_json()["visit"]
    error_check(doc, api.act(host, visit["id"], "complete"), "post", f"{VISIT}/complete", 409, "conflict")
    error_check(doc, api.act(kiosk, visit["id"], "greet"), "post", f"{VISIT}/greet", 403, "forbidden")
    error_check(doc, api.act(host, 999999, "greet"), "post", f"{VISIT}/greet", 404, "not_found")
    error_check(doc, api.act(host, visit["id"], "complete", {"note": "x" * 2001}),
                "post", f"{VISIT}/complete", 400, "invalid_input", "note")

    # Feedback: the kiosk's, once a visit is completed.
    error_check(doc, api.post(f"/visits/{visit['id']}/feedback", kiosk, {"rating": 3}), "post", FEEDBACK,
                409, "conflict")
    for bad in ({"rating": 4}, {"rating": True}, {"rating": "3"}, {}, []):
        error_check(doc, api.post(f"/visits/{visit['id']}/feedback", kiosk, bad), "post", FEEDBACK,
                    400, "invalid_input", "rating")
    error_check(doc, api.post(f"/visits/{visit['id']}/feedback", kiosk, data="{", content_type="application/json"),
                "post", FEEDBACK, 400, "invalid_json")
    error_check(doc, api.post(f"/visits/{visit['id']}/feedback", host, {"rating": 3}), "post", FEEDBACK,
                403, "forbidden")
    error_check(doc, api.post(f"/visits/{visit['id']}/feedback", None, {"rating": 3}), "post", FEEDBACK,
                401, "unauthorized")
    error_check(doc, api.post("/visits/999999/feedback", kiosk, {"rating": 3}), "post", FEEDBACK, 404, "not_found")

    # Reassigning a customer's own host: hosts and managers, an active host of the site.
    customer = f"/customers/{visit['customer']['id']}/host"
    for bad in ({"host_id": "Ben"}, {"host_id": True}, {"host_id": 999999}, {}):
        error_check(doc, api.post(customer, host, bad), "post", CUSTOMER_HOST, 400, "invalid_input", "host_id")
    error_check(doc, api.post(customer, kiosk, {"host_id": demo["hosts"][1]["id"]}), "post", CUSTOMER_HOST,
                403, "forbidden")
    error_check(doc, api.post("/customers/999999/host", host, {"host_id": demo["hosts"][1]["id"]}),
                "post", CUSTOMER_HOST, 404, "not_found")

    # Appointments: hosts and managers; every bad field is named.
    booking = {"customer_name": "Jonas Weber", "starts_at": "2026-11-23T14:30"}
    for fields, field in (({"customer_name": None}, "customer_name"), ({"customer_name": "x" * 81}, "customer_name"),
                          ({"starts_at": None}, "starts_at"), ({"starts_at": "tomorrow"}, "starts_at"),
                          ({"host_id": 999999}, "host_id"), ({"host_id": "Ben"}, "host_id"),
                          ({"phone": "call me"}, "phone"), ({"email": "nope"}, "email"),
                          ({"reason": "x" * 201}, "reason"), ({"notes": "x" * 2001}, "notes")):
        error_check(doc, api.post("/appointments", host, {**booking, **fields}), "post", APPOINTMENTS,
                    400, "invalid_input", field)
    error_check(doc, api.post("/appointments", host, data="[", content_type="application/json"),
                "post", APPOINTMENTS, 400, "invalid_json")
    error_check(doc, api.post("/appointments", kiosk, booking), "post", APPOINTMENTS, 403, "forbidden")
    error_check(doc, api.post("/appointments", None, booking), "post", APPOINTMENTS, 401, "unauthorized")
    error_check(doc, api.get("/appointments?date=24.11.2026", host), "get", APPOINTMENTS, 400, "invalid_input", "date")
    error_check(doc, api.get("/appointments?host_id=Ben", host), "get", APPOINTMENTS, 400, "invalid_input", "host_id")
    error_check(doc, api.get("/appointments", kiosk), "get", APPOINTMENTS, 403, "forbidden")
    error_check(doc, api.post("/appointments/999999/cancel", host), "post", CANCEL, 404, "not_found")
    error_check(doc, api.post("/appointments/999999/cancel", kiosk), "post", CANCEL, 403, "forbidden")

    # A browser with the board's session cookie may act only with JSON.
    anna = demo["hosts"][0]
    assert form_post(client, "/board/login", {"host_id": anna["id"], "pin": anna["pin"]}).status_code == 303
    error_check(doc, client.post(f"/api/v1/visits/{visit['id']}/acknowledge", data={"x": "1"}),
                "post", f"{VISIT}/acknowledge", 415, "unsupported_media_type")
    assert check(doc, client.post(f"/api/v1/visits/{visit['id']}/acknowledge", json={}),
                 "post", f"{VISIT}/acknowledge", "host")["visit"]["status"] == "acknowledged"
    error_check(doc, client.post("/api/v1/appointments", data=booking), "post", APPOINTMENTS,
                415, "unsupported_media_type")
    error_check(doc, client.post(f"/api/v1{customer}", data={"host_id": "1"}), "post", CUSTOMER_HOST,
                415, "unsupported_media_type")
    # The kiosk tablet's cookie: its answers are the kiosk's view.
    assert form_post(client, "/board/logout", page="/board").status_code == 303
    assert form_post(client, "/kiosk/setup", {"token": kiosk}).status_code == 303
    error_check(doc, client.post(f"/api/v1/visits/{visit['id']}/feedback", data={"rating": "3"}), "post", FEEDBACK,
                415, "unsupported_media_type")
    assert check(doc, client.get(f"/api/v1/visits/{visit['id']}"), "get", VISIT, "kiosk")["visit"]["id"] == visit["id"]

    # Anything else under /api is still the documented Error shape.
    unknown = client.get("/api/v1/no-such-thing")
    assert unknown.status_code == 404
    assert_fits(doc, {"$ref": "#/components/schemas/Error"}, unknown.get_json(), "404 of an unknown path")


def test_stats_and_their_export_match_the_document(doc, app, api, demo, clock):
    """A manager's figures after a few visits: a greeted one with feedback, one greeted by a
    stand-in, one abandoned; then the CSV export of the same day (2026-11-23, Europe/Berlin)."""
    kiosk, manager = demo["kiosk"]["token"], demo["manager"]["token"]
    token_of = {host["id"]: host["token"] for host in demo["hosts"]}
    store = app.extensions["gastgeber"].store

    def arrive(name):
        visit = api.check_in(kiosk, name=name).get_json()["visit"]
        host = api.get(f"/visits/{visit['id']}", manager).get_json()["visit"]["host"]
        assert host is not None
        return visit["id"], host["id"]

    served, served_by = arrive("Zoë Example")
    clock.advance(20)
    assert api.act(token_of[served_by], served, "acknowledge").status_code == 200
    clock.advance(40)
    assert api.act(token_of[served_by], served, "greet").status_code == 200
    assert api.act(token_of[served_by], served, "complete").status_code == 200
    assert api.post(f"/visits/{served}/feedback", kiosk, {"rating": 3}).status_code == 201
    clock.advance(60)
    helped, own_host = arrive("Jonas Weber")
    stand_in = next(host_id for host_id in token_of if host_id != own_host)
    clock.advance(150)
    assert api.act(token_of[stand_in], helped, "greet").status_code == 200
    clock.advance(60)
    left, left_host = arrive("Left Early")
    clock.advance(300)
    assert api.act(token_of[left_host], left, "abandon").status_code == 200
    # A host name a spreadsheet would run as a formula (names are set by the CLI, not checked).
    with store.transaction():
        store.db.conn.execute("UPDATE hosts SET name = ? WHERE id = ?", ("=HYPERLINK(1)", own_host))

    day = "?from=2026-11-23&to=2026-11-24"
    figures = check(doc, api.get(f"/stats{day}", manager), "get", STATS)
    assert (figures["visits"], figures["abandoned"]) == (3, 1)
    assert (figures["from"], figures["to"]) == ("2026-11-22T23:00:00.000Z", "2026-11-23T23:00:00.000Z")
    assert figures["greet_seconds"] == {"p50": 60.0, "p90": 150.0, "max": 150.0}
    assert figures["by_hour"][10]["visits"] == 3  # 09:00Z is 10:00 in Berlin
    assert [d["date"] for d in figures["by_day"]] == ["2026-11-23"] and figures["feedback_average"] == 3
    assert sum(h["stand_ins_given"] for h in figures["per_host"]) == 1
    assert {h["host"]["id"]: h["stand_ins_received"] for h in figures["per_host"]}[own_host] == 1
    assert check(doc, api.get("/stats", manager), "get", STATS)["visits"] == 3  # the last 30 days
    local = check(doc, api.get("/stats?from=2026-11-23T10:04&to=2026-11-23T09:30:00Z", manager), "get", STATS)
    assert local["visits"] == 1  # 10:04 without offset is local time: only the abandoned visit
    one_host = check(doc, api.get(f"/stats{day}&host_id={own_host}", manager), "get", STATS)
    assert [h["host"]["id"] for h in one_host["per_host"]] == [own_host]
    for reason in (*STEPS, "unassigned"):
        check(doc, api.get(f"/stats{day}&reason={reason}", manager), "get", STATS)

    export = api.get(f"/stats.csv{day}", manager)
    assert export.status_code == 200
    text = check(doc, export, "get", STATS_CSV)
    assert export.headers["Content-Disposition"] == 'attachment; filename="gastgeber-visits-2026-11-22-2026-11-23.csv"'
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [column["name"] for column in csv_columns(doc)] == list(EXPORT_COLUMNS)
    assert [int(row[0]) for row in rows[1:]] == [served, helped, left]
    assert not any(name in text for name in ("Zoë", "Jonas", "Left Early"))  # no customer data
    assert "'=HYPERLINK(1)" in {cell for row in rows[1:] for cell in row}
    assert not any(cell.startswith(FORMULA_STARTS) for row in rows for cell in row)


def test_a_managers_browser_reads_stats_with_its_cookie(doc, demo, client):
    manager = demo["manager"]
    for template, path in ((STATS, "/stats"), (STATS_CSV, "/stats.csv")):
        assert {"cookieAuth": []} in documented_operations(doc)[("get", template)]["security"]
        error_check(doc, client.get(f"/api/v1{path}"), "get", template, 401, "unauthorized")
    token_session(client, "manager", manager["token"])
    assert check(doc, client.get("/api/v1/stats"), "get", STATS)["visits"] == 0
    assert check(doc, client.get("/api/v1/stats.csv"), "get", STATS_CSV).splitlines() == [",".join(EXPORT_COLUMNS)]


def test_stats_errors_match_the_document(doc, api, demo):
    kiosk, host, manager = demo["kiosk"]["token"], demo["hosts"][0]["token"], demo["manager"]["token"]
    for template, path in ((STATS, "/stats"), (STATS_CSV, "/stats.csv")):
        error_check(doc, api.get(path, None), "get", template, 401, "unauthorized")
        error_check(doc, api.get(path, "forged"), "get", template, 401, "unauthorized")
        error_check(doc, api.get(path, host), "get", template, 403, "forbidden")
        error_check(doc, api.get(path, kiosk), "get", template, 403, "forbidden")
        error_check(doc, api.get(f"{path}?from=yesterday", manager), "get", template, 400, "invalid_input", "from")
        error_check(doc, api.get(f"{path}?to=2026-13-01", manager), "get", template, 400, "invalid_input", "to")
        error_check(doc, api.get(f"{path}?from=2026-11-24&to=2026-11-23", manager), "get", template,
                    400, "invalid_input", "from")
    error_check(doc, api.get("/stats?host_id=Ben", manager), "get", STATS, 400, "invalid_input", "host_id")
    error_check(doc, api.get("/stats?host_id=-1", manager), "get", STATS, 400, "invalid_input", "host_id")
    error_check(doc, api.get("/stats?reason=walk-in", manager), "get", STATS, 400, "invalid_input", "reason")


def test_a_rate_limited_check_in_matches_the_document(doc, api, demo):
    kiosk = demo["kiosk"]["token"]
    for n in range(3):
        assert api.check_in(kiosk, client_id=f"burst-{n}").status_code == 201
    error_check(doc, api.check_in(kiosk, client_id="burst-3"), "post", CHECKINS, 429, "rate_limited")


def test_healthz_matches_the_document(doc, client):
    assert check(doc, client.get("/healthz"), "get", "/healthz") == {"ok": True}


# --- Socket.IO against x-socketio ---------------------------------------------------------------

def received_by(**clients):
    """{event name: [(caller, payload)]} of everything each Socket.IO test client got so far."""
    by_name = {}
    for caller, client in clients.items():
        for event in client.get_received():
            by_name.setdefault(event["name"], []).append((caller, event["args"][0]))
    return by_name


def assert_events_fit(doc, by_name, expected=()):
    """Every received payload fits its event in x-socketio, in the view of the client that got it."""
    events = doc["x-socketio"]["events"]
    undocumented = set(by_name) - set(events)
    assert not undocumented, f"events sent but not in x-socketio: {undocumented}"
    for name in expected:
        assert by_name.get(name), f"no {name} was received"
    for name, received in by_name.items():
        assert events[name]["direction"] == "server→client", f"{name} is sent by the server"
        for caller, payload in received:
            assert_fits_caller(doc, events[name]["payload"], payload, f"Socket.IO {name} to a {caller}", caller)


def test_socket_events_match_the_document(doc, app, api, demo, socket_client, clock):
    events = doc["x-socketio"]["events"]
    services = app.extensions["gastgeber"]
    kiosk, manager_token = demo["kiosk"]["token"], demo["manager"]["token"]
    anna = demo["hosts"][0]

    # A returning customer with an appointment, so that the alert's context is full: history,
    # feedback, own host and the appointment's preparation notes.
    first = api.check_in(kiosk, name="Zoë", phone="+49 30 1234567").get_json()["visit"]
    api.act(anna["token"], first["id"], "greet")
    api.act(anna["token"], first["id"], "complete", {"note": "Kredit besprochen."})
    assert api.post(f"/visits/{first['id']}/feedback", kiosk, {"rating": 3}).status_code == 201
    code = api.post("/appointments", anna["token"], {
        "customer_name": "Zoë", "phone": "+49 30 1234567", "host_id": anna["id"], "starts_at": "2026-11-23T10:30",
        "reason": "Baufinanzierung", "notes": "Unterlagen"}).get_json()["appointment"]["code"]

    board = socket_client(token=anna["token"])
    manager = socket_client(token=manager_token)
    tablet = socket_client(token=kiosk)
    made = api.check_in(kiosk, name="Zoë", party_size=3, topic="loans", appointment_code=code).get_json()["visit"]
    assert made["host"]["id"] == anna["id"]
    late = socket_client(token=manager_token)  # its snapshot holds the new visit with its context
    services.team_updates.refresh_all()  # the scheduler's tick: Anna's board came, she is available

    by_name = received_by(host=board, manager=manager, kiosk=tablet)
    for name, received in received_by(manager=late).items():
        by_name.setdefault(name, []).extend(received)
    assert_events_fit(doc, by_name, ("board.snapshot", "team.updated", "visit.arrived", "visit.updated"))
    snapshot = by_name["board.snapshot"][-1][1]
    assert [v["id"] for v in snapshot["visits"]] == [made["id"]] and list(snapshot["contexts"]) == [str(made["id"])]
    assert snapshot["contexts"][str(made["id"])]["appointment"]["notes"] == "Unterlagen"
    assert {caller for caller, _ in by_name["visit.updated"]} == {"host", "manager", "kiosk"}
    assert [caller for caller, _ in by_name["visit.arrived"]] == ["host"]
    context = by_name["visit.arrived"][0][1]["context"]
    assert context["returning"] and context["own_host"]["id"] == anna["id"]
    assert context["appointment"]["notes"] == "Unterlagen"
    assert context["previous_visits"][0]["feedback"] == 3 and context["previous_visits"][0]["note"]
    assert "ack" in events["visit.arrived"], "visit.arrived asks the board for a delivery receipt"

    # The ladder: the test client sends no receipt, so the team hears of it as undelivered,
    # then the managers once it has waited long enough.
    clock.advance(services.settings["alert_receipt_seconds"])
    services.presence.heartbeat()  # as the serving process does every few seconds
    assert services.escalator.tick() == 1
    clock.advance(services.settings["escalate_managers_after_seconds"])
    services.presence.heartbeat()
    assert services.escalator.tick() == 1
    by_name = received_by(host=board, manager=manager, kiosk=tablet)
    assert_events_fit(doc, by_name, ("visit.escalated", "visit.updated"))
    assert [(caller, payload["level"], payload["reason"]) for caller, payload in by_name["visit.escalated"]] == [
        ("host", "team", "undelivered"), ("manager", "managers", "timeout")]
    # the kiosk hears the team's step (it may now say "we're getting someone"), not the managers'
    assert [payload["visit"]["alerted"] for caller, payload in by_name["visit.updated"] if caller == "kiosk"] == [
        "team"]

    acked = board.emit("visit.acknowledge", {"visit_id": made["id"]}, callback=True)
    assert "visit" in acked
    assert_fits(doc, events["visit.acknowledge"]["ack"], acked, "ack of visit.acknowledge")
    refused = board.emit("visit.acknowledge", {"visit_id": "x"}, callback=True)
    assert_fits(doc, events["visit.acknowledge"]["ack"], refused, "error ack of visit.acknowledge")
    presence = board.emit("host.presence", {"status": "away"}, callback=True)
    assert presence == {"status": "away"}
    assert_fits(doc, events["host.presence"]["ack"], presence, "ack of host.presence")
    by_name = received_by(host=board, manager=manager, kiosk=tablet)
    assert_events_fit(doc, by_name, ("team.updated", "visit.updated"))
    anna_now = [m for _, payload in by_name["team.updated"] for m in payload["changed"] if m["id"] == anna["id"]]
    assert anna_now and anna_now[-1]["status"] == "away"
