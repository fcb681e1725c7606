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
