"""Configuration: defaults, NEWSROOM_* environment variables, and derived settings.

This is the only module that reads the environment.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask

from newsroom.redis_health import client_options


class ConfigError(RuntimeError):
    """The configuration cannot work; the message is one line for the operator."""


class DefaultConfig:
    """Settings every deployment starts from; NEWSROOM_* variables override them."""

    SITE_NAME = "The Harbour Courier"
    #: The IANA zone every date on the site and the desks is shown and typed in.
    TIMEZONE = "UTC"
    SITE_URL = None  # None: build absolute URLs from the request's host
    #: Host values served when SITE_URL is unset (Flask's TRUSTED_HOSTS; others get 400).
    #: NEWSROOM_TRUSTED_HOSTS is comma-separated; a leading dot accepts every subdomain.
    TRUSTED_HOSTS = None
    DATABASE_URL = None  # None: SQLite in the instance folder
    SECRET_KEY = None
    REDIS_URL = None
    #: Seconds to connect to Redis and to wait for each answer: a slow Redis fails fast.
    REDIS_TIMEOUT = 0.5
    #: After Redis fails, seconds before it is tried again (meanwhile it is skipped).
    REDIS_RETRY_SECONDS = 5
    RATELIMIT_ENABLED = True
    COMMENT_RATE_LIMIT = "5 per minute;30 per hour"
    COMMENT_MIN_SECONDS = 3
    COMMENTS_CLOSE_AFTER_DAYS = 30  # 0: comments never close by age
    COMMENT_MAX_LINKS = 2
    COMMENT_PREMODERATION = True  # False: publish at once unless a rule holds it
    COMMENT_DUPLICATE_WINDOW_MINUTES = 10
    COMMENT_MAX_DEPTH = 4  # deeper replies are shown at this depth
    #: Distinct readers whose open reports hide an approved comment pending review; 0: never.
    COMMENT_REPORT_HIDE_THRESHOLD = 3
    #: Reports one client address may send (the comment form's limiter, its own budget).
    COMMENT_REPORT_RATE_LIMIT = "5 per minute;20 per hour"
    COMMENTS_PER_PAGE = 100  # top-level comments per page
    #: How long a reader sees their own comment, awaiting moderation, in place in the thread.
    OWN_COMMENT_SECONDS = 24 * 60 * 60
    ARTICLES_PER_PAGE = 12
    #: Rendered article pages for anonymous readers (see newsroom/readers/pagecache.py).
    PAGE_CACHE_ENABLED = True
    PAGE_CACHE_SECONDS = 60
    PAGE_CACHE_MAX_ENTRIES = 500  # per process, when not in Redis
    PAGE_CACHE_KEY_PREFIX = "newsroom:page:"
    #: Seconds an app process may answer cached pages from the site's version counters it read
    #: last before reading them again (a change on another app server is seen within this;
    #: one made by the process itself at once). 0: one primary-key read for every request.
    PAGE_CACHE_CHECK_SECONDS = 0.1
    #: Pages every anonymous reader gets are ``Cache-Control: public, max-age=0,
    #: s-maxage=SHARED_CACHE_SECONDS, stale-while-revalidate=SHARED_CACHE_STALE_SECONDS``: a
    #: shared cache (nginx's microcache) keeps them this long, then may answer with the old copy
    #: for the stale seconds while it fetches the new one in the background.
    SHARED_CACHE_SECONDS = 1
    SHARED_CACHE_STALE_SECONDS = 1
    PERSONAL_DATA_RETENTION_DAYS = 90
    SYNDICATION_FETCH_TIMEOUT = 10  # seconds to connect and per read; 3× for the whole feed
    SYNDICATION_MAX_FEED_BYTES = 5 * 1024 * 1024
    SYNDICATION_MAX_REDIRECTS = 5
    #: Server-side fetches reach only public addresses unless this is true (intranets, tests).
    SYNDICATION_ALLOW_PRIVATE_NETWORKS = False
    #: Ports server-side fetches may use: comma-separated, or "*" for any.
    SYNDICATION_ALLOWED_PORTS = "80,443"
    #: Failed sign-ins before more are refused for a while: a short window slows a burst,
    #: a long one locks out (see newsroom/auth/throttle.py). Counted per (account, address),
    #: per address, and per account from anywhere; the last only slows an address the account
    #: has signed in from before (within LOGIN_KNOWN_ADDRESS_DAYS), so it cannot lock them out.
    #: Without Redis each app server process counts on its own (see README).
    LOGIN_FAILURE_LIMIT_PER_IP = "10 per minute;20 per 15 minutes"
    LOGIN_FAILURE_LIMIT_PER_ACCOUNT_AND_IP = "3 per minute;5 per 15 minutes"
    LOGIN_FAILURE_LIMIT_PER_ACCOUNT = "3 per minute;5 per 15 minutes"
    LOGIN_SLOWDOWN_FOR_KNOWN_ADDRESSES = "1 per 10 seconds"
    LOGIN_KNOWN_ADDRESS_DAYS = 90
    #: Password-reset links: how long one works (seconds), and how many may be asked for per
    #: client address and per email address (over the latter the answer stays the same).
    PASSWORD_RESET_MAX_AGE = 3600
    PASSWORD_RESET_LIMIT_PER_IP = "10 per 15 minutes;30 per day"  # nosec B105 - rate limits
    PASSWORD_RESET_LIMIT_PER_ACCOUNT = "3 per 15 minutes;10 per day"  # nosec B105 - limits
    #: Invitations for new staff: how long a link works (seconds; "Resend" starts it again).
    INVITATION_MAX_AGE = 7 * 24 * 3600
    #: werkzeug's method for new password hashes (each hash names its own, so any checks).
    #: Only a TESTING app may pick another: the test suite uses a cheap scrypt cost.
    PASSWORD_HASH_METHOD = "scrypt"  # nosec B105 - the name of a hash method
    MAX_CONTENT_LENGTH = 1024 * 1024  # every form but the image upload
    #: The largest image upload (the upload route alone admits a body this big).
    MAX_UPLOAD_BYTES = 10 * 1024 * 1024
    MEDIA_DIR = None  # None: instance/media
    #: Reverse proxies in front whose X-Forwarded-For/-Proto/-Host are trusted (0: none).
    PROXY_FIX = 0
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # a reader may take their time over a reply
    #: Background jobs (newsroom/jobs): huey's SQLite file (None: instance/jobs.db), or Redis
    #: when REDIS_URL is set; the queue's name is its Redis key prefix.
    JOBS_QUEUE_NAME = "newsroom"
    JOBS_SQLITE_PATH = None
    JOBS_WORKER_THREADS = 2
    JOBS_MAX_ATTEMPTS = 6
    JOBS_RETRY_SECONDS = 30  # the first retry's delay; each later one waits twice as long
    #: A job still "running" this long after it started is taken to have died with its worker.
    JOBS_LEASE_SECONDS = 900
    #: A due job not picked up this long after it was due is pushed to the queue again.
    JOBS_REPUSH_SECONDS = 60
    #: Outgoing mail: Flask-Mail reads the MAIL_* names (NEWSROOM_MAIL_SERVER, …).
    MAIL_SERVER = None  # None: development writes messages to the log and the admin outbox
    MAIL_PORT = 25
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_DEFAULT_SENDER = None  # None: "<SITE_NAME> <noreply@<SITE_URL's host>>"
    MAIL_SUPPRESS_SEND = False
    MAIL_DEBUG = False  # True would print every message, addresses included, to stderr
    MAIL_TIMEOUT = 30  # seconds to connect and per SMTP command
    #: At most this many messages to one address in 24 hours; the rest are dropped (and noted).
    MAIL_MAX_PER_RECIPIENT_PER_DAY = 20
    #: An address that never confirmed may be asked again after this many days.
    SUBSCRIPTION_CONFIRM_RESEND_DAYS = 7
    #: hide_parameters: a database error's message (logged) never carries a commenter's email.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "hide_parameters": True}


def load_config(app: Flask, overrides: dict | None) -> None:
    """Fill ``app.config`` from defaults, then the environment (or ``overrides``)."""
    app.config.from_object(DefaultConfig)
    if overrides is None:
        app.config.from_prefixed_env("NEWSROOM")
    else:
        app.config.update(overrides)
    _derive(app)


def _derive(app: Flask) -> None:
    """Settings computed from others: the database URI, the secret key, cookie flags."""
    config = app.config
    instance = Path(app.instance_path)
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        url = config["DATABASE_URL"] or f"sqlite:///{instance / 'newsroom.db'}"
        config["SQLALCHEMY_DATABASE_URI"] = url
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        instance.mkdir(parents=True, exist_ok=True)
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"hide_parameters": True}
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = _development_secret_key(app, instance)
    if config["SITE_URL"]:
        config["SITE_URL"] = str(config["SITE_URL"]).rstrip("/")
    secure = bool(config["SITE_URL"]) and config["SITE_URL"].startswith("https://")
    config["SESSION_COOKIE_SECURE"] = secure
    config["REMEMBER_COOKIE_SECURE"] = secure
    if not config["RATELIMIT_ENABLED"] or str(config["RATELIMIT_ENABLED"]).lower() == "false":
        config["RATELIMIT_ENABLED"] = False
    config["MEDIA_DIR"] = str(Path(config["MEDIA_DIR"] or instance / "media").absolute())
    config["MAX_UPLOAD_BYTES"] = int(config["MAX_UPLOAD_BYTES"])
    config["PAGE_CACHE_CHECK_SECONDS"] = float(config["PAGE_CACHE_CHECK_SECONDS"])
    config["TRUSTED_HOSTS"] = _trusted_hosts(config["TRUSTED_HOSTS"], config["SITE_URL"])
    config["TIMEZONE_INFO"] = _zone(config["TIMEZONE"])
    if config["PASSWORD_HASH_METHOD"] != "scrypt" and not app.testing:
        raise ConfigError("NEWSROOM_PASSWORD_HASH_METHOD is for the test suite only: "
                          "password hashes use werkzeug's scrypt at its default cost")
    _derive_redis(config)
    _derive_mail_and_jobs(config, instance)


def _zone(name: str) -> ZoneInfo:
    """The ZoneInfo for an IANA name such as Europe/Paris (tzdata ships them all)."""
    try:
        return ZoneInfo(str(name).strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"NEWSROOM_TIMEZONE={name!r} is not an IANA time zone name (like Europe/Paris)"
        ) from None


#: Served when neither NEWSROOM_SITE_URL nor NEWSROOM_TRUSTED_HOSTS says otherwise. Werkzeug
#: 3.1 cuts each entry at its first colon, so an IPv6 literal such as [::1] cannot be listed.
LOCAL_HOSTS = ("localhost", "127.0.0.1")


def _trusted_hosts(value, site_url: str | None) -> list[str] | None:
    """The Host values to serve; None (any) when SITE_URL makes every absolute URL."""
    if isinstance(value, str):
        value = value.split(",")
    hosts = [host.strip().lower() for host in value or () if host and host.strip()]
    if hosts:
        return hosts
    return None if site_url else list(LOCAL_HOSTS)


def _derive_mail_and_jobs(config, instance: Path) -> None:
    """The default sender from the site's name and host; the embedded queue's file."""
    if not config["MAIL_DEFAULT_SENDER"]:
        host = urlsplit(config["SITE_URL"] or "").hostname or "localhost"
        config["MAIL_DEFAULT_SENDER"] = (config["SITE_NAME"], f"noreply@{host}")
    if not config["JOBS_SQLITE_PATH"]:
        config["JOBS_SQLITE_PATH"] = str(instance / "jobs.db")


def _derive_redis(config) -> None:
    """Rate limits in Redis when configured, with short timeouts and a per-process fallback."""
    config["REDIS_TIMEOUT"] = float(config["REDIS_TIMEOUT"])
    config["REDIS_RETRY_SECONDS"] = float(config["REDIS_RETRY_SECONDS"])
    config["RATELIMIT_STORAGE_URI"] = config["REDIS_URL"] or "memory://"
    if config["REDIS_URL"]:
        config.setdefault("RATELIMIT_STORAGE_OPTIONS", client_options(config["REDIS_TIMEOUT"]))
        config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    config["SYNDICATION_ALLOW_PRIVATE_NETWORKS"] = _flag(
        config["SYNDICATION_ALLOW_PRIVATE_NETWORKS"]
    )
    config["SYNDICATION_ALLOWED_PORTS"] = _ports(config["SYNDICATION_ALLOWED_PORTS"])
    config["PROXY_FIX"] = _count("PROXY_FIX", config["PROXY_FIX"])
    config["COMMENT_REPORT_HIDE_THRESHOLD"] = _count(
        "COMMENT_REPORT_HIDE_THRESHOLD", config["COMMENT_REPORT_HIDE_THRESHOLD"], most=1000)


def _count(name: str, value, most: int = 10) -> int:
    """A whole number from 0 to ``most``, given as a number or as text."""
    text = str(value).strip()
    if isinstance(value, bool) or not (text.isascii() and text.isdigit()) or int(text) > most:
        raise ConfigError(
            f"NEWSROOM_{name} must be a whole number from 0 to {most}, not {value!r}")
    return int(text)


def _flag(value) -> bool:
    """A boolean setting given as a bool or as text ("true", "1", "yes")."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def _ports(value) -> frozenset[int]:
    """Ports from "80,443", a number or a list; "*" (or nothing) means any port."""
    if isinstance(value, (int, str)):
        value = [part for part in str(value).replace(" ", "").split(",") if part]
    if not value or "*" in value:
        return frozenset()
    try:
        ports = frozenset(int(port) for port in value)
    except (TypeError, ValueError):
        raise ConfigError(f"SYNDICATION_ALLOWED_PORTS: not a list of ports: {value!r}") from None
    if any(not 0 < port < 65536 for port in ports):
        raise ConfigError(f"SYNDICATION_ALLOWED_PORTS: a port is out of range: {value!r}")
    return ports


def _development_secret_key(app: Flask, instance: Path) -> str:
    """Generate once and keep a key for development; refuse to run production without one."""
    if not (app.debug or app.testing):
        raise ConfigError(
            "NEWSROOM_SECRET_KEY must be set when not in debug mode "
            "(generate one with: python -c 'import secrets; print(secrets.token_hex(32))')"
        )
    instance.mkdir(parents=True, exist_ok=True)
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        os.chmod(key_file, 0o600)
    return key_file.read_text().strip()
