"""The rendered-page cache: shared by anonymous readers, never stale, never someone else's token."""
from __future__ import annotations

import re
import uuid

import pytest
import redis
from sqlalchemy import event

from newsroom.extensions import db
from newsroom.models import CommentStatus, Role
from newsroom.readers.pagecache import MemoryStore
from tests.helpers import sign_in_session

def served(app, path: str, client=None) -> tuple[str, list[str]]:
    """GET ``path`` outside any pushed app context (so nothing is shared through ``g``)."""
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        html = (client or app.test_client()).get(path).get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return html, statements


@pytest.fixture
def csrf_app(make_app, make):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        article = make.article()
        make.comment(article, body="Stored comment")
        db.session.commit()
        app.config["TEST_ARTICLE_URL"] = f"/articles/{article.slug}"
    return app


def test_a_second_reader_gets_the_stored_page_byte_for_byte(csrf_app):
    url = csrf_app.config["TEST_ARTICLE_URL"]
    first, rendering = served(csrf_app, url)
    second, from_cache = served(csrf_app, url)
    assert len(from_cache) < len(rendering)
    assert first == second  # no one's token is in it: the form fetches its own
    assert "Stored comment" in second and 'name="csrf_token" type="hidden" value=""' in second


def test_a_reader_of_the_cached_page_posts_with_the_tokens_the_form_fetches(csrf_app):
    url = csrf_app.config["TEST_ARTICLE_URL"]
    served(csrf_app, url)  # fills the cache
    reader = csrf_app.test_client()
    page, _ = served(csrf_app, url, reader)
    article_id = re.search(r'data-session="/session/form\?article=(\d+)"', page).group(1)
    tokens = reader.get(f"/session/form?article={article_id}").get_json()
    response = reader.post(
        f"{url}/comments",
        data={"name": "Lena", "email": "lena.cache@example.com", "body": "From a cached page.", **tokens},
    )
    assert response.status_code == 303


@pytest.mark.parametrize("change", ["approve", "reject", "edit", "outlet"])
def test_a_change_to_what_the_page_shows_is_seen_at_once(client, make, change):
    outlet = make.outlet(credit_line="Old credit line.")
    article = make.syndicated_article(outlet, headline="Old headline")
    shown = make.comment(article, body="Shown at first")
    waiting = make.comment(article, status=CommentStatus.PENDING, body="Waiting comment")
    db.session.commit()
    url = f"/articles/{article.slug}"
    client.get(url)
    before = client.get(url).get_data(as_text=True)
    if change == "approve":
        waiting.status, expected = CommentStatus.APPROVED, "Waiting comment"
    elif change == "reject":
        shown.status, expected = CommentStatus.REJECTED, ">0 comments<"
    elif change == "edit":
        article.headline, expected = "New headline", "New headline"
    else:
        outlet.credit_line, expected = "New credit line.", "New credit line."
    db.session.commit()
    assert expected not in before
    assert expected in client.get(url).get_data(as_text=True)


def test_comment_pages_are_stored_apart(client, make, app):
    article = make.article()
    for n in range(app.config["COMMENTS_PER_PAGE"] + 1):
        make.comment(article, body=f"Numbered comment {n}")
    db.session.commit()
    client.get(f"/articles/{article.slug}")
    second = client.get(f"/articles/{article.slug}?cpage=2").get_data(as_text=True)
    assert "Comments page 2 of 2" in second


def test_a_flashed_message_is_never_lost_to_the_cache(client, make):
    article = make.article()
    db.session.commit()
    client.get(f"/articles/{article.slug}")
    client.post(
        f"/articles/{article.slug}/comments",
        data={"name": "Ana", "email": "ana.flash@example.com", "body": "Hello there"},
    )
    assert "awaiting moderation" in client.get(f"/articles/{article.slug}").get_data(as_text=True)



def test_signed_in_staff_get_a_page_rendered_for_them(make_app, make):
    app = make_app()
    with app.app_context():
        article = make.article()
        make.comment(article)
        url = f"/articles/{article.slug}"
        db.session.commit()
    served(app, url)
    _, anonymous = served(app, url)
    staff = app.test_client()
    with app.app_context():
        user_id = make.user(Role.MODERATOR).get_id()
        db.session.commit()
    sign_in_session(staff, user_id)
    _, signed_in = served(app, url, staff)
    assert len(signed_in) > len(anonymous)


def test_the_memory_store_keeps_the_most_recently_used_pages():
    store = MemoryStore(max_entries=2)
    store.set("a", "A", 60)
    store.set("b", "B", 60)
    store.get("a")
    store.set("c", "C", 60)
    assert (store.get("a"), store.get("b"), store.get("c")) == ("A", None, "C")


@pytest.fixture
def redis_url():
    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not answering on 127.0.0.1:6379")
    return url


def test_app_servers_share_pages_through_redis(make_app, make, redis_url, count_queries):
    prefix = f"newsroom-test:{uuid.uuid4().hex}:"
    settings = {"REDIS_URL": redis_url, "PAGE_CACHE_KEY_PREFIX": prefix}
    first_server, second_server = make_app(**settings), make_app(**settings)
    client = redis.Redis.from_url(redis_url)
    try:
        with first_server.app_context():
            article = make.article(headline="Shared through Redis")
            db.session.commit()
            first_server.test_client().get(f"/articles/{article.slug}")
        assert len(client.keys(prefix + "*")) == 1
        assert 0 < client.ttl(client.keys(prefix + "*")[0]) <= 60
        with second_server.app_context(), count_queries() as statements:
            page = second_server.test_client().get(f"/articles/{article.slug}")
        assert b"Shared through Redis" in page.data
        assert not any("FROM comments" in s and "LIMIT" in s for s in statements)
    finally:
        for key in client.keys(prefix + "*"):
            client.delete(key)
