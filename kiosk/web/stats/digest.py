"""The manager's weekly digest: the page /stats/digest (on or off, the weekday and hour, where it goes,
a test digest per channel, the preview as a chat message and as the e-mail), and GET/PUT
/api/v1/digest with its channels.

A test digest is queued (POST → 303 → GET) and sent by the digest outbox's sender; the page says
per channel what became of the newest one, and static/js/digest_page.js keeps saying it from
GET /api/v1/digest until it is delivered or failed.

The preview is the digest of the manager's latest digest day, in the reader's language, read
off the event loop like the stats (kiosk/domain/digest.py, kiosk/domain/digest_outbox.py).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Response, jsonify, render_template, request, url_for
from flask_babel import get_locale

from kiosk.clock import from_iso
from kiosk.domain import digest
from kiosk.domain.errors import Conflict, Invalid, RateLimited
from kiosk.web.common import json_object, requires, retry_after, see_other, services, signed_in
from kiosk.web.i18n import texts_under
from kiosk.web.refusals import field_errors, in_readers_words
from kiosk.web.stats import stats_api, stats_pages
from kiosk.web.stats.pages import _reader as reader

PAGE = "stats.digest_page"
# The e-mail as the preview shows it: its own inline styles, its chart from this server, nothing else.
EMAIL_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'"


def _manager_page(view):
    return signed_in("manager", lambda: url_for("stats.login"))(view)


def _language() -> str:
    locale = get_locale()
    return str(locale.language) if locale else "en"


def _number(typed: str) -> int | str:
    """A small number as typed in a form; anything else as it is, for the domain to refuse."""
    return int(typed) if typed.isdigit() and len(typed) < 3 else typed


def _preview(principal, *, chart: bool = False, chart_src: str | None = None) -> dict:
    """The manager's latest digest, in the reader's language."""
    digests = services().digests
    day = digests.preview_day(principal)
    figures = _figures_of(principal)(day)
    return {"week": day.week, "figures": figures,
            **digests.rendered(principal.site_id, figures, _language(), chart=chart, chart_src=chart_src)}


def _figures_of(principal):
    """The digest's figures of a day, read in the reading process like the stats."""
    settings = services().site_settings.for_site(principal.site_id)
    return lambda day: services().slow_reads.run(lambda store: digest.figures(store, principal.site_id, day, settings))


def _test_result(channel: dict, texts: dict, zone: ZoneInfo) -> str | None:
    """What became of the channel's newest test digest, in the page's words (the same texts the
    page's script redraws it with)."""
    test = channel["last_test"]
    if test is None:
        return None
    delivery = test["delivery"] or {}
    values = {"at": _clock_time(test["asked_at"], zone), "ms": delivery.get("ms"), "error": delivery.get("error")}
    text = texts.get(f"test_{test['state']}", "")
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def _clock_time(iso: str, zone: ZoneInfo) -> str:
    return datetime.astimezone(from_iso(iso), zone).strftime("%H:%M:%S")


def _page(principal, status: int = 200, *, errors: dict | None = None, typed: dict | None = None,
          headers: dict | None = None):
    choice, texts = services().digests.choice(principal), texts_under("digest_page.js.")
    zone = ZoneInfo(choice["timezone"])
    tests = {channel["id"]: _test_result(channel, texts, zone) for channel in choice["channels"]}
    return render_template(
        "stats_digest.html", manager={"name": principal.name, "site": principal.site},
        choice=choice, tests=tests, preview=_preview(principal), errors=errors or {},
        typed=typed or {}, saved=request.args.get("saved") == "1", digest_texts=texts, **reader()), status, \
        headers or {}


@stats_pages.get("/stats/digest")
@_manager_page
def digest_page(principal):
    return _page(principal)


@stats_pages.post("/stats/digest")
@_manager_page
def save_digest(principal):
    body = {"enabled": request.form.get("enabled") == "1",
            **{field: _number(request.form[field]) for field in ("weekday", "hour") if field in request.form}}
    try:
        services().digests.choose(principal, body)
    except Invalid as error:
        return _page(principal, 400, errors=field_errors(error))
    return see_other(url_for(PAGE, saved=1))


@stats_pages.post("/stats/digest/channels")
@_manager_page
def add_digest_channel(principal):
    typed = {field: request.form.get(field, "") for field in ("url", "label")}
    try:
        services().digests.add_channel(principal, {"url": typed["url"], "label": typed["label"] or None})
    except Invalid as error:
        return _page(principal, 400, errors=field_errors(error), typed=typed)
    except Conflict as full:
        return _page(principal, 409, errors={"url": in_readers_words(full)}, typed=typed)
    return see_other(url_for(PAGE, saved=1) + "#channels")


@stats_pages.post("/stats/digest/channels/<id:channel_id>/remove")
@_manager_page
def remove_digest_channel(principal, channel_id: int):
    services().digests.remove_channel(principal, channel_id)
    return see_other(url_for(PAGE) + "#channels")


@stats_pages.post("/stats/digest/channels/<id:channel_id>/test")
@_manager_page
def test_digest_channel(principal, channel_id: int):
    """Send the preview's digest, marked as a test, to this one channel now."""
    try:
        services().digests.send_test(principal, channel_id, figures_of=_figures_of(principal))
    except RateLimited as too_soon:
        return _page(principal, 429, errors={f"test-{channel_id}": in_readers_words(too_soon)},
                     headers=retry_after(too_soon))
    return see_other(url_for(PAGE) + f"#digest-channel-{channel_id}")


@stats_pages.get("/stats/digest/email")
@_manager_page
def digest_email(principal):
    """The e-mail as it would arrive, its chart from /stats/digest/chart.png."""
    made = _preview(principal, chart_src=url_for("stats.digest_chart"))
    return Response(made["html"], mimetype="text/html", headers={"Content-Security-Policy": EMAIL_POLICY})


@stats_pages.get("/stats/digest/chart.png")
@_manager_page
def digest_chart(principal):
    return Response(_preview(principal, chart=True)["chart_png"], mimetype="image/png")


# ---------------------------------------------------------------- the API

@stats_api.get("/digest")
@requires("manager")
def get_digest(principal):
    return jsonify({"digest": services().digests.choice(principal)})


@stats_api.put("/digest")
@requires("manager")
def put_digest(principal):
    return jsonify({"digest": services().digests.choose(principal, json_object())})


@stats_api.post("/digest/channels")
@requires("manager")
def add_digest_channel_api(principal):
    return jsonify({"channel": services().digests.add_channel(principal, json_object())}), 201


@stats_api.delete("/digest/channels/<id:channel_id>")
@requires("manager")
def remove_digest_channel_api(principal, channel_id: int):
    services().digests.remove_channel(principal, channel_id)
    return "", 204


@stats_api.post("/digest/channels/<id:channel_id>/test")
@requires("manager")
def test_digest_channel_api(principal, channel_id: int):
    """Queue a test digest for the channel; its `last_test` says what became of it."""
    channel = services().digests.send_test(principal, channel_id, figures_of=_figures_of(principal))
    return jsonify({"channel": channel}), 202


@stats_api.get("/digest/preview")
@requires("manager")
def preview_digest(principal):
    """The manager's latest digest as its channels would get it: subject, text and figures."""
    made = _preview(principal)
    return jsonify({"preview": {key: made[key] for key in ("week", "subject", "text", "figures")}})
