"""The page cache's front: shared answers replayed before Flask runs, never anyone's own page."""
from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from newsroom.extensions import db
from newsroom.models import Article, Role, utcnow
from newsroom.readers import front_cache
from newsroom.readers.front_cache import FrontCache
from tests import factories
from tests.helpers import sign_in_session

URL = "/articles/front-story"


class CountingSessions:
    """Flask's session interface, counting how often a request opens a session."""

    def __init__(self, inner):
        self.inner, self.opened = inner, 0

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def open_session(self, app, request):
        self.opened += 1
        return self.inner.open_session(app, request)


@pytest.fixture
def front_app(make_app):
    """An app whose article ``front-story`` has one approved comment; ``app.sessions`` counts."""
    app = make_app()
    with app.app_context():
        article = factories.article("Front story headline", slug="front-story")
        factories.comment(article, body="A kept comment")
        db.session.commit()
    app.sessions = CountingSessions(app.session_interface)
    app.session_interface = app.sessions
    return app


def front(app) -> FrontCache:
    assert isinstance(app.wsgi_app, FrontCache)
    return app.wsgi_app


def headers_of(response) -> dict[str, str]:
    return {name: value for name, value in response.headers.items() if name != "Date"}


def test_a_second_reader_is_answered_before_flask_opens_a_session(front_app):
    first = front_app.test_client().get(URL)
    opened = front_app.sessions.opened
    second = front_app.test_client().get(URL)
    assert front_app.sessions.opened == opened  # no request context, no session, no sign-in
    assert second.data == first.data and b"A kept comment" in second.data
    assert headers_of(second) == headers_of(first)  # security headers, CSP, validators too
    assert second.headers["Content-Security-Policy"] and second.headers["X-Frame-Options"]
    assert second.headers["Cache-Control"].startswith("public")
    assert len(front(front_app).answers._entries) == 1


def test_head_and_if_none_match_are_answered_as_flask_answers_them(front_app):
    client = front_app.test_client()
    page = client.get(URL)
    head = client.head(URL)
    assert head.status_code == 200 and head.data == b""
    assert headers_of(head) == headers_of(page)
    etag = page.headers["ETag"]
    kept = client.get(URL, headers={"If-None-Match": etag})
    # an unreadable session cookie sends the same request through Flask, as an anonymous one
    rendered = client.get(URL, headers={"If-None-Match": etag, "Cookie": "session=unreadable"})
    assert kept.status_code == rendered.status_code == 304
    assert headers_of(kept) == headers_of(rendered)


def test_signed_in_staff_never_get_the_kept_answer(front_app):
    front_app.test_client().get(URL)  # kept for anonymous readers
    staff = front_app.test_client()
    with front_app.app_context():
        user_id = factories.user(Role.MODERATOR).get_id()
        db.session.commit()
    sign_in_session(staff, user_id)
    opened = front_app.sessions.opened
    page = staff.get(URL)
    assert front_app.sessions.opened == opened + 1  # Flask rendered it for them
    assert page.headers["Cache-Control"] == "private, no-store"


def test_staff_pages_are_never_kept(front_app):
    staff = front_app.test_client()
    with front_app.app_context():
        user_id = factories.user(Role.MODERATOR).get_id()
        db.session.commit()
    sign_in_session(staff, user_id)
    staff.get(URL)
    assert len(front(front_app).answers._entries) == 0


def test_a_remember_me_cookie_alone_goes_to_flask(front_app):
    front_app.test_client().get(URL)
    reader = front_app.test_client()
    reader.set_cookie("remember_token", "1|not-a-real-token")
    opened = front_app.sessions.opened
    assert reader.get(URL).status_code == 200
    assert front_app.sessions.opened == opened + 1


def test_a_reader_with_a_message_waiting_gets_it_not_the_kept_answer(front_app):
    front_app.test_client().get(URL)
    reader = front_app.test_client()
    posted = reader.post(f"{URL}/comments", data={
        "name": "Ana", "email": "ana.front@example.com", "body": "Held for the desk"})
    assert posted.status_code == 303
    page = reader.get(URL)
    assert b"awaiting moderation" in page.data and b"Held for the desk" in page.data
    assert page.headers["Cache-Control"] == "private, no-store"
    assert b"Held for the desk" not in front_app.test_client().get(URL).data


def test_a_change_is_seen_at_once_on_the_server_that_made_it(front_app):
    front_app.config["PAGE_CACHE_CHECK_SECONDS"] = 60  # only a commit here makes it read again
    client = front_app.test_client()
    client.get(URL)
    with front_app.app_context():
        article = db.session.scalar(db.select(Article).where(Article.slug == "front-story"))
        article.headline = "A headline changed here"
        db.session.commit()
    assert b"A headline changed here" in client.get(URL).data


def test_another_server_s_change_is_seen_within_the_check_seconds(front_app, monkeypatch):
    """A change committed elsewhere (no session commit in this process) is seen once this
    process reads the counters again, PAGE_CACHE_CHECK_SECONDS after its last read."""
    front_app.config["PAGE_CACHE_CHECK_SECONDS"] = 60
    client = front_app.test_client()
    client.get(URL)
    with front_app.app_context(), db.engine.begin() as connection:  # as another server would
        connection.execute(text(
            "UPDATE articles SET headline = 'Changed on another server', version = version + 1 "
            "WHERE slug = 'front-story'"))
        connection.execute(text(
            "UPDATE site_versions SET content_version = content_version + 1"))
    assert b"Changed on another server" not in client.get(URL).data  # within the 60 s
    later = time.monotonic() + 61
    monkeypatch.setattr(front_cache.time, "monotonic", lambda: later)
    assert b"Changed on another server" in client.get(URL).data


def test_comments_closing_by_age_are_seen_though_nothing_was_written(make_app):
    app = make_app(COMMENTS_CLOSE_AFTER_DAYS=1)
    with app.app_context():
        # long enough for the first two answers on a loaded machine (a first render compiles
        # the templates); a second was too short for the PostgreSQL pass beside another run
        closing_in = timedelta(seconds=3)
        factories.article(slug="front-story", published=utcnow() - timedelta(days=1) + closing_in)
        db.session.commit()
    client = app.test_client()
    assert b"Comments are closed" not in client.get(URL).data
    assert b"Comments are closed" not in client.get(URL).data  # the kept answer
    time.sleep(closing_in.total_seconds() + 0.2)
    assert b"Comments are closed" in client.get(URL).data


def test_an_untrusted_host_is_refused_after_a_trusted_one_was_kept(make_app):
    app = make_app(SITE_URL=None)
    with app.app_context():
        factories.article(slug="front-story")
        db.session.commit()
    client = app.test_client()
    assert client.get(URL, headers={"Host": "localhost"}).status_code == 200
    assert client.get(URL, headers={"Host": "localhost"}).status_code == 200  # kept
    refused = client.get(URL, headers={"Host": "evil.example"})
    assert refused.status_code == 400 and b"evil.example" not in refused.data


def test_with_a_site_url_and_any_host_one_answer_serves_every_host(front_app):
    """SITE_URL makes every absolute URL and no Host is refused: a made-up Host is the page."""
    client = front_app.test_client()
    first = client.get(URL, headers={"Host": "news.example"})
    other = client.get(URL, headers={"Host": "made-up.example"})
    assert other.data == first.data and b"made-up.example" not in other.data
    assert len(front(front_app).answers._entries) == 1


def test_with_trusted_hosts_each_host_is_kept_apart(make_app):
    app = make_app(SITE_URL=None, TRUSTED_HOSTS="a.example,b.example")
    with app.app_context():
        factories.article(slug="front-story")
        db.session.commit()
    client = app.test_client()
    for host in ("a.example", "b.example"):
        page = client.get(URL, headers={"Host": host})
        assert f'href="http://{host}/articles/front-story"'.encode() in page.data
        again = client.get(URL, headers={"Host": host})
        assert again.data == page.data
    assert len(front(app).answers._entries) == 2


def test_when_the_counters_cannot_be_read_flask_answers(front_app, monkeypatch):
    front_app.test_client().get(URL)

    def fails(engine):
        raise OperationalError("SELECT", {}, Exception("database is away"))

    monkeypatch.setattr(front_cache, "read_site_state", fails)
    opened = front_app.sessions.opened
    assert front_app.test_client().get(URL).status_code == 200
    assert front_app.sessions.opened == opened + 1


def test_only_shared_gets_are_kept(front_app):
    client = front_app.test_client()
    client.head(URL)
    client.get(f"{URL}?replyto=1")  # a form answering a comment: the reader's own page
    client.get("/session/form?article=1")
    client.get("/articles/no-such-story")
    assert len(front(front_app).answers._entries) == 0


@pytest.mark.parametrize("path", ["/", "/sections/harbour", "/feed.xml", "/atom.xml",
                                  "/sitemap.xml", "/sitemap-news.xml"])
def test_lists_feeds_and_sitemaps_are_kept_and_follow_a_publication(front_app, path):
    with front_app.app_context():
        harbour = factories.section("Harbour", slug="harbour")
        db.session.commit()
    client = front_app.test_client()
    first = client.get(path)
    assert first.status_code == 200 and client.get(path).data == first.data
    assert len(front(front_app).answers._entries) == 1
    with front_app.app_context():
        factories.article("A story just published", slug="just-published", section=harbour)
        db.session.commit()
    assert b"just-published" in client.get(path).data


def test_the_news_sitemap_is_kept_until_its_hour_is_over(front_app):
    def hour_end(moment):
        return (moment.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)).timestamp()

    before = utcnow()
    front_app.test_client().get("/sitemap-news.xml")
    [answer] = front(front_app).answers._entries.values()
    assert answer.until in {hour_end(before), hour_end(utcnow())}  # its two-day window slides


def test_api_answers_are_not_kept(front_app):
    client = front_app.test_client()
    assert client.get("/api/v1/articles").status_code == 200
    assert len(front(front_app).answers._entries) == 0


def test_no_front_when_the_page_cache_is_off(make_app):
    assert not isinstance(make_app(PAGE_CACHE_ENABLED=False).wsgi_app, FrontCache)
