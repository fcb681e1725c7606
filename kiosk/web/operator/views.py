"""The operator's pages and the sites API; the rules are in kiosk/domain/operators.py."""

from __future__ import annotations

import functools

from flask import jsonify, render_template, request, session, url_for

from kiosk.domain import head_office, operators
from kiosk.domain.auth import OPERATOR
from kiosk.domain.errors import Invalid
from kiosk.web.common import json_object, requires, see_other, services, signed_in, take_notice
from kiosk.web.operator import operator_api, operator_pages
from kiosk.web.token_signin import token_sign_in

operator_page = signed_in(OPERATOR, lambda: url_for("operator.login"))


def _sites_page(operator, status: int = 200, **context):
    context.setdefault("form", {"name": "", "manager_name": "", "timezone": ""})
    context.setdefault("errors", {})
    page = render_template("operator.html", operator=operator, sites=operators.sites(services().store),
                           timezones=True, **context)
    return page, status


SITES_PAGE = "operator.sites_page"


@operator_pages.get("")
@operator_page
def sites_page(operator):
    return _sites_page(operator, created=take_notice(SITES_PAGE).get("created"))


@operator_pages.post("/sites")
@operator_page
def create_site_form(operator):
    form = {key: request.form.get(key, "") for key in ("name", "manager_name", "timezone")}
    s = services()
    try:
        created = operators.create_site(s.store, s.clock, operator, form)
    except Invalid as error:
        return _sites_page(operator, 400, form=form, errors={error.field: error.message})
    shown = {"site": {"name": created["site"]["name"]}, "manager": created["manager"]}
    return see_other(url_for(SITES_PAGE), {"created": shown}, SITES_PAGE)


@operator_pages.route("/login", methods=["GET", "POST"])
def login():
    """An operator signs this browser in with their token (made by `gastgeber operator add`)."""
    if request.method == "GET":
        return render_template("operator_login.html", error=None)
    return token_sign_in(OPERATOR, "operator_login.html", url_for("operator.sites_page"))


@operator_pages.post("/logout")
def logout():
    services().sessions.sign_out(session, OPERATOR)
    return see_other(url_for("operator.login"))


@operator_api.get("/sites")
@requires(OPERATOR)
def list_sites(_operator):
    """Every site on this server (operators only)."""
    return jsonify({"sites": operators.sites(services().store)})


@operator_api.post("/sites")
@requires(OPERATOR)
def create_site(operator):
    """A new site and its first manager, whose token is in this answer only (operators only)."""
    s = services()
    return jsonify(operators.create_site(s.store, s.clock, operator, json_object())), 201


def _head_office(args) -> list[dict]:
    """Every site's row for the query's from/to, read in the reading process as a site's stats are
    (a picklable partial: its selections over millions of durations never hold the loop's GIL)."""
    s = services()
    settings_of = {site["id"]: s.site_settings.for_site(site["id"]) for site in operators.sites(s.store)}
    now = s.clock.now()  # read here: the rows are made on a worker thread, outside the app's context
    return s.slow_reads.run(functools.partial(head_office.all_rows, settings_of=settings_of, now=now,
                                              from_text=args.get("from") or None, to_text=args.get("to") or None))


@operator_api.get("/sites/stats")
@requires(OPERATOR)
def sites_stats(_operator):
    """Every site side by side over one window, each read in its own time zone (operators only)."""
    rows = head_office.sorted_rows(_head_office(request.args), request.args.get("sort"),
                                   request.args.get("order") == "desc")
    return jsonify({"sites": rows})


@operator_pages.get("/stats")
@operator_page
def stats_page(operator):
    args = request.args
    filters = {"from": args.get("from", ""), "to": args.get("to", ""), "sort": args.get("sort") or "name",
               "order": "desc" if args.get("order") == "desc" else "asc"}
    window_args = {key: filters[key] for key in ("from", "to") if filters[key]}  # kept by the sort links
    try:
        rows = head_office.sorted_rows(_head_office(args), filters["sort"], filters["order"] == "desc")
    except Invalid as error:
        return render_template("operator_stats.html", operator=operator, rows=[], filters=filters,
                               window_args=window_args, errors={error.field: error.message}), 400
    return render_template("operator_stats.html", operator=operator, rows=rows, filters=filters,
                           window_args=window_args, errors={})
