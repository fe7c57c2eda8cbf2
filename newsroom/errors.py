"""Error pages: every HTTP error gets a page of ours, never a traceback."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask.globals import request_ctx
from werkzeug.exceptions import Forbidden, HTTPException, InternalServerError, MethodNotAllowed

log = logging.getLogger(__name__)

#: What a reader is told, by status code.
MESSAGES = {
    400: "The request could not be understood. Please go back and try again.",
    403: "You do not have permission to see this page.",
    404: "We could not find that page. It may have moved, or it was never published.",
    405: "That action is not allowed here.",
    413: "What you sent is too large. Please shorten it and try again.",
    429: "Too many requests in a short time. Please wait a moment and try again.",
    500: "Something went wrong on our side. Please try again in a moment.",
}

#: Stable machine-readable codes for the usual errors.
ERROR_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed",
               429: "too_many_requests", 500: "internal_error"}


def render_error(error: HTTPException):
    if request_ctx.url_adapter is None:  # a Host header outside NEWSROOM_TRUSTED_HOSTS
        return render_template("errors/bad_host.html", message=MESSAGES[400]), 400
    if request.path.startswith("/api/"):  # the JSON API answers errors in JSON
        return json_error(error)
    code = error.code or 500
    message = MESSAGES.get(code, error.description)
    if isinstance(error, Forbidden) and error.description != Forbidden.description:
        message = error.description  # says which role the page needs (see newsroom/auth)
    return render_template("errors/error.html", code=code, title=error.name, message=message), code


def json_error(error: HTTPException):
    """An HTTP error as ``{"error": {"status", "code", "message"}}`` (for any /api/ path)."""
    status = error.code or 500
    code = ERROR_CODES.get(status) or error.name.lower().replace(" ", "_").replace("'", "")
    message = error.description if status < 500 else "Something went wrong on our side."
    response = jsonify(error={"status": status, "code": code, "message": message})
    response.status_code = status
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_error)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unhandled error")
        return render_error(InternalServerError())
