"""Every API route with the roles it serves (tests/web/test_roles.py tries each credential on each)."""

from __future__ import annotations

# path template, method, body, roles allowed (anything else: 401 without credentials, else 403/404)
ROUTES = [
    ("/checkins", "POST", {"name": "Zoë", "client_id": "roles-{n}"}, {"kiosk"}),
    ("/visits/{visit}", "GET", None, {"kiosk", "host", "manager"}),
    ("/visits?status=open", "GET", None, {"host", "manager"}),
    ("/visits/{visit}/acknowledge", "POST", None, {"host"}),
    ("/visits/{visit}/greet", "POST", None, {"host"}),
    ("/visits/{visit}/complete", "POST", {"note": "ok"}, {"host"}),
    ("/visits/{visit}/abandon", "POST", None, {"host"}),
    ("/visits/{visit}/feedback", "POST", {"rating": 3}, {"kiosk"}),
    ("/customers/{customer}/host", "POST", {"host_id": "{host}"}, {"host", "manager"}),
    ("/appointments", "POST", {"customer_name": "Jonas", "starts_at": "2026-11-24T10:00"}, {"host", "manager"}),
    ("/appointments", "GET", None, {"host", "manager"}),
    ("/appointments/{appointment}/cancel", "POST", None, {"host", "manager"}),
    ("/stats", "GET", None, {"manager"}),
    ("/audit", "GET", None, {"manager"}),
    ("/settings", "GET", None, {"manager"}),
    ("/hosts", "GET", None, {"manager"}),
    ("/managers", "GET", None, {"manager"}),
    ("/hosts/{host}/pin", "POST", None, {"manager"}),
    ("/kiosks", "GET", None, {"manager"}),
    ("/webhooks", "GET", None, {"manager"}),
    ("/push/subscriptions", "GET", None, {"host"}),
    ("/digest", "GET", None, {"manager"}),
    ("/digest/preview", "GET", None, {"manager"}),
]
ROUTE_IDS = [f"{method} {path}" for path, method, _, _ in ROUTES]


def fill(template, ids, n):
    """A route's path or body with the ids of real things (`{visit}`, `{host}` …) and `n` filled in."""
    if isinstance(template, dict):
        return {key: fill(value, ids, n) for key, value in template.items()}
    if isinstance(template, str):
        text = template.format(n=n, **ids)
        return int(text) if text.isdigit() and template.startswith("{") else text
    return template


# A 2 × 2 PNG: a form field given as bytes is sent as an uploaded file.
TINY_PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x02\x00\x00\x00\x02\x08\x02\x00\x00\x00\xfd\xd4\x9as"
            b"\x00\x00\x00\x16IDATx\x9cc\x94\xcf\x8fa```b`````\x00\x00\n\xe5\x00\xee\xca\xcc\xd8\xae\x00\x00\x00\x00"
            b"IEND\xaeB`\x82")

# Every browser form: path template, who is signed in (None: nobody), the form's fields, and
# what must exist first (`prepare` names a step of tests/web/test_forms.py). Every one answers
# a valid POST with 303 to a page (POST → redirect → GET), so a reload never sends it again.
FORMS = [
    ("/admin/login", None, {"name": "Maria", "pin": "{manager_pin}"}, None),
    ("/admin/team", "manager", {"name": "Lea", "languages": "de", "topics": "", "colour": "teal"}, None),
    ("/admin/team/{host}", "manager", {"name": "Ben K", "languages": "de", "topics": "", "colour": "teal"}, None),
    ("/admin/team/{host}/pin", "manager", {}, None),
    ("/admin/team/{host}/unlock", "manager", {}, None),
    ("/admin/team/{host}/deactivate", "manager", {}, None),
    ("/admin/team/{host}/activate", "manager", {}, "deactivate"),
    ("/admin/team/{host}/customers/move", "manager", {"to_host_id": "{other_host}"}, None),
    ("/admin/team/managers", "manager", {"name": "Mira"}, None),
    ("/admin/team/channels", "manager", {"host_id": "{host}", "url": "json://crm.example/notify", "when": "always",
                                         "label": ""}, None),
    ("/admin/team/managers/{colleague}/pin", "manager", {}, "colleague"),
    ("/admin/team/managers/{colleague}/end", "manager", {}, "colleague"),
    ("/admin/kiosks", "manager", {"name": "Side door"}, None),
    ("/admin/kiosks/{kiosk}/pairing-code", "manager", {}, None),
    ("/admin/kiosks/{kiosk}/unpair", "manager", {}, None),
    ("/admin/settings", "manager", {"reset": "escalate_after_seconds"}, None),
    ("/admin/settings/sms-channel", "manager", {"sms_url": "vonage://key:secret@4930123456"}, None),
    ("/admin/settings/sms-channel/test", "manager", {"sms_phone": "0171 2345678"}, "sms_channel"),
    ("/admin/settings/sms-channel/remove", "manager", {}, "sms_channel"),
    ("/admin/brand/logo", "manager", {"logo": TINY_PNG}, None),
    ("/admin/brand/logo/remove", "manager", {}, None),
    ("/admin/brand/accent", "manager", {"accent": "#7a1f5c"}, None),
    ("/admin/webhooks", "manager", {"url": "https://crm.example/in", "events": "visit.arrived", "active": "on"}, None),
    ("/admin/webhooks/{webhook}/active", "manager", {"active": "false"}, "webhook"),
    ("/admin/webhooks/{webhook}/delete", "manager", {}, "webhook"),
    ("/admin/webhooks/{webhook}/rotate", "manager", {}, "webhook"),
    ("/admin/webhooks/{webhook}/test", "manager", {}, "webhook"),
    ("/admin/language", "manager", {"language": "tr", "next": "/admin/team"}, None),
    ("/board/language", "host", {"language": "ar"}, None),
    ("/board/login", None, {"host_id": "{host}", "pin": "{host_pin}"}, None),
    ("/board/logout", "host", {}, None),
    ("/board/site", None, {"site": "main"}, None),
    ("/kiosk/pair", None, {"code": "{pairing_code}"}, "pairing_code"),
    ("/kiosk/setup", None, {"token": "{kiosk_token}"}, None),
    ("/operator/login", None, {"token": "{operator_token}"}, "operator"),
    ("/operator/logout", "operator", {}, "operator"),
    ("/operator/sites", "operator", {"name": "North", "manager_name": "Nina"}, "operator"),
    ("/operator/branches", "operator", {"name": "Hamburg"}, "operator"),
    ("/operator/branches/{branch}/token", "operator", {"action": "replace"}, "branch"),
    ("/setup", None, {"code": "{setup_code}", "site": "main", "timezone": "Europe/Berlin", "kiosk_languages": "de",
                      "default_language": "de", "name": "Selin", "pin": "482913", "pin_again": "482913"}, "first_run"),
    ("/stats/login", None, {"token": "{manager_token}"}, None),
    ("/stats/logout", "manager", {}, None),
    ("/stats/digest", "manager", {"enabled": "1", "weekday": "2", "hour": "17"}, None),
    ("/stats/digest/channels", "manager", {"url": "json://crm.example/digest", "label": ""}, None),
    ("/stats/digest/channels/{digest_channel}/remove", "manager", {}, "digest_channel"),
    ("/stats/digest/channels/{digest_channel}/test", "manager", {}, "digest_channel"),
]
FORM_IDS = [path for path, *_ in FORMS]
