"""Webhooks in the admin area: the page /admin/webhooks and the managers' API /api/v1/webhooks.

Both go through kiosk/webhooks.py (`Webhooks`), which validates, records each change
in the audit log and never hands out a secret except right after it was made.
"""

from __future__ import annotations

from flask import abort, current_app, jsonify, redirect, request, url_for

from kiosk.web.admin.base import admin, admin_api, render_admin, signed_in_manager
from kiosk.web.api.visits import authenticate, json_body
from kiosk.web.errors import ApiError
from kiosk.domain.webhooks import EVENTS, WebhookNotFound, WebhookRefused, public_webhook

PAGE_DELIVERIES = 10
API_DELIVERIES_MAX = 100

def hooks():
    return current_app.extensions["gastgeber"].webhooks


# --- the page -------------------------------------------------------------------------------------

def _page(principal, *, status: int = 200, form=None, errors=None, secret=None, notice=None):
    endpoints = hooks().of_site(principal.site_id)
    for endpoint in endpoints:
        endpoint["deliveries"] = hooks().deliveries(principal, endpoint["id"], PAGE_DELIVERIES)
    form = form or {"url": "", "events": list(EVENTS), "active": True}
    return render_admin("admin_webhooks.html", principal, endpoints=endpoints, all_events=EVENTS, form=form,
                        errors=errors or {}, secret=secret, notice=notice,
                        allow_http=hooks().settings.get("webhooks_allow_http_loopback", False)), status


@admin.get("/webhooks")
def webhooks_page():
    principal = signed_in_manager()
    notices = {"tested": "A test event is on its way; its delivery appears below.",
               "paused": "The webhook is paused: it gets no new events.",
               "resumed": "The webhook is active again.", "deleted": "The webhook was removed."}
    return _page(principal, notice=notices.get(request.args.get("done", "")))


@admin.post("/webhooks")
def add_webhook_form():
    principal = signed_in_manager()
    form = {"url": request.form.get("url", ""), "events": request.form.getlist("events"),
            "active": request.form.get("active") == "on"}
    try:
        webhook, secret = hooks().register(principal, form["url"], form["events"], form["active"])
    except WebhookRefused as refused:
        return _page(principal, status=400, form=form, errors={refused.field: refused.message})
    return _page(principal, status=201, secret={"webhook": webhook, "value": secret, "new": True})


@admin.post("/webhooks/<int:webhook_id>/rotate")
def rotate_secret_form(webhook_id: int):
    principal = signed_in_manager()
    webhook, secret = _or_404(lambda: hooks().update(principal, webhook_id, rotate_secret=True))
    return _page(principal, secret={"webhook": webhook, "value": secret, "new": False})


@admin.post("/webhooks/<int:webhook_id>/test")
def test_webhook_form(webhook_id: int):
    principal = signed_in_manager()
    _or_404(lambda: hooks().send_test(principal, webhook_id))
    return redirect(url_for("admin.webhooks_page", done="tested") + f"#webhook-{webhook_id}", 303)


@admin.post("/webhooks/<int:webhook_id>/active")
def pause_or_resume_form(webhook_id: int):
    principal = signed_in_manager()
    active = request.form.get("active") == "true"
    _or_404(lambda: hooks().update(principal, webhook_id, active=active))
    return redirect(url_for("admin.webhooks_page", done="resumed" if active else "paused") + f"#webhook-{webhook_id}",
                    303)


@admin.post("/webhooks/<int:webhook_id>/delete")
def delete_webhook_form(webhook_id: int):
    principal = signed_in_manager()
    _or_404(lambda: hooks().delete(principal, webhook_id))
    return redirect(url_for("admin.webhooks_page", done="deleted"), 303)


def _or_404(action):
    try:
        return action()
    except WebhookNotFound:
        abort(404)


# --- the API --------------------------------------------------------------------------------------

def _api_call(action):
    try:
        return action()
    except WebhookNotFound as missing:
        raise ApiError(404, f"no webhook {missing.args[0]} on this site") from None
    except WebhookRefused as refused:
        raise ApiError(400, refused.message, field=refused.field) from None


def _object_body() -> dict:
    if request.headers.get("Authorization") is None and not request.is_json:
        raise ApiError(415, "send the request as application/json")  # a cookie's write must be JSON
    body = json_body()
    if not isinstance(body, dict):
        raise ApiError(400, "the body must be a JSON object")
    return body


@admin_api.get("/webhooks")
def list_webhooks():
    """The site's endpoints (never their secrets)."""
    principal = authenticate("manager")
    return jsonify({"webhooks": hooks().of_site(principal.site_id)})


@admin_api.post("/webhooks")
def create_webhook():
    """Register an endpoint; the answer holds its signing secret, this once."""
    principal = authenticate("manager")
    body = _object_body()
    webhook, secret = _api_call(lambda: hooks().register(
        principal, body.get("url"), body.get("events", list(EVENTS)), body.get("active", True)))
    return jsonify({"webhook": webhook, "secret": secret}), 201


@admin_api.patch("/webhooks/<int:webhook_id>")
def change_webhook(webhook_id: int):
    """Change URL, events or active; `rotate_secret: true` answers with a new secret, this once."""
    principal = authenticate("manager")
    body = _object_body()
    unknown = sorted(set(body) - {"url", "events", "active", "rotate_secret"})
    if unknown:
        raise ApiError(400, f"unknown field '{unknown[0][:40]}'", field=unknown[0][:40])
    webhook, secret = _api_call(lambda: hooks().update(
        principal, webhook_id, url=body.get("url"), events=body.get("events"), active=body.get("active"),
        rotate_secret=body.get("rotate_secret", False)))
    answer = {"webhook": webhook}
    if secret is not None:
        answer["secret"] = secret
    return jsonify(answer)


@admin_api.delete("/webhooks/<int:webhook_id>")
def delete_webhook(webhook_id: int):
    """Remove an endpoint with its delivery log; answers with what was removed."""
    principal = authenticate("manager")
    webhook = _api_call(lambda: hooks().get(principal, webhook_id))
    _api_call(lambda: hooks().delete(principal, webhook_id))
    return jsonify({"webhook": public_webhook(webhook)})


@admin_api.get("/webhooks/<int:webhook_id>/deliveries")
def list_deliveries(webhook_id: int):
    """The endpoint's latest deliveries, newest first, each with every attempt."""
    principal = authenticate("manager")
    text = request.args.get("limit", "20")
    if not (text.isascii() and text.isdigit() and len(text) < 6 and 1 <= int(text) <= API_DELIVERIES_MAX):
        raise ApiError(400, f"'limit' must be a whole number from 1 to {API_DELIVERIES_MAX}", field="limit")
    return jsonify({"deliveries": _api_call(lambda: hooks().deliveries(principal, webhook_id, int(text)))})


@admin_api.post("/webhooks/<int:webhook_id>/test")
def send_test_event(webhook_id: int):
    """Queue a `webhook.test` event for the endpoint; the worker sends it within a second or so."""
    principal = authenticate("manager")
    return jsonify({"delivery": _api_call(lambda: hooks().send_test(principal, webhook_id))}), 202
