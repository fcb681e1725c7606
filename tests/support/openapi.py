"""docs/openapi.json as a test sees it: a small JSON Schema (2020-12) subset that checks
real answers against the document, and the document's operations next to the app's routes.

The document is JSON (PyYAML is not a dependency; JSON is also valid YAML) and the
validator below is just what the document uses (jsonschema is not a dependency either).
"""

from __future__ import annotations

import re

from kiosk.domain.visits import ACTIONS
from tests.support.paths import DOCS

DOC_FILE = DOCS / "openapi.json"
PREFIX = "/api/v1"
HTTP_METHODS = ("get", "put", "post", "delete", "patch")
# Route variables whose values the handler fixes: each value is its own documented path.
FIXED_ROUTE_VALUES = {"action": ACTIONS}
_RULE_VARIABLE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
# Who may ask decides which view of a visit comes back: a kiosk gets no staff details.
VIEW_OF = {"kiosk": "#/components/schemas/KioskVisitEnvelope",
           "host": "#/components/schemas/VisitEnvelope",
           "manager": "#/components/schemas/VisitEnvelope"}


# --- the validator ------------------------------------------------------------------------------

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
    # JSON Schema 2020-12: 2.0 is an integer too (the server takes it as 2: web/common.py json_body)
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def schema_errors(doc, schema, value, where="$", strict=True) -> list[str]:
    """Where `value` breaks `schema`. `strict`: an object schema with `properties` but no
    `additionalProperties` still refuses keys it does not list (the document must name them)."""
    schema = resolve(doc, schema)
    problems = _combination_errors(doc, schema, value, where, strict)
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_TYPES[t](value) for t in types):
            return [*problems, f"{where}: {value!r} is not of type {types}"]
    problems += _scalar_errors(schema, value, where)
    if isinstance(value, list):
        problems += _array_errors(doc, schema, value, where, strict)
    if isinstance(value, dict):
        problems += _object_errors(doc, schema, value, where, strict)
    return problems


def _combination_errors(doc, schema, value, where, strict):
    """`anyOf` (at least one option fits), `oneOf` (exactly one) and `allOf` (every one)."""
    problems = []
    for key in ("anyOf", "oneOf"):
        if key in schema:
            fits = [not schema_errors(doc, option, value, where, strict) for option in schema[key]]
            if (key == "anyOf" and not any(fits)) or (key == "oneOf" and fits.count(True) != 1):
                problems.append(f"{where}: {value!r} fits {fits.count(True)} of the {key} options")
    for option in schema.get("allOf", []):
        problems += schema_errors(doc, option, value, where, strict)
    return problems


def _scalar_errors(schema, value, where):
    """`const`, `enum`, a string's length and pattern, a number's range."""
    problems = []
    if "const" in schema and value != schema["const"]:
        problems.append(f"{where}: {value!r} is not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} is not one of {schema['enum']}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", len(value)):
            problems.append(f"{where}: length {len(value)} is outside the documented limits")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            problems.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if _TYPES["number"](value) and (value < schema.get("minimum", value) or value > schema.get("maximum", value)):
        problems.append(f"{where}: {value!r} is outside the documented range")
    return problems


def _array_errors(doc, schema, value, where, strict):
    """A list's number of items and each item against `items`."""
    problems = []
    if not schema.get("minItems", 0) <= len(value) <= schema.get("maxItems", len(value)):
        problems.append(f"{where}: {len(value)} items is outside the documented limits")
    if "items" in schema:
        for index, item in enumerate(value):
            problems += schema_errors(doc, schema["items"], item, f"{where}[{index}]", strict)
    return problems


def _object_errors(doc, schema, value, where, strict):
    """A dict's required keys, each documented key's value, and keys the document does not name."""
    properties = schema.get("properties", {})
    problems = [f"{where}: required key '{key}' is missing" for key in schema.get("required", []) if key not in value]
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


def for_caller(doc, schema, caller):
    """The part of `schema` meant for `caller` ("kiosk", "host", "manager"): the option of a
    caller-dependent `oneOf` that is that caller's view of a visit, else `schema` itself."""
    options = resolve(doc, schema).get("oneOf")
    if not options or caller is None:
        return schema
    picked = [option for option in options if option.get("$ref") == VIEW_OF[caller]]
    assert len(picked) == 1, f"the oneOf {options} offers no single {VIEW_OF[caller]} for a {caller}"
    return picked[0]


def assert_fits_caller(doc, schema, value, what, caller):
    """`value` fits the document as a whole (exactly one view of a `oneOf`) and the view meant for `caller`."""
    assert_fits(doc, schema, value, what)
    if caller is not None:
        assert_fits(doc, for_caller(doc, schema, caller), value, f"{what} (as a {caller} sees it)")


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


# --- real answers against the document ----------------------------------------------------------

def check(doc, response, method, template, caller=None):
    """Assert `response` is a documented answer of `method template` and return its JSON.

    `caller` ("kiosk", "host" or "manager") is who asked: an answer that depends on it
    (a `oneOf` of views) must fit the view documented for that caller."""
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
    body = response.get_json() if response.is_json else response.get_data(as_text=True)
    schema = content[response.mimetype]["schema"]
    assert caller or "oneOf" not in resolve(doc, schema), f"{method.upper()} {template} {status}: say who asked"
    assert_fits_caller(doc, schema, body, f"{method.upper()} {template} {status}", caller)
    return body


def error_check(doc, response, method, template, status, code, field=None):
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True)[:200])
    body = check(doc, response, method, template)
    assert body["error"]["code"] == code
    assert body["error"].get("field") == field
    return body


def csv_columns(doc):
    return doc["paths"]["/stats.csv"]["get"]["responses"]["200"]["content"]["text/csv"]["x-columns"]
