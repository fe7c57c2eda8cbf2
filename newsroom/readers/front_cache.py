"""The front of the page cache: a shared page's finished answer replayed before Flask runs.

A shared page (the same bytes for every anonymous reader: the article page, home, sections,
story feeds, sitemaps — each view offers it, :func:`newsroom.readers.pagecache.offer_to_front`,
when its bytes follow from the URL and the site's version counters alone) is kept
here as the very answer Flask sent: status, every header (the security headers, CSP,
``Cache-Control``, ``ETag``, ``Vary``) and the body. The next GET or HEAD for the same URL is
answered from it by this WSGI middleware, without a request context, session, sign-in,
rate-limit or ORM work, when:

- the request carries neither the session cookie nor the remember-me cookie: staff, readers
  with a message waiting and readers shown their own pending comment all have a session, so
  they always reach Flask and get their own page;
- the site's counters — one primary-key read of ``site_versions``
  (newsroom/content/site_version.py), raised in the same transaction as every public change —
  are those the answer was rendered under (read *before* it was rendered, so a change made
  meanwhile makes it stale, never the reverse). Each process reads them again at most
  PAGE_CACHE_CHECK_SECONDS (0.1) after its last read, and at once after any commit of its
  own: a change is seen at once on the app server that made it, within that on every other;
- its time is not up (comments closing by age change the page with no write).

An answer is kept only if Flask itself made it shareable: a GET that offered it
(``offer_to_front``), status 200, ``Cache-Control: public`` and no ``Set-Cookie``. The key is the
request's scheme, Host, script name, path and raw query string, so a hit replays what Flask
answered to that same request (an untrusted Host never gets an answer to keep, issue 9). The
Host is left out only where Flask answers every Host alike: NEWSROOM_SITE_URL set (absolute
URLs), no NEWSROOM_TRUSTED_HOSTS, no SERVER_NAME — so a flood of made-up Hosts cannot push
the real pages out.
``If-None-Match`` is answered 304 like the views do. Entries stay in the process (bounded by
PAGE_CACHE_MAX_ENTRIES) even when the page cache's store is Redis: each is checked against the
database on every use, so they need no sharing to stay fresh.
"""
from __future__ import annotations

import time
from typing import NamedTuple

from flask import Flask
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from werkzeug.datastructures import Headers
from werkzeug.http import parse_cookie, parse_etags, remove_entity_headers, unquote_etag

from newsroom.content.site_version import READ_BEFORE_FLASK, SiteState, read_site_state
from newsroom.extensions import db
from newsroom.readers.pagecache import FRONT_OFFER, MemoryStore


#: Raised by every commit in this process, so the next request reads the counters again.
_commits = 0


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    global _commits
    _commits += 1


class Answer(NamedTuple):
    """A kept answer and what it was rendered under."""

    counters: tuple[int, int]  #: the site's content and comments versions
    until: float  #: POSIX time after which it is rendered again
    status: str
    headers: list[tuple[str, str]]
    not_modified: list[tuple[str, str]]  #: the headers of a 304, as werkzeug would send them
    etag: str | None
    body: bytes

    def send(self, environ, start_response):
        if self.etag is not None and "HTTP_IF_NONE_MATCH" in environ:
            if parse_etags(environ["HTTP_IF_NONE_MATCH"]).contains_weak(self.etag):
                start_response("304 NOT MODIFIED", list(self.not_modified))
                return []
        start_response(self.status, list(self.headers))
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [self.body]


def keepable(status: str, header_list: list[tuple[str, str]]) -> Headers | None:
    """The answer's headers when Flask made it shareable (200, public, no cookie), else None."""
    if status != "200 OK":
        return None
    headers = Headers(header_list)
    if "Set-Cookie" in headers or not headers.get("Cache-Control", "").startswith("public"):
        return None
    return headers


class FrontCache:
    """WSGI middleware in front of the Flask app (inside ProxyFix, which fixes the environ)."""

    def __init__(self, app: Flask, wsgi_app):
        config = app.config
        self.app = app
        self.wsgi_app = wsgi_app
        self.answers = MemoryStore(int(config["PAGE_CACHE_MAX_ENTRIES"]))
        self.private_cookies = (
            config["SESSION_COOKIE_NAME"], config.get("REMEMBER_COOKIE_NAME", "remember_token"))
        #: Whether answers differ by Host (absolute URLs from it, or some Hosts refused).
        self.by_host = not (config["SITE_URL"] and config["TRUSTED_HOSTS"] is None
                            and not config.get("SERVER_NAME"))
        self._engine = None
        self._read: tuple[SiteState, float, int] | None = None  #: counters, when, commits

    def __call__(self, environ, start_response):
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD") or self.has_session(environ):
            return self.wsgi_app(environ, start_response)
        state = self.site_state()
        if state is None:  # the database did not answer: Flask says what to show
            return self.wsgi_app(environ, start_response)
        environ[READ_BEFORE_FLASK] = state  # the views' validators need not read them again
        counters = (state.content, state.comments)
        key = (environ.get("wsgi.url_scheme"), self.host(environ), environ.get("SCRIPT_NAME", ""),
               environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""))
        answer = self.answers.get(key)
        if answer is not None and answer.counters == counters and time.time() < answer.until:
            return answer.send(environ, start_response)
        if environ["REQUEST_METHOD"] != "GET":
            return self.wsgi_app(environ, start_response)
        return self.render_and_keep(key, counters, environ, start_response)

    def host(self, environ) -> str:
        """The request's Host as the key holds it ("" where every Host gets the same)."""
        if not self.by_host:
            return ""
        return environ.get("HTTP_HOST") or f"{environ['SERVER_NAME']}:{environ['SERVER_PORT']}"

    def has_session(self, environ) -> bool:
        """Whether the request carries a session or remember-me cookie (its own page)."""
        cookie = environ.get("HTTP_COOKIE")
        if not cookie or not any(name in cookie for name in self.private_cookies):
            return False
        names = parse_cookie(cookie)
        return any(name in names for name in self.private_cookies)

    def site_state(self) -> SiteState | None:
        """The site's counters (read again PAGE_CACHE_CHECK_SECONDS after the last read, or
        after a commit in this process); None if the database fails."""
        now, read = time.monotonic(), self._read
        fresh_for = self.app.config["PAGE_CACHE_CHECK_SECONDS"]
        if read is not None and read[2] == _commits and now - read[1] < fresh_for:
            return read[0]
        if self._engine is None:
            with self.app.app_context():
                self._engine = db.engine
        commits = _commits
        try:
            state = read_site_state(self._engine)
        except SQLAlchemyError:
            self._read = None
            return None
        self._read = (state, now, commits)
        return state

    def render_and_keep(self, key, counters, environ, start_response):
        """Let Flask answer; keep the answer if it is a shared page Flask offered."""
        sent: list = []

        def capture(status, headers, exc_info=None):
            sent[:] = [status, headers]
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, capture)
        until = environ.get(FRONT_OFFER)
        headers = keepable(*sent) if until is not None and sent else None
        if headers is None:
            return body
        try:
            data = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        etag = headers.get("ETag")
        remove_entity_headers(headers)  # what werkzeug leaves out of a 304
        kept = Answer(counters, until, sent[0], list(sent[1]), headers.to_wsgi_list(),
                      unquote_etag(etag)[0] if etag else None, data)
        self.answers.set(key, kept, 0)
        return [data]


def init_app(app: Flask) -> None:
    """Put the front cache before the app when the page cache is on (before ProxyFix wraps it)."""
    if app.extensions.get("newsroom_page_cache") is not None:
        app.wsgi_app = FrontCache(app, app.wsgi_app)
