"""Redis as a helper the site can lose: short timeouts, one log line, automatic recovery.

The page cache and the login throttle ask :class:`RedisHealth` before each use of Redis. When
Redis refuses, times out or answers nonsense, the caller carries on without it (no shared page
cache, per-process counting) and the first failure logs one warning; Redis is then skipped for
REDIS_RETRY_SECONDS, so a slow Redis costs one timeout per interval rather than one per request,
and the next successful call logs that it is back. Flask-Limiter has its own equivalent
(``RATELIMIT_IN_MEMORY_FALLBACK_ENABLED``, set in config.py), which logs its own single line.
"""
from __future__ import annotations

import logging
import time
from functools import lru_cache
from threading import Lock
from typing import TYPE_CHECKING

from flask import Flask

if TYPE_CHECKING:
    import redis

log = logging.getLogger(__name__)

EXTENSION_KEY = "newsroom.redis_health"


# redis-py is imported on first use (~0.07 s of every command's start-up otherwise).
@lru_cache(maxsize=1)
def redis_errors() -> tuple[type[Exception], ...]:
    """What a lost, slow or confused Redis raises (socket errors reach us wrapped, but be sure)."""
    import redis

    return (redis.RedisError, OSError)


def client_options(timeout: float) -> dict:
    """Connection settings for every Redis client: fail within ``timeout``, one attempt only."""
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return {
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
        "retry": Retry(NoBackoff(), 0),
    }


def client(url: str, timeout: float) -> redis.Redis:
    """A Redis client that gives up quickly instead of hanging a request."""
    import redis

    return redis.Redis.from_url(url, **client_options(timeout))


class RedisHealth:
    """Whether Redis may be used now; remembers a failure for ``retry_seconds``."""

    def __init__(self, retry_seconds: float):
        self.retry_seconds = retry_seconds
        self.down_since: float | None = None
        self._retry_at = 0.0
        self._lock = Lock()

    def available(self) -> bool:
        """True while Redis works, and again once the retry interval after a failure is over."""
        return self.down_since is None or time.monotonic() >= self._retry_at

    def failed(self, user: str, error: Exception) -> None:
        """Record a failure by ``user`` (e.g. "page cache"); only the first one is logged."""
        with self._lock:
            now = time.monotonic()
            self._retry_at = now + self.retry_seconds
            if self.down_since is not None:
                return
            self.down_since = now
        # The error's class only: its message can carry the URL, and the URL a password.
        log.warning(
            "Redis unreachable (%s in the %s): running degraded — pages without the shared "
            "cache, rate limits and sign-in throttle counted per process; retrying every %gs",
            type(error).__name__, user, self.retry_seconds,
        )

    def succeeded(self) -> None:
        """Record a working call; logs once when Redis comes back."""
        if self.down_since is None:
            return
        with self._lock:
            if self.down_since is None:
                return
            seconds, self.down_since = time.monotonic() - self.down_since, None
        log.warning("Redis reachable again after %.0fs: shared cache and counters resumed",
                    seconds)


def for_app(app: Flask) -> RedisHealth:
    """The app's one health record, shared by everything of ours that uses Redis."""
    if EXTENSION_KEY not in app.extensions:
        app.extensions[EXTENSION_KEY] = RedisHealth(app.config["REDIS_RETRY_SECONDS"])
    return app.extensions[EXTENSION_KEY]
