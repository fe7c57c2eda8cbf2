"""A rendered-page cache for the article pages anonymous readers see.

Entries are keyed by what the page shows — the article, its outlet and section, its approved
comments (the same data validator as the page's ETag), the comment page and whether comments
are open, the site's content version for the navigation — so any such change makes a new key
and nothing needs deleting by hand; old entries fall out of the bounded memory store or expire
in Redis. A stored page is the very bytes every anonymous reader gets: the reply form's two
per-reader values (CSRF token, signed form timestamp) are not in it but fetched by the form
from GET /session/form (newsroom/readers/form_session.py), so nginx can share it too.

The store is in-process by default and Redis when NEWSROOM_REDIS_URL is set, so every app
server shares it. When that Redis is unreachable or slow, pages are rendered without the cache
(see newsroom/redis_health.py) until it answers again. Without NEWSROOM_SITE_URL a page carries
the request's host in its absolute URLs, so the host is then part of every key.

Shared pages that follow from their URL and the site's version counters alone are also
offered (:func:`offer_to_front`) to the front of the cache (newsroom/readers/front_cache.py),
which keeps the finished answer — bytes and headers — and replays it before Flask runs to the
next reader without a session cookie, for as long as those counters are unchanged.
"""
from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from threading import Lock
from typing import Any

from flask import Flask, current_app, request, session
from flask_login import current_user

from newsroom import redis_health
from newsroom.readers import own_comments
from newsroom.redis_health import RedisHealth, redis_errors


class MemoryStore:
    """A small least-recently-used store for one process."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._entries: OrderedDict[Any, Any] = OrderedDict()
        self._lock = Lock()

    def get(self, key):
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def set(self, key, value, seconds: int) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


class RedisStore:
    """Entries shared by every app server, expiring after ``seconds``; misses while Redis is out."""

    def __init__(self, url: str, prefix: str, timeout: float, health: RedisHealth):
        self.client = redis_health.client(url, timeout)
        self.prefix = prefix
        self.health = health

    def get(self, key: str) -> str | None:
        if not self.health.available():
            return None
        try:
            value = self.client.get(self.prefix + key)
        except redis_errors() as error:
            self.health.failed("page cache", error)
            return None
        self.health.succeeded()
        return value.decode() if value is not None else None

    def set(self, key: str, value: str, seconds: int) -> None:
        if not self.health.available():
            return
        try:
            self.client.set(self.prefix + key, value.encode(), ex=seconds)
        except redis_errors() as error:
            self.health.failed("page cache", error)


def init_app(app: Flask) -> None:
    config = app.config
    store = None
    if config["PAGE_CACHE_ENABLED"]:
        if config["REDIS_URL"]:
            store = RedisStore(
                config["REDIS_URL"], config["PAGE_CACHE_KEY_PREFIX"],
                config["REDIS_TIMEOUT"], redis_health.for_app(app),
            )
        else:
            store = MemoryStore(int(config["PAGE_CACHE_MAX_ENTRIES"]))
    app.extensions["newsroom_page_cache"] = store


def is_shared(allowed_args: frozenset[str] = frozenset({"cpage"})) -> bool:
    """Whether this request gets the page every anonymous reader gets (same bytes for all).

    Staff, a reader with a message waiting and a reader whose own pending comment is on the
    page get a page rendered for them alone, never stored here nor in a shared cache.
    """
    return (
        not current_user.is_authenticated
        and not session.get("_user_id")  # signed in, even if current_user was read earlier
        and not session.get("_flashes")
        and not own_comments.own_ids()  # their pending comment is on the page: theirs alone
        and set(request.args) <= allowed_args
    )


def enabled() -> bool:
    """Whether shared pages may come from (and go to) the page cache."""
    return current_app.extensions.get("newsroom_page_cache") is not None


#: The WSGI environ's note that this answer is a shared page the front cache may keep, and
#: until when (a POSIX time; ``inf``: until the site's counters move).
FRONT_OFFER = "newsroom.page_cache.front_offer"


def offer_to_front(until: datetime | None = None) -> None:
    """Let the front of the cache keep this request's answer (newsroom/readers/front_cache.py).

    Only for a shared page whose bytes follow from its URL and the site's version counters
    alone; ``until``: when it changes with no write at all (comments closing by age, a news
    sitemap's hour), if ever. The front still keeps only a 200 marked public with no cookie.
    """
    request.environ[FRONT_OFFER] = until.timestamp() if until else float("inf")


def cached_page(key: str, render) -> str:
    """The page stored under ``key``, rendering and storing it if new (rendered each time when
    the page cache is off)."""
    store = current_app.extensions.get("newsroom_page_cache")
    if store is None:
        return render()
    if not current_app.config["SITE_URL"]:  # absolute URLs follow the host: never share them
        key = f"{request.host}|{key}"
    html = store.get(key)
    if html is None:
        html = render()
        store.set(key, html, int(current_app.config["PAGE_CACHE_SECONDS"]))
    return html
