"""Webhooks in the admin area: the page /admin/webhooks and the managers' API /api/v1/webhooks.

Both go through the domain's `Webhooks` (kiosk/domain/webhooks.py), which validates, records each change
in the audit log and never hands out a secret except right after it was made.
"""

from __future__ import annotations

from flask import jsonify, redirect, request, url_for
from flask_babel import gettext

from kiosk.domain.errors import Conflict, Invalid
from kiosk.domain.webhooks import EVENTS, public_webhook
from kiosk.web.admin import admin, admin_api, manager_page, render_admin
from kiosk.web.common import ApiError, int_arg, json_object, requires, see_other, services, take_notice
from kiosk.web.i18n import texts_under

PAGE_DELIVERIES = 10
DONE = {"tested": "webhooks.done_tested", "paused": "webhooks.done_paused", "resumed": "webhooks.done_resumed",
        "deleted": "webhooks.done_deleted"}
API_DELIVERIES_MAX = 100


def hooks():
    return services().webhooks


# --- the page -------------------------------------------------------------------------------------

def _page(principal, *, status: int = 200, form=None, errors=None, secret=None, notice=None):
    endpoints = hooks().of_site(principal.site_id)
    for endpoint in endpoints:
        endpoint["deliveries"] = hooks().deliveries(principal, endpoint["id"], PAGE_DELIVERIES)
    form = form or {"url": "", "events": list(EVENTS), "active": True}
    return render_admin("admin_webhooks.html", principal, endpoints=endpoints, all_events=EVENTS, form=form,
                        errors=errors or {}, secret=secret, notice=notice, script_texts=texts_under("webhooks.js."),
                        allow_http=hooks().settings.get("webhooks_allow_http_loopback", False),
                        most=hooks().settings["webhooks_per_site_max"]), status


WEBHOOKS_PAGE = "admin.webhooks_page"


@admin.get("/webhooks")
@manager_page
def webhooks_page(principal):
    done = DONE.get(request.args.get("done", ""))
    return _page(principal, notice=gettext(done) if done else None, secret=take_notice(WEBHOOKS_PAGE).get("secret"))


def _show_secret(webhook: dict, secret: str, new: bool):
    """Back to the page, which shows the signing secret once."""
    shown = {"webhook": {"id": webhook["id"], "url": webhook["url"]}, "value": secret, "new": new}
    return see_other(url_for(WEBHOOKS_PAGE) + f"#webhook-{webhook['id']}", {"secret": shown}, WEBHOOKS_PAGE)


@admin.post("/webhooks")
@manager_page
def add_webhook_form(principal):
    form = {"url": request.form.get("url", ""), "events": request.form.getlist("events"),
            "active": request.form.get("active") == "on"}
    try:
        webhook, secret = hooks().register(principal, form["url"], form["events"], form["active"])
    except Invalid as refused:
        return _page(principal, status=400, form=form, errors={refused.field: refused.message})
    except Conflict as full:  # the site has as many webhooks as it may
        return _page(principal, status=409, form=form, errors={"limit": full.message})
    return _show_secret(webhook, secret, new=True)


@admin.post("/webhooks/<id:webhook_id>/rotate")
@manager_page
def rotate_secret_form(principal, webhook_id: int):
    webhook, secret = hooks().update(principal, webhook_id, rotate_secret=True)
    return _show_secret(webhook, secret, new=False)


@admin.post("/webhooks/<id:webhook_id>/test")
@manager_page
def test_webhook_form(principal, webhook_id: int):
    hooks().send_test(principal, webhook_id)
    return redirect(url_for("admin.webhooks_page", done="tested") + f"#webhook-{webhook_id}", 303)


@admin.post("/webhooks/<id:webhook_id>/active")
@manager_page
def pause_or_resume_form(principal, webhook_id: int):
    active = request.form.get("active") == "true"
    hooks().update(principal, webhook_id, active=active)
    return redirect(url_for("admin.webhooks_page", done="resumed" if active else "paused") + f"#webhook-{webhook_id}",
                    303)


@admin.post("/webhooks/<id:webhook_id>/delete")
@manager_page
def delete_webhook_form(principal, webhook_id: int):
    hooks().delete(principal, webhook_id)
    return redirect(url_for("admin.webhooks_page", done="deleted"), 303)


# --- the API --------------------------------------------------------------------------------------

@admin_api.get("/webhooks")
@requires("manager")
def list_webhooks(principal):
    """The site's endpoints (never their secrets)."""
    return jsonify({"webhooks": hooks().of_site(principal.site_id)})


@admin_api.post("/webhooks")
@requires("manager")
def create_webhook(principal):
    """Register an endpoint; the answer holds its signing secret, this once."""
    body = json_object()
    webhook, secret = hooks().register(principal, body.get("url"), body.get("events", list(EVENTS)),
                                       body.get("active", True))
    return jsonify({"webhook": webhook, "secret": secret}), 201


@admin_api.patch("/webhooks/<id:webhook_id>")
@requires("manager")
def change_webhook(principal, webhook_id: int):
    """Change URL, events or active; `rotate_secret: true` answers with a new secret, this once."""
    body = json_object()
    unknown = sorted(set(body) - {"url", "events", "active", "rotate_secret"})
    if unknown:
        raise ApiError(400, f"unknown field '{unknown[0][:40]}'", field=unknown[0][:40])
    webhook, secret = hooks().update(principal, webhook_id, url=body.get("url"), events=body.get("events"),
                                     active=body.get("active"), rotate_secret=body.get("rotate_secret", False))
    answer = {"webhook": webhook}
    if secret is not None:
        answer["secret"] = secret
    return jsonify(answer)


@admin_api.delete("/webhooks/<id:webhook_id>")
@requires("manager")
def delete_webhook(principal, webhook_id: int):
    """Remove an endpoint with its delivery log; answers with what was removed."""
    webhook = hooks().get(principal, webhook_id)
    hooks().delete(principal, webhook_id)
    return jsonify({"webhook": public_webhook(webhook)})


@admin_api.get("/webhooks/<id:webhook_id>/deliveries")
@requires("manager")
def list_deliveries(principal, webhook_id: int):
    """The endpoint's latest deliveries, newest first, each with every attempt."""
    limit = int_arg("limit", default=20, low=1, high=API_DELIVERIES_MAX)
    return jsonify({"deliveries": hooks().deliveries(principal, webhook_id, limit)})


@admin_api.post("/webhooks/<id:webhook_id>/test")
@requires("manager")
def send_test_event(principal, webhook_id: int):
    """Queue a `webhook.test` event for the endpoint; the worker sends it within a second or so."""
    return jsonify({"delivery": hooks().send_test(principal, webhook_id)}), 202
