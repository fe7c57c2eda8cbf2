"""Per-IP limit on reply POSTs (Flask-Limiter): in memory, in Redis, and switched off.

Over the limit the reader gets a 429 page that is the article again with their text kept.
"""
from __future__ import annotations

import uuid
from html import escape

import pytest
from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import Article
from newsroom.readers.views import RATE_LIMIT_MESSAGE
from tests.comments.conftest import REPLY, comments

REDIS_URL = "redis://127.0.0.1:6379/0"


def limited_app(make_app, **overrides):
    return make_app(RATELIMIT_ENABLED=True, COMMENT_RATE_LIMIT="2 per minute", **overrides)


def post_three(app, make, reply, ip="192.0.2.10"):
    """Three replies from one address; returns the responses."""
    with app.app_context():
        article = make.article()
        db.session.commit()
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = ip
        responses = [reply(article, via=client, body=f"Reply number {n}.") for n in (1, 2, 3)]
        return article, client, responses


def assert_limited_with_text_kept(responses):
    assert [response.status_code for response in responses] == [303, 303, 429]
    page = responses[2].get_data(as_text=True)
    assert RATE_LIMIT_MESSAGE in page
    assert escape("Reply number 3.") in page  # the reader's text, back in the form
    assert f'value="{REPLY["name"]}"' in page
    assert 'class="reply-form"' in page


def test_over_the_limit_the_reader_gets_a_429_that_keeps_their_text(make_app, make, reply):
    app = limited_app(make_app)
    article, client, responses = post_three(app, make, reply)
    assert_limited_with_text_kept(responses)
    with app.app_context():
        assert len(comments()) == 2


def test_the_limit_is_per_address(make_app, make, reply):
    app = limited_app(make_app)
    article, _, _ = post_three(app, make, reply, ip="192.0.2.10")
    with app.app_context():
        other = app.test_client()
        other.environ_base["REMOTE_ADDR"] = "192.0.2.99"
        assert reply(article, via=other, body="From elsewhere.").status_code == 303


def test_reading_is_not_limited(make_app, make, reply):
    app = limited_app(make_app)
    article, client, _ = post_three(app, make, reply)
    with app.app_context():
        assert client.get(f"/articles/{article.slug}").status_code == 200


def test_limits_can_be_switched_off(make_app, make, reply):
    app = make_app(RATELIMIT_ENABLED=False, COMMENT_RATE_LIMIT="2 per minute")
    _, _, responses = post_three(app, make, reply)
    assert [response.status_code for response in responses] == [303, 303, 303]


@pytest.mark.parametrize("setting", ["false", "False"])
def test_the_environment_string_false_switches_limits_off(make_app, setting):
    assert make_app(RATELIMIT_ENABLED=setting).config["RATELIMIT_ENABLED"] is False


def test_storage_is_memory_unless_redis_is_configured(make_app):
    assert make_app().config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert make_app(REDIS_URL=REDIS_URL).config["RATELIMIT_STORAGE_URI"] == REDIS_URL


@pytest.fixture(scope="session")
def redis_prefix():
    """A key prefix of this run's own in the Redis at 127.0.0.1:6379; its keys go afterwards.

    One per run: Flask-Limiter keeps the first prefix it is given for the process.
    """
    import redis

    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        server.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis does not answer at 127.0.0.1:6379; the Redis limiter test needs it")
    prefix = f"newsroom-test-{uuid.uuid4().hex}"
    yield prefix
    for key in server.scan_iter(match=f"*{prefix}*"):
        server.delete(key)


def test_the_limit_is_kept_in_redis_when_configured(make_app, make, reply, redis_prefix):
    import redis

    app = limited_app(make_app, REDIS_URL=REDIS_URL, RATELIMIT_KEY_PREFIX=redis_prefix)
    _, _, responses = post_three(app, make, reply, ip="192.0.2.77")
    assert_limited_with_text_kept(responses)
    keys = list(redis.Redis.from_url(REDIS_URL).scan_iter(match=f"*{redis_prefix}*"))
    assert keys and any(b"192.0.2.77" in key for key in keys)


def test_app_servers_sharing_redis_share_the_count(make_app, make, reply, redis_prefix):
    settings = dict(REDIS_URL=REDIS_URL, RATELIMIT_KEY_PREFIX=redis_prefix)
    first = limited_app(make_app, **settings)
    with first.app_context():
        article = make.article()
        db.session.commit()
        slug = article.slug
        client = first.test_client()
        client.environ_base["REMOTE_ADDR"] = "192.0.2.78"
        assert reply(article, via=client, body="One.").status_code == 303
        assert reply(article, via=client, body="Two.").status_code == 303
    second = limited_app(make_app, **settings)  # a fresh process's storage: only Redis remembers
    with second.app_context():
        article = db.session.scalar(select(Article).where(Article.slug == slug))
        client = second.test_client()
        client.environ_base["REMOTE_ADDR"] = "192.0.2.78"
        assert reply(article, via=client, body="Three.").status_code == 429


def test_over_the_limit_on_a_closed_article_the_generic_429_page_is_shown(make_app, make, reply):
    app = limited_app(make_app)
    with app.app_context():
        article = make.article(comments_enabled=False)
        db.session.commit()
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = "192.0.2.30"
        responses = [reply(article, via=client, body=f"Reply {n}.") for n in (1, 2, 3)]
    assert [response.status_code for response in responses] == [303, 303, 429]
    page = responses[2].get_data(as_text=True)
    assert "Too many requests in a short time." in page
    assert 'class="reply-form"' not in page and "Reply 3." not in page
