"""docs/openapi.json against the running app: routes, real answers, limits and live events.

The document is JSON (PyYAML is not a dependency; JSON is also valid YAML) and is
checked by a small JSON Schema subset below (jsonschema is not a dependency
either). Each test fails when the API and the document drift apart:

* every route under /api/v1 is documented, and every documented operation is
  served (operations marked `x-planned` must *not* be served yet: drop the
  marker when they are);
* real answers of the test client (visits, errors, health) match the documented
  status codes, media types, headers and schemas, where an object schema that
  does not say `additionalProperties` still must list every key the server sends;
* the input limits and error codes in the document are the code's own;
* Socket.IO payloads match the `x-socketio` extension.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kiosk import errors, inputs
from kiosk.config import LANGUAGES
from kiosk.visits import ACTIONS

DOC_FILE = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"
PREFIX = "/api/v1"
HTTP_METHODS = ("get", "put", "post", "delete", "patch")
# Route variables whose values the handler fixes: each value is its own documented path.
FIXED_ROUTE_VALUES = {"action": ACTIONS}
_RULE_VARIABLE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


@pytest.fixture
def settings(db_path):
    """A low check-in rate so that 429 is cheap to provoke; tests here check in at most this often."""
    return {"db": str(db_path), "kiosk_checkins_per_minute": 3}


@pytest.fixture(scope="module")
def doc():
    return json.loads(DOC_FILE.read_text(encoding="utf-8"))


# --- a small JSON Schema (2020-12) subset: what docs/openapi.json uses -------------------------

def resolve(doc, node):
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), f"only local $refs are expected, got {ref}"
        node = doc
        for part in ref[2:].split("/"):
            node = node[part]
    return node


_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def schema_errors(doc, schema, value, where="$", strict=True) -> list[str]:
    """Where `value` breaks `schema`. `strict`: an object schema with `properties` but no
    `additionalProperties` still refuses keys it does not list (the document must name them)."""
    schema = resolve(doc, schema)
    problems = []
    for key in ("anyOf", "oneOf"):
        if key in schema:
            fits = [not schema_errors(doc, option, value, where, strict) for option in schema[key]]
            if (key == "anyOf" and not any(fits)) or (key == "oneOf" and fits.count(True) != 1):
                problems.append(f"{where}: {value!r} fits {fits.count(True)} of the {key} options")
    for option in schema.get("allOf", []):
        problems += schema_errors(doc, option, value, where, strict)
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_TYPES[t](value) for t in types):
            return problems + [f"{where}: {value!r} is not of type {types}"]
    if "const" in schema and value != schema["const"]:
        problems.append(f"{where}: {value!r} is not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} is not one of {schema['enum']}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", len(value)):
            problems.append(f"{where}: length {len(value)} is outside the documented limits")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            problems.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if _TYPES["number"](value):
        if value < schema.get("minimum", value) or value > schema.get("maximum", value):
            problems.append(f"{where}: {value!r} is outside the documented range")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            problems += schema_errors(doc, schema["items"], item, f"{where}[{index}]", strict)
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                problems.append(f"{where}: required key '{key}' is missing")
        extra = schema.get("additionalProperties", not (strict and properties))
        for key, item in value.items():
            if key in properties:
                problems += schema_errors(doc, properties[key], item, f"{where}.{key}", strict)
            elif extra is False:
                problems.append(f"{where}: key '{key}' is not documented")
            elif isinstance(extra, dict):
                problems += schema_errors(doc, extra, item, f"{where}.{key}", strict)
    return problems


def assert_fits(doc, schema, value, what):
    problems = schema_errors(doc, schema, value)
    assert not problems, f"{what} does not match docs/openapi.json:\n  " + "\n  ".join(problems)


def test_the_validator_itself_refuses_what_it_should(doc):
    visit = {"$ref": "#/components/schemas/Visit"}
    assert schema_errors(doc, visit, {"id": 1})  # required keys missing
    error = {"$ref": "#/components/schemas/Error"}
    assert not schema_errors(doc, error, {"error": {"code": "conflict", "message": "m"}})
    assert schema_errors(doc, error, {"error": {"code": "teapot", "message": "m"}})
    assert schema_errors(doc, error, {"error": {"code": "conflict", "message": "m", "hint": "x"}})
    assert schema_errors(doc, {"$ref": "#/components/schemas/Time"}, "2026-11-23T14:03:07Z")
    assert not schema_errors(doc, {"$ref": "#/components/schemas/Time"}, "2026-11-23T14:03:07.412Z")


# --- the document and the app's routes ----------------------------------------------------------

def documented_operations(doc):
    """{(method, full path template): operation} with each path's effective server prefix."""
    operations = {}
    top_server = doc["servers"][0]["url"]
    for path, item in doc["paths"].items():
        server = item.get("servers", [{"url": top_server}])[0]["url"]
        full = server.rstrip("/") + path
        for method in HTTP_METHODS:
            if method in item:
                operations[(method, full)] = item[method]
    return operations


def app_operations(app):
    """{(method, path template)} of every route under /api/v1, variables written as {name}."""
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(PREFIX + "/"):
            continue
        templates = [rule.rule]
        for converter, name in _RULE_VARIABLE.findall(rule.rule):
            values = FIXED_ROUTE_VALUES.get(name) if converter in ("", "string") else None
            pattern = re.compile(rf"<(?:\w+(?:\([^)]*\))?:)?{name}>")
            if values:
                templates = [pattern.sub(value, t) for t in templates for value in values]
            else:
                templates = [pattern.sub("{" + name + "}", t) for t in templates]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found.update((method.lower(), template) for template in templates)
    return found


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
    assert planned <= {f"{PREFIX}/stats", f"{PREFIX}/stats.csv"}, f"only stats may be planned: {planned}"


def test_the_documented_limits_and_codes_are_the_codes_own(doc):
    schemas = doc["components"]["schemas"]
    checkin = schemas["CheckinRequest"]["properties"]
    assert checkin["name"]["maxLength"] == inputs.NAME_MAX and checkin["name"]["minLength"] == 1
    assert checkin["client_id"]["maxLength"] == inputs.CLIENT_ID_MAX
    assert checkin["client_id"]["pattern"] == inputs._CLIENT_ID.pattern
    assert checkin["phone"]["pattern"] == inputs.PHONE.pattern
    assert checkin["email"]["pattern"] == inputs.EMAIL.pattern
    assert checkin["language"]["enum"] == list(LANGUAGES)
    assert (checkin["party_size"]["minimum"], checkin["party_size"]["maximum"]) == (1, 20)
    assert (checkin["appointment_code"]["maxLength"], checkin["topic"]["maxLength"]) == (32, 80)
    assert schemas["CompleteRequest"]["properties"]["note"]["maxLength"] == inputs.NOTE_MAX
    assert set(schemas["CheckinRequest"]["required"]) == {"name", "client_id"}
    codes = schemas["Error"]["properties"]["error"]["properties"]["code"]["enum"]
    assert set(codes) == set(errors._CODES.values()) | {"invalid_json", "internal"}


# --- real answers against the document ----------------------------------------------------------

def check(doc, response, method, template):
    """Assert `response` is a documented answer of `method template` and return its JSON."""
    operation = documented_operations(doc)[(method, template)]
    status = str(response.status_code)
    assert status in operation["responses"], (
        f"{method.upper()} {template} answered {status}, which the document does not list")
    documented = resolve(doc, operation["responses"][status])
    for name, header in documented.get("headers", {}).items():
        header = resolve(doc, header)
        if header.get("required"):
            assert name in response.headers, f"{status} of {template} lacks the {name} header"
            raw = response.headers[name]
            value = int(raw) if resolve(doc, header["schema"]).get("type") == "integer" else raw
            assert_fits(doc, header["schema"], value, f"header {name}")
    content = documented.get("content", {})
    assert response.mimetype in content, f"{status} of {template} is {response.mimetype}, not in {list(content)}"
    body = response.get_json()
    assert_fits(doc, content[response.mimetype]["schema"], body, f"{method.upper()} {template} {status}")
    return body


def error_check(doc, response, method, template, status, code, field=None):
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True)[:200])
    body = check(doc, response, method, template)
    assert body["error"]["code"] == code
    assert body["error"].get("field") == field
    return body


CHECKINS = f"{PREFIX}/checkins"
VISIT = f"{PREFIX}/visits/{{visit_id}}"


def test_a_visit_through_its_life_matches_the_document(doc, api, demo):
    kiosk, host, manager = demo["kiosk"]["token"], demo["hosts"][0]["token"], demo["manager"]["token"]
    made = api.check_in(kiosk, name="Zoë Example", client_id="tablet-1:0001", language="en", phone="+49 30 1234567",
                        email="zoe@example.org", appointment_code="A-17", topic="loans", party_size=2)
    assert made.status_code == 201
    visit = check(doc, made, "post", CHECKINS)["visit"]
    again = api.check_in(kiosk, name="Zoë Example", client_id="tablet-1:0001")
    assert again.status_code == 200 and check(doc, again, "post", CHECKINS)["visit"] == visit

    for token in (kiosk, host, manager):
        check(doc, api.get(f"/visits/{visit['id']}", token), "get", VISIT)
    listed = check(doc, api.get("/visits?status=open", host), "get", f"{PREFIX}/visits")
    assert [v["id"] for v in listed["visits"]] == [visit["id"]]
    check(doc, api.get("/visits", manager), "get", f"{PREFIX}/visits")

    for action, body in (("acknowledge", None), ("greet", None), ("complete", {"note": "Kredit besprochen.\nRückruf."}),
                         ("complete", None)):
        answer = api.act(host, visit["id"], action, body)
        assert answer.status_code == 200
        visit = check(doc, answer, "post", f"{VISIT}/{action}")["visit"]
    assert visit["status"] == "completed" and visit["acknowledged_by"] is not None

    left = check(doc, api.check_in(kiosk, name="Left Early"), "post", CHECKINS)["visit"]
    abandoned = check(doc, api.act(host, left["id"], "abandon"), "post", f"{VISIT}/abandon")["visit"]
    assert abandoned["status"] == "abandoned" and abandoned["abandoned_at"] is not None


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

    # A browser with the board's session cookie may act only with JSON.
    with client.session_transaction() as session:
        session["host_id"] = demo["hosts"][0]["id"]
    error_check(doc, client.post(f"/api/v1/visits/{visit['id']}/acknowledge", data={"x": "1"}),
                "post", f"{VISIT}/acknowledge", 415, "unsupported_media_type")
    assert check(doc, client.post(f"/api/v1/visits/{visit['id']}/acknowledge", json={}),
                 "post", f"{VISIT}/acknowledge")["visit"]["status"] == "acknowledged"

    # Anything else under /api is still the documented Error shape.
    unknown = client.get("/api/v1/no-such-thing")
    assert unknown.status_code == 404
    assert_fits(doc, {"$ref": "#/components/schemas/Error"}, unknown.get_json(), "404 of an unknown path")


def test_a_rate_limited_check_in_matches_the_document(doc, api, demo):
    kiosk = demo["kiosk"]["token"]
    for n in range(3):
        assert api.check_in(kiosk, client_id=f"burst-{n}").status_code == 201
    error_check(doc, api.check_in(kiosk, client_id="burst-3"), "post", CHECKINS, 429, "rate_limited")


def test_healthz_matches_the_document(doc, client):
    assert check(doc, client.get("/healthz"), "get", "/healthz") == {"ok": True}


# --- Socket.IO against x-socketio ---------------------------------------------------------------

def test_socket_events_match_the_document(doc, api, demo, socket_client):
    events = doc["x-socketio"]["events"]
    anna = demo["hosts"][0]
    board = socket_client(token=anna["token"])
    manager = socket_client(token=demo["manager"]["token"])
    made = api.check_in(demo["kiosk"]["token"], name="Zoë", party_size=3, topic="loans").get_json()["visit"]
    assert made["host"]["id"] == anna["id"]

    received = board.get_received()
    by_name = {}
    for event in received + manager.get_received():
        by_name.setdefault(event["name"], []).append(event["args"][0])
    for name in ("board.snapshot", "visit.arrived", "visit.updated"):
        assert by_name.get(name), f"no {name} was received"
        for payload in by_name[name]:
            assert_fits(doc, events[name]["payload"], payload, f"Socket.IO {name}")
    undocumented = {event["name"] for event in received} - set(events)
    assert not undocumented, f"events sent but not in x-socketio: {undocumented}"

    acked = board.emit("visit.acknowledge", {"visit_id": made["id"]}, callback=True)
    assert "visit" in acked
    assert_fits(doc, events["visit.acknowledge"]["ack"], acked, "ack of visit.acknowledge")
    refused = board.emit("visit.acknowledge", {"visit_id": "x"}, callback=True)
    assert_fits(doc, events["visit.acknowledge"]["ack"], refused, "error ack of visit.acknowledge")
    presence = board.emit("host.presence", {"status": "away"}, callback=True)
    assert presence == {"status": "away"}
    assert_fits(doc, events["host.presence"]["ack"], presence, "ack of host.presence")
