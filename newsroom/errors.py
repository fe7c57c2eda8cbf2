"""Error pages: every HTTP error gets a page of ours, never a traceback."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, render_template, request
from flask.globals import request_ctx
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import (
    Forbidden,
    Gone,
    HTTPException,
    InternalServerError,
    MethodNotAllowed,
    ServiceUnavailable,
)

from newsroom.extensions import db

log = logging.getLogger(__name__)

#: What a reader is told, by status code.
MESSAGES = {
    400: "The request could not be understood. Please go back and try again.",
    403: "You do not have permission to see this page.",
    404: "We could not find that page. It may have moved, or it was never published.",
    405: "That action is not allowed here.",
    410: "This story has been removed.",
    413: "What you sent is too large. Please shorten it and try again.",
    429: "Too many requests in a short time. Please wait a moment and try again.",
    500: "Something went wrong on our side. Please try again in a moment.",
    503: "The site is briefly unavailable. Please try again in a minute.",
}
#: What a reader (and a crawler) is told to wait when the database cannot be reached.
RETRY_AFTER_SECONDS = 30

#: Stable machine-readable codes for the usual errors.
ERROR_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 410: "gone",
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
    if isinstance(error, Gone) and error.description != Gone.description:
        message = error.description  # why the story is gone, e.g. withdrawn by its source
    page = render_template("errors/error.html", code=code, title=error.name, message=message)
    if code == 410:  # a story in the trash may be restored: browsers must ask again
        return page, code, {"Cache-Control": "no-cache"}
    return page, code


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


def is_unreachable(error: Exception) -> bool:
    """True when ``error`` means the database cannot be reached or is busy, not a bug of ours.

    A failed connect has no statement; a connection lost mid-request is invalidated; a pool
    that hands out no connection times out; SQLite says "database is locked" after its wait.
    """
    if isinstance(error, PoolTimeout):
        return True
    if not isinstance(error, DBAPIError):
        return False
    return (error.statement is None or error.connection_invalidated
            or "database is locked" in str(error.orig))


def database_error(error: Exception):
    """The database cannot be reached: the error page with 503 and Retry-After, not a 500."""
    if not is_unreachable(error):
        return unexpected(error)
    log.error("the database is unreachable (%s)", type(error).__name__)
    try:
        db.session.rollback()
    except SQLAlchemyError:
        pass
    response = make_response(render_error(ServiceUnavailable()))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def unexpected(error: Exception):
    log.exception("unhandled error")
    return render_error(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_error)
    for kind in (OperationalError, InterfaceError, PoolTimeout):
        app.register_error_handler(kind, database_error)
    app.register_error_handler(Exception, unexpected)
