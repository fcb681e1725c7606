"""The manager's stats page and the live floor view (a wall screen).

Figures are rendered on the server, so the page reads well without JavaScript; the
charts draw from the same numbers through /api/v1/stats.
"""

from __future__ import annotations

import functools

from babel.dates import get_day_names
from flask import redirect, render_template, request, session, url_for
from flask_babel import get_locale

from kiosk.domain.assignment import REASONS
from kiosk.domain.errors import Invalid
from kiosk.web import i18n
from kiosk.web.common import ApiError, services, signed_in
from kiosk.web.stats import stats_pages
from kiosk.web.stats.api import stats_for_request
from kiosk.web.token_signin import token_sign_in


def _manager_page(then: str):
    return signed_in("manager", lambda: url_for("stats.login", next=then))


def _reader() -> dict:
    """What the pages need to speak the reader's language: weekday names (Monday first) and
    the texts their scripts show ("stats.js.*", English filling gaps) for the page's #stats-texts."""
    locale = get_locale()
    return {
        "day_names": [get_day_names("wide", locale=locale)[day] for day in range(7)],
        "day_abbreviations": [get_day_names("abbreviated", locale=locale)[day] for day in range(7)],
        "script_texts": _script_texts(str(locale.language) if locale else "en"),
    }


@functools.cache
def _script_texts(language: str) -> dict[str, str]:
    """The catalogues are read once per process: they change only with a restart."""
    texts = i18n.catalogue("en") | (i18n.catalogue(language) if language in i18n.available_languages() else {})
    return {key: text for key, text in texts.items() if key.startswith("stats.js.")}


@stats_pages.get("/stats")
@_manager_page("stats")
def stats_page(principal):
    settings = services().site_settings.for_site(principal.site_id)
    try:
        figures, error = stats_for_request(principal), None
    except (ApiError, Invalid) as problem:
        figures, error = None, problem.message
    return render_template(
        "stats.html", figures=figures, error=error, manager={"name": principal.name, "site": principal.site},
        filters={key: request.args.get(key, "") for key in ("from", "to", "host_id", "reason")},
        hosts=[{"id": row["id"], "name": row["name"]} for row in services().store.active_hosts(principal.site_id)],
        reasons=list(REASONS),
        stats_config={"acknowledge_target_seconds": settings["acknowledge_target_seconds"],
                      "greet_target_seconds": settings["greet_target_seconds"], "timezone": settings["timezone"]},
        **_reader(),
    )


@stats_pages.get("/stats/live")
@_manager_page("live")
def live_page(principal):
    settings = services().site_settings.for_site(principal.site_id)
    return render_template(
        "stats_live.html", manager={"name": principal.name, "site": principal.site},
        live_config={"show_names": settings["live_view_shows_names"], "timezone": settings["timezone"],
                     "acknowledge_target_seconds": settings["acknowledge_target_seconds"],
                     "greet_target_seconds": settings["greet_target_seconds"]},
        **_reader(),
    )


@stats_pages.route("/stats/login", methods=["GET", "POST"])
def login():
    """A manager signs this browser in with their manager token, once per session."""
    target = "stats.live_page" if request.args.get("next") == "live" else "stats.stats_page"
    if request.method == "GET":
        return render_template("stats_login.html", error=None)
    return token_sign_in("manager", "stats_login.html", url_for(target))


@stats_pages.post("/stats/logout")
def logout():
    services().sessions.sign_out(session, "manager")
    return redirect(url_for("stats.login"), 303)
