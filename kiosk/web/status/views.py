"""The status link's page and its JSON: thin handlers over StatusLinks."""

from __future__ import annotations

import functools

from flask import jsonify, render_template, request
from flask_babel import force_locale

from kiosk.domain.frontdesk import FEEDBACK_RATINGS
from kiosk.domain.status_link import AWAY_MINUTES
from kiosk.web import i18n
from kiosk.web.brand import shop_face
from kiosk.web.common import ApiError, json_body, services
from kiosk.web.status import status


@functools.cache
def _texts(language: str) -> dict:
    """The page's texts in one language (English filling gaps), for its script."""
    texts = i18n.catalogue("en") | i18n.catalogue(language)
    return {key: text for key, text in texts.items() if key.startswith("status.") or key == "kiosk.thanks"}


def _links():
    """The status links, once this address is within its rate limit."""
    services().status_limiter.hit(request.remote_addr)
    return services().status_links


@status.get("/v/<token>")
def status_page(token: str):
    links = _links()
    visit = links.visit_for_token(token)
    language = visit["language"] if visit["language"] in i18n.available_languages() else None
    language = language or services().site_settings.for_site(visit["site_id"])["default_language"]
    with force_locale(language):
        return render_template("status.html", token=token, language=language, texts=_texts(language),
                               face=shop_face(visit["site_id"]),
                               status=links.status_of(visit))


@status.get("/status/<token>")
def read_status(token: str):
    return jsonify(_links().status(token))


@status.post("/status/<token>/leave")
def leave(token: str):
    return jsonify(_links().leave(token))


@status.post("/status/<token>/away")
def step_out(token: str):
    links = _links()
    body = json_body()
    minutes = body.get("minutes") if isinstance(body, dict) else None
    if isinstance(minutes, bool) or minutes not in AWAY_MINUTES:
        raise ApiError(400, "'minutes' must be 5, 10 or 15", field="minutes")
    return jsonify(links.step_out(token, minutes))


@status.post("/status/<token>/feedback")
def give_feedback(token: str):
    links = _links()
    body = json_body()
    rating = body.get("rating") if isinstance(body, dict) else None
    if isinstance(rating, bool) or rating not in FEEDBACK_RATINGS:
        raise ApiError(400, "'rating' must be 1 (unhappy), 2 (neutral) or 3 (happy)", field="rating")
    return jsonify(links.give_feedback(token, rating)), 201
