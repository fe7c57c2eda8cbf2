"""Failed sign-ins counted per client address and per account email, on `limits` storage.

The counters live in the same storage as Flask-Limiter's (``RATELIMIT_STORAGE_URI``): in the
process by default, in Redis when ``NEWSROOM_REDIS_URL`` is set, so every app server sees the
same counts. While that Redis is unreachable or slow the counting goes on in the process (see
newsroom/redis_health.py), so sign-in keeps working and stays throttled. Unlike the comment
rate limits, this throttle does not follow ``RATELIMIT_ENABLED``: that switch exists for load tests, and a load test never needs to guess
passwords, while turning it off by mistake would leave staff accounts open to guessing.
"""
from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Iterator

from flask import Flask, current_app
from limits import RateLimitItem, parse_many
from limits.errors import StorageError
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from newsroom import redis_health
from newsroom.redis_health import REDIS_ERRORS, RedisHealth

EXTENSION_KEY = "newsroom.login_throttle"

Subject = tuple[list[RateLimitItem], tuple[str, ...]]


class LoginThrottle:
    """Counts failed sign-ins; a client over any limit must wait before trying again.

    Each setting is a list of limits such as ``"3 per minute;5 per 15 minutes"``: the short one
    slows a burst down, the long one refuses for a while. Unknown emails are counted exactly like
    real ones, so the throttle never tells whether an account exists.
    """

    def __init__(self, storage_uri: str, *, per_ip: str, per_account: str, prefix: str = "",
                 health: RedisHealth | None = None, **storage_options) -> None:
        shared = not storage_uri.startswith("memory://")
        if shared:
            storage_options["wrap_exceptions"] = True
        self.storage = storage_from_string(storage_uri, **storage_options)
        self.strategy = MovingWindowRateLimiter(self.storage)
        #: Counts kept in this process while the shared storage is unreachable.
        self.fallback = MovingWindowRateLimiter(MemoryStorage()) if shared else None
        self.health = health or RedisHealth(5)
        self.per_ip = parse_many(per_ip)
        self.per_account = parse_many(per_account)
        self.prefix = prefix

    def retry_after(self, ip: str, email: str) -> int:
        """Whole seconds before ``ip`` may try to sign in as ``email``; 0 when it may now."""
        return self._resilient(self._retry_after, ip, email)

    def record_failure(self, ip: str, email: str) -> None:
        """Count one failed sign-in against the address and against the email."""
        self._resilient(self._record_failure, ip, email)

    def forget_account(self, email: str) -> None:
        """Clear the email's failures after a successful sign-in (the address keeps its count)."""
        self._resilient(self._forget_account, email)

    def _resilient(self, operation, *args):
        """Run ``operation`` on the shared storage, or in the process while it is unreachable."""
        if self.fallback is None:
            return operation(self.strategy, *args)
        if self.health.available():
            try:
                result = operation(self.strategy, *args)
            except (StorageError, *REDIS_ERRORS) as error:
                self.health.failed("sign-in throttle", error)
            else:
                self.health.succeeded()
                return result
        return operation(self.fallback, *args)

    def _retry_after(self, strategy: MovingWindowRateLimiter, ip: str, email: str) -> int:
        waits = [
            strategy.get_window_stats(limit, *identifiers).reset_time - time.time()
            for limits_, identifiers in self._subjects(ip, email)
            for limit in limits_
            if not strategy.test(limit, *identifiers)
        ]
        return max((max(1, math.ceil(wait)) for wait in waits), default=0)

    def _record_failure(self, strategy: MovingWindowRateLimiter, ip: str, email: str) -> None:
        for limits_, identifiers in self._subjects(ip, email):
            for limit in limits_:
                strategy.hit(limit, *identifiers)

    def _forget_account(self, strategy: MovingWindowRateLimiter, email: str) -> None:
        limits_, identifiers = self._account(email)
        for limit in limits_:
            strategy.clear(limit, *identifiers)

    def _subjects(self, ip: str, email: str) -> Iterator[Subject]:
        yield self.per_ip, (self.prefix, "login-ip", ip)
        yield self._account(email)

    def _account(self, email: str) -> Subject:
        # A digest keeps whatever was typed into the email field out of the shared storage.
        digest = hashlib.sha256(email.encode("utf-8")).hexdigest()[:32]
        return self.per_account, (self.prefix, "login-account", digest)


def init_app(app: Flask) -> None:
    """Create the app's throttle once, on the storage Flask-Limiter is configured with."""
    config = app.config
    app.extensions[EXTENSION_KEY] = LoginThrottle(
        config["RATELIMIT_STORAGE_URI"],
        per_ip=config["LOGIN_FAILURE_LIMIT_PER_IP"],
        per_account=config["LOGIN_FAILURE_LIMIT_PER_ACCOUNT"],
        prefix=config.get("RATELIMIT_KEY_PREFIX") or "newsroom",
        health=redis_health.for_app(app),
        **config.get("RATELIMIT_STORAGE_OPTIONS", {}),
    )


def login_throttle() -> LoginThrottle:
    """The current app's throttle."""
    return current_app.extensions[EXTENSION_KEY]
