"""Every error under /api answers in CONTRACT.md's shape, never an HTML page or a traceback."""

from __future__ import annotations

import logging

from flask import jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

_CODES = {
    400: "invalid_input", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
    429: "rate_limited",
}


class ApiError(Exception):
    def __init__(self, status: int, message: str, *, code: str | None = None, field: str | None = None,
                 headers: dict | None = None):
        super().__init__(message)
        self.headers = headers or {}
        self.status = status
        self.code = code or _CODES.get(status, "error")
        self.message = message
        self.field = field


def error_response(status: int, code: str, message: str, field: str | None = None):
    error = {"code": code, "message": message}
    if field is not None:
        error["field"] = field
    return jsonify({"error": error}), status


def init_app(app) -> None:
    @app.errorhandler(ApiError)
    def api_error(error: ApiError):
        body, status = error_response(error.status, error.code, error.message, error.field)
        return body, status, error.headers

    @app.errorhandler(CSRFError)
    def form_expired(error: CSRFError):
        return render_template("form_expired.html", back=request.path), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if not request.path.startswith("/api/"):
            return error
        message = {413: "the request body is larger than 64 KiB"}.get(error.code, error.description)
        return error_response(error.code, _CODES.get(error.code, "error"), message)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        log.exception("unexpected error on %s %s", request.method, request.path)
        if request.path.startswith("/api/"):
            return error_response(500, "internal", "something went wrong on the server")
        return "Something went wrong on the server.", 500
