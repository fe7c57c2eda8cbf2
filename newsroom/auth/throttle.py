"""Failed sign-ins counted per (account, address), per address and per account, on `limits` storage.

The counters live in the same storage as Flask-Limiter's (``RATELIMIT_STORAGE_URI``): in the
process by default, in Redis when ``NEWSROOM_REDIS_URL`` is set, so every app server sees the
same counts. While that Redis is unreachable or slow the counting goes on in the process (see
newsroom/redis_health.py), so sign-in keeps working and stays throttled. Unlike the comment
rate limits, this throttle does not follow ``RATELIMIT_ENABLED``: that switch exists for load
tests, and a load test never needs to guess
passwords, while turning it off by mistake would leave staff accounts open to guessing.
"""
from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Iterator

from flask import Flask, current_app
from limits import RateLimitItem, RateLimitItemPerDay, parse_many
from limits.errors import StorageError
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from newsroom import redis_health
from newsroom.redis_health import RedisHealth, redis_errors

EXTENSION_KEY = "newsroom.login_throttle"

Subject = tuple[list[RateLimitItem], tuple[str, ...]]


class LoginThrottle:
    """Counts failed sign-ins; a client over a limit must wait before trying again.

    Failures are counted per (account, address), per address and per account. The first two
    refuse for a while once over their limits. The per-account count (failures from anywhere)
    refuses addresses that have never signed in to that account, which stops guessing spread
    over many addresses; an address that has signed in successfully before is only slowed
    (``slowdown``, e.g. one try per 10 seconds), so guessing elsewhere never locks the real
    user out. Each setting is a list of limits such as ``"3 per minute;5 per 15 minutes"``.
    Unknown emails are counted exactly like real ones, so the throttle never tells whether an
    account exists.
    """

    def __init__(self, storage_uri: str, *, per_ip: str, per_account: str,
                 per_account_and_ip: str, slowdown: str, known_days: int = 90,
                 prefix: str = "", health: RedisHealth | None = None,
                 **storage_options) -> None:
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
        self.per_pair = parse_many(per_account_and_ip)
        self.slowdown = parse_many(slowdown)
        self.known = [RateLimitItemPerDay(1, max(1, int(known_days)))]
        self.prefix = prefix

    def admit(self, ip: str, email: str) -> int:
        """Whole seconds before ``ip`` may try to sign in as ``email``; 0 when it may now."""
        return self._resilient(self._admit, ip, email)

    def record_failure(self, ip: str, email: str) -> None:
        """Count one failed sign-in against the address, the pair and the account."""
        self._resilient(self._record_failure, ip, email)

    def record_success(self, ip: str, email: str) -> None:
        """Remember ``ip`` as one the account signs in from; clear the account's failures."""
        self._resilient(self._record_success, ip, email)

    def allow(self, kind: str, limits_: list[RateLimitItem], key: str) -> bool:
        """Count one request of ``kind`` by ``key`` (e.g. password resets per address); False,
        counting nothing, once ``key`` is over one of ``limits_``."""
        return self._resilient(self._allow, kind, limits_, key)

    def _resilient(self, operation, *args):
        """Run ``operation`` on the shared storage, or in the process while it is unreachable."""
        if self.fallback is None:
            return operation(self.strategy, *args)
        if self.health.available():
            try:
                result = operation(self.strategy, *args)
            except (StorageError, *redis_errors()) as error:
                self.health.failed("sign-in throttle", error)
            else:
                self.health.succeeded()
                return result
        return operation(self.fallback, *args)

    def _admit(self, strategy: MovingWindowRateLimiter, ip: str, email: str) -> int:
        waits = [_wait(strategy, limits_, ids) for limits_, ids in self._subjects(ip, email)]
        account_wait = _wait(strategy, *self._account(email))
        if account_wait and self._is_known(strategy, ip, email):
            account_wait = _wait(strategy, *self._slowed(ip, email))
            if not account_wait:
                _hit(strategy, *self._slowed(ip, email))
        return max([*waits, account_wait])

    def _allow(self, strategy: MovingWindowRateLimiter, kind: str,
               limits_: list[RateLimitItem], key: str) -> bool:
        identifiers = self._ids(kind, key)
        if not all(strategy.test(limit, *identifiers) for limit in limits_):
            return False
        _hit(strategy, limits_, identifiers)
        return True

    def _record_failure(self, strategy: MovingWindowRateLimiter, ip: str, email: str) -> None:
        for subject in (*self._subjects(ip, email), self._account(email)):
            _hit(strategy, *subject)

    def _record_success(self, strategy: MovingWindowRateLimiter, ip: str, email: str) -> None:
        _hit(strategy, self.known, self._ids("login-known", email, ip))
        for limits_, identifiers in (self._pair(ip, email), self._account(email)):
            for limit in limits_:
                strategy.clear(limit, *identifiers)

    def _is_known(self, strategy: MovingWindowRateLimiter, ip: str, email: str) -> bool:
        return not strategy.test(self.known[0], *self._ids("login-known", email, ip))

    def _subjects(self, ip: str, email: str) -> Iterator[Subject]:
        yield self.per_ip, (self.prefix, "login-ip", ip)
        yield self._pair(ip, email)

    def _pair(self, ip: str, email: str) -> Subject:
        return self.per_pair, self._ids("login-pair", email, ip)

    def _slowed(self, ip: str, email: str) -> Subject:
        return self.slowdown, self._ids("login-slowed", email, ip)

    def _account(self, email: str) -> Subject:
        return self.per_account, self._ids("login-account", email)

    def _ids(self, kind: str, email: str, *more: str) -> tuple[str, ...]:
        # A digest keeps whatever was typed into the email field out of the shared storage.
        digest = hashlib.sha256(email.encode("utf-8")).hexdigest()[:32]
        return (self.prefix, kind, digest, *more)


def _wait(strategy: MovingWindowRateLimiter, limits_: list[RateLimitItem],
          identifiers: tuple[str, ...]) -> int:
    """Whole seconds until ``identifiers`` are under every one of ``limits_`` again (0: now)."""
    waits = [
        strategy.get_window_stats(limit, *identifiers).reset_time - time.time()
        for limit in limits_
        if not strategy.test(limit, *identifiers)
    ]
    return max((max(1, math.ceil(wait)) for wait in waits), default=0)


def _hit(strategy: MovingWindowRateLimiter, limits_: list[RateLimitItem],
         identifiers: tuple[str, ...]) -> None:
    for limit in limits_:
        strategy.hit(limit, *identifiers)


def init_app(app: Flask) -> None:
    """Create the app's throttle once, on the storage Flask-Limiter is configured with."""
    config = app.config
    app.extensions[EXTENSION_KEY] = LoginThrottle(
        config["RATELIMIT_STORAGE_URI"],
        per_ip=config["LOGIN_FAILURE_LIMIT_PER_IP"],
        per_account=config["LOGIN_FAILURE_LIMIT_PER_ACCOUNT"],
        per_account_and_ip=config["LOGIN_FAILURE_LIMIT_PER_ACCOUNT_AND_IP"],
        slowdown=config["LOGIN_SLOWDOWN_FOR_KNOWN_ADDRESSES"],
        known_days=config["LOGIN_KNOWN_ADDRESS_DAYS"],
        prefix=config.get("RATELIMIT_KEY_PREFIX") or "newsroom",
        health=redis_health.for_app(app),
        **config.get("RATELIMIT_STORAGE_OPTIONS", {}),
    )


def login_throttle() -> LoginThrottle:
    """The current app's throttle."""
    return current_app.extensions[EXTENSION_KEY]
