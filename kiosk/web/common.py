"""What every area of the web layer shares: the services, who is asking, JSON bodies,
and the one place where refusals become answers.

An API view says who may call it with `@requires("host", "manager")` and receives
the caller as its first argument; a page says `@signed_in("manager", login)` and
gets the same, or the browser is sent to sign in. Views raise the domain's
refusals (kiosk/domain/errors.py) or `ApiError`; `init_app` maps each to the
contract's error shape under /api, and to a plain page elsewhere.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from flask import current_app, jsonify, redirect, render_template, request, session
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import BaseConverter

from kiosk.domain.auth import OPERATOR, ROLES, Principal, principal_for_token
from kiosk.domain.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited, Refused, Unauthorized, Unavailable

log = logging.getLogger(__name__)

# The contract's error codes, by HTTP status.
CODES = {
    400: "invalid_input", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
    429: "rate_limited", 503: "unavailable",
}
# Each kind of refusal and its answer; the first that matches wins (Locked is a RateLimited).
STATUS_OF = ((Invalid, 400), (Unauthorized, 401), (Forbidden, 403), (NotFound, 404), (Conflict, 409),
             (RateLimited, 429), (Unavailable, 503))


class IdConverter(BaseConverter):
    """`<id:visit_id>` in a route: a row's id, 1 to 18 digits (below 2^62); anything else (0,
    2^63, 99999999999999999999) matches no route at all (404), so no id the database cannot
    hold reaches a query. The bound is in the pattern itself: a converter that refused the
    number later would make the other methods' routes answer 405 instead."""

    regex = r"[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


def services():
    """The app's wired services (kiosk/wiring.py)."""
    return current_app.extensions["gastgeber"]


class ApiError(Exception):
    """A refusal the web layer finds itself: a bad query parameter, a body that is not JSON."""

    def __init__(self, status: int, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message
        self.field = field


def error_response(status: int, code: str, message: str, field: str | None = None, headers: dict | None = None):
    error = {"code": code, "message": message}
    if field is not None:
        error["field"] = field
    return jsonify({"error": error}), status, headers or {}


def status_of(refusal: Refused) -> int:
    return next(status for kind, status in STATUS_OF if isinstance(refusal, kind))


def retry_after(refusal: Refused) -> dict:
    """The Retry-After header a rate-limited or locked answer carries."""
    seconds = getattr(refusal, "retry_after_seconds", None)
    return {"Retry-After": str(seconds)} if seconds is not None else {}


# ------------------------------------------------------------------ who is asking

def authenticate(*roles: str) -> Principal:
    """The caller, who must hold one of `roles`: by bearer token, else by session cookie.

    A browser writing with its cookie must send JSON: a cross-site form cannot, which
    keeps CSRF out of the JSON API (forms carry CSRF tokens instead).
    """
    store = services().store
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        principal = principal_for_token(store, token.strip()) if scheme.lower() == "bearer" else None
        if principal is None:
            raise Unauthorized("the bearer token is missing, unknown or revoked")
    else:
        principal = _session_principal(roles)
        if request.method in ("POST", "PATCH", "PUT") and not request.is_json:
            raise ApiError(415, "send the request as application/json")
    if principal.role not in roles:
        refusal = f"only {_roles(roles)} may do this" if OPERATOR in roles else f"a {principal.role} may not do this"
        raise Forbidden(refusal)
    if principal.role == "kiosk":
        services().kiosk_contact.seen(principal.id)  # a kiosk's last contact, for the kiosks page
    return principal


def _session_principal(roles) -> Principal:
    sessions = services().sessions
    for role in roles:
        principal = sessions.principal(session, role)
        if principal is not None:
            return principal
    if OPERATOR in roles and any(sessions.principal(session, role) for role in ROLES):
        raise Forbidden("only an operator may do this")
    if OPERATOR in roles:
        raise Unauthorized("sign in as an operator, or send 'Authorization: Bearer <token>'")
    raise Unauthorized("sign in, or send 'Authorization: Bearer <token>'")


def _roles(roles) -> str:
    return " or ".join(f"an {role}" if role[0] in "aeiou" else f"a {role}" for role in roles)


def requires(*roles: str):
    """An API view for these roles; the caller is passed as the view's first argument."""

    def decorate(view):
        @functools.wraps(view)
        def with_caller(*args, **kwargs):
            return view(authenticate(*roles), *args, **kwargs)

        return with_caller

    return decorate


def signed_in(role: str, login: Callable[[], str]):
    """A page for a browser signed in as `role`; without one it is sent to `login()`."""

    def decorate(view):
        @functools.wraps(view)
        def with_caller(*args, **kwargs):
            principal = services().sessions.principal(session, role)
            if principal is None:
                return redirect(login())
            return view(principal, *args, **kwargs)

        return with_caller

    return decorate


# ------------------------------------------------------------------ forms: POST → 303 → GET

def see_other(url: str, notice: dict | None = None, page: str | None = None):
    """A form's answer: 303 to the page that shows the result, so a reload sends no form again.
    `notice` is what that page shows once (a new PIN, a token, a pairing code), kept sealed on
    the server for the next GET of `page` (domain/notices.py), never in the URL."""
    if notice is not None:
        services().notices.leave(session, page, notice)
    return redirect(url, 303)


def take_notice(page: str) -> dict:
    """What the last form left for `page` to show once ({} if nothing)."""
    return services().notices.take(session, page) or {}


# ------------------------------------------------------------------ JSON bodies

def json_body(*, optional: bool = False):
    """The request's JSON (None for an empty body when `optional`)."""
    if optional and not request.get_data(cache=True):
        return None
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # valid JSON nested deeper than the parser goes: not input anyone means
        body = None
    if body is None:
        raise ApiError(400, "the body must be valid JSON", code="invalid_json")
    return _whole_numbers(body)


def _whole_numbers(body):
    """JSON Schema (and so docs/openapi.json) counts 7.0 as an integer: so does the API, for the
    values of a body's keys."""
    if not isinstance(body, dict):
        return body
    return {key: int(value) if isinstance(value, float) and value.is_integer() else value
            for key, value in body.items()}


def require_json() -> None:
    """Refuse a body not sent as application/json (415), whoever sends it."""
    if not request.is_json:
        raise ApiError(415, "send the request as application/json")


def json_object() -> dict:
    """The request's body, which must be a JSON object."""
    body = json_body()
    if not isinstance(body, dict):
        raise ApiError(400, "the body must be a JSON object")
    return body


def int_arg(name: str, *, default, low: int, high: int):
    """A whole-number query parameter within bounds (400 naming it otherwise)."""
    text = request.args.get(name)
    if text is None or text == "":
        return default
    if not (text.isascii() and text.isdigit() and len(text) < 20 and low <= int(text) <= high):
        raise ApiError(400, f"'{name}' must be a whole number from {low} to {high}", field=name)
    return int(text)


# ------------------------------------------------------------------ answers to errors

JSON_PATHS = ("/api/", "/status/")  # the JSON API, and the status link's reads (the page is /v/)


def _answers_json() -> bool:
    return request.path.startswith(JSON_PATHS)


def init_app(app) -> None:
    """Every error under /api answers in CONTRACT.md's shape, never an HTML page or a traceback."""

    @app.errorhandler(Refused)
    def refused(error: Refused):
        status = status_of(error)
        if _answers_json():
            return error_response(status, CODES[status], error.message, error.field, retry_after(error))
        return render_template("error.html", message=error.message, status=status), status, retry_after(error)

    @app.errorhandler(ApiError)
    def api_error(error: ApiError):
        return error_response(error.status, error.code, error.message, error.field)

    @app.errorhandler(CSRFError)
    def form_expired(_error: CSRFError):
        return render_template("form_expired.html", back=request.path), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if not _answers_json():
            return error
        message = {413: "the request body is larger than 64 KiB"}.get(error.code, error.description)
        allowed = {"Allow": ", ".join(error.valid_methods)} if isinstance(error, MethodNotAllowed) else {}
        return error_response(error.code, CODES.get(error.code, "error"), message, headers=allowed)

    @app.errorhandler(Exception)
    def unexpected_error(_error: Exception):
        log.exception("unexpected error on %s %s", request.method, request.path)
        if _answers_json():
            return error_response(500, "internal", "something went wrong on the server")
        return "Something went wrong on the server.", 500
