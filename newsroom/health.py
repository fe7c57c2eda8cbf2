"""``GET /healthz``: can this app server reach its database, and Redis when one is configured?

For load balancers and monitors: 200 with every part "ok" (Redis "absent" when not configured),
503 naming the part that is "unreachable". It names no host, version or setting.
"""
from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from newsroom.extensions import db

log = logging.getLogger(__name__)
blueprint = Blueprint("health", __name__)
_REDIS_CLIENT = "newsroom.health_redis"
TIMEOUT_SECONDS = 1.0


@blueprint.get("/healthz")
def healthz():
    """The state of the database and Redis; 503 when either is unreachable."""
    parts = {"database": _database(), "redis": _redis()}
    healthy = parts["database"] == "ok" and parts["redis"] in ("ok", "absent")
    response = jsonify(status="ok" if healthy else "unavailable", **parts)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def _database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
        return "ok"
    except SQLAlchemyError as error:
        log.warning("health check: the database is unreachable (%s)", type(error).__name__)
        db.session.rollback()
        return "unreachable"


def _redis() -> str:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "absent"
    import redis

    client = current_app.extensions.get(_REDIS_CLIENT)
    if client is None:
        client = redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT_SECONDS,
                                      socket_timeout=TIMEOUT_SECONDS)
        current_app.extensions[_REDIS_CLIENT] = client
    try:
        client.ping()
        return "ok"
    except (redis.RedisError, OSError) as error:
        log.warning("health check: Redis is unreachable (%s)", type(error).__name__)
        return "unreachable"
