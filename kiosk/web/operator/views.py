"""The operator's pages (/operator: sign in with the token, see every site, create a
site with its first manager) and the sites API (GET/POST /api/v1/sites, operators only).

Managers never reach these: their credentials are refused here (403), and an
operator's credential is refused everywhere else.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, session, url_for

from kiosk.domain import operators
from kiosk.web.admin.base import admin_api, services
from kiosk.web.api.visits import json_body
from kiosk.domain.auth import ROLES, principal_for_session
from kiosk.web.errors import ApiError
from kiosk.domain.lockout import SignInLocked

operator_pages = Blueprint("operator", __name__, url_prefix="/operator", template_folder="templates")


def _timezones() -> bool:
    """Whether sites keep settings of their own (a time zone among them)."""
    return hasattr(services().store, "put_site_setting")


# ------------------------------------------------------------------ pages

def _sites_page(operator, status: int = 200, **context):
    context.setdefault("form", {"name": "", "manager_name": "", "timezone": ""})
    context.setdefault("errors", {})
    page = render_template("operator.html", operator=operator, sites=operators.sites(services().store),
                           timezones=_timezones(), **context)
    return page, status


@operator_pages.get("")
def sites_page():
    operator = operators.operator_for_session(services().store, session)
    if operator is None:
        return redirect(url_for("operator.login"))
    return _sites_page(operator)


@operator_pages.post("/sites")
def create_site_form():
    operator = operators.operator_for_session(services().store, session)
    if operator is None:
        return redirect(url_for("operator.login"))
    form = {key: request.form.get(key, "") for key in ("name", "manager_name", "timezone")}
    s = services()
    try:
        created = operators.create_site(s.store, s.clock, operator, form, timezones=_timezones())
    except operators.SiteInputError as error:
        return _sites_page(operator, 400, form=form, errors={error.field: error.message})
    return _sites_page(operator, 201, created=created)


@operator_pages.route("/login", methods=["GET", "POST"])
def login():
    """An operator signs this browser in with their token (made by `gastgeber operator add`)."""
    if request.method == "GET":
        return render_template("operator_login.html", error=None)
    s = services()
    try:
        s.signin_guard.check(None, request.remote_addr)
    except SignInLocked as locked:
        page = render_template("operator_login.html", error=str(locked))
        return page, 429, {"Retry-After": str(locked.retry_after_seconds)}
    token = request.form.get("token", "").strip()
    if operators.operator_for_token(s.store, token) is None:
        s.signin_guard.failed(None, request.remote_addr)
        return render_template("operator_login.html", error="This is not a valid operator token."), 401
    operators.sign_in_operator(session, token)
    return redirect(url_for("operator.sites_page"))


@operator_pages.post("/logout")
def logout():
    operators.sign_out_operator(session)
    return redirect(url_for("operator.login"))


# ------------------------------------------------------------------ API

def authenticate_operator():
    """The operator asking, by bearer token or the operator's browser session."""
    store = services().store
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        token = token.strip() if scheme.lower() == "bearer" else None
        operator = operators.operator_for_token(store, token)
        if operator is None:
            if operators.is_site_credential(store, token):
                raise ApiError(403, "only an operator may do this")
            raise ApiError(401, "the bearer token is missing, unknown or revoked")
        return operator
    operator = operators.operator_for_session(store, session)
    if operator is None:
        if any(principal_for_session(store, session, role) for role in ROLES):
            raise ApiError(403, "only an operator may do this")
        raise ApiError(401, "sign in as an operator, or send 'Authorization: Bearer <token>'")
    if request.method == "POST" and not request.is_json:
        raise ApiError(415, "send the request as application/json")
    return operator


@admin_api.get("/sites")
def list_sites():
    """Every site on this server (operators only)."""
    authenticate_operator()
    return jsonify({"sites": operators.sites(services().store)})


@admin_api.post("/sites")
def create_site():
    """A new site and its first manager, whose token is in this answer only (operators only)."""
    operator = authenticate_operator()
    body = json_body()
    if not isinstance(body, dict):
        raise ApiError(400, "the body must be a JSON object", code="invalid_json")
    s = services()
    try:
        created = operators.create_site(s.store, s.clock, operator, body, timezones=_timezones())
    except operators.SiteInputError as error:
        raise ApiError(400, error.message, field=error.field) from None
    return jsonify(created), 201
