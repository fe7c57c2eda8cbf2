"""Anonymous pages are the same bytes for every reader; the reply form fetches its own tokens.

The CSRF token and the signed form timestamp come from GET /session/form (private, never
stored); without JavaScript the first POST is answered with the form again, what was typed
kept and fresh values filled in, and one more click posts it. CSRF stays enforced throughout.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import Comment, CommentStatus, Role
from tests.helpers import sign_in_session

REPLY = {"name": "Tove Lund", "email": "tove.shared@example.net", "body": "Is the slipway open?"}
FILLED = re.compile(r'name="(csrf_token|form_token)" type="hidden" value="([^"]+)"')


@pytest.fixture(params=[True, False], ids=["page-cache", "no-page-cache"])
def site(request, make_app, make):
    """CSRF on, as in production; an article with a comment, in a section."""
    app = make_app(WTF_CSRF_ENABLED=True, PAGE_CACHE_ENABLED=request.param)
    with app.app_context():
        section = make.section("Harbour", slug="harbour")
        article = make.article(headline="Slipway repairs", section=section)
        make.comment(article, body="A shared comment.")
        db.session.commit()
        app.config["_article"] = (article.id, article.slug)
    return app


def article_url(app) -> str:
    return f"/articles/{app.config['_article'][1]}"


def session_url(app) -> str:
    return f"/session/form?article={app.config['_article'][0]}"


@pytest.mark.parametrize("path", ["article", "/", "/sections/harbour", "/sections/harbour?page=1"])
def test_two_anonymous_readers_get_the_same_bytes(site, path):
    path = article_url(site) if path == "article" else path
    first, second = site.test_client(), site.test_client()
    pages = [client.get(path) for client in (first, second, first)]
    assert all(page.status_code == 200 for page in pages)
    assert pages[0].data == pages[1].data == pages[2].data
    assert pages[0].headers["ETag"] == pages[1].headers["ETag"]
    assert all("Set-Cookie" not in page.headers for page in pages)
    assert not FILLED.search(pages[0].get_data(as_text=True))  # no one's token is in it


def test_a_shared_page_tells_proxies_they_may_keep_it(site):
    site.config.update(SHARED_CACHE_SECONDS=1, SHARED_CACHE_STALE_SECONDS=5)
    for path in (article_url(site), "/", "/sections/harbour"):
        page = site.test_client().get(path)
        assert page.headers["Cache-Control"] == (
            "public, max-age=0, s-maxage=1, stale-while-revalidate=5")
        again = site.test_client().get(path, headers={"If-None-Match": page.headers["ETag"]})
        assert again.status_code == 304
        assert again.headers["Cache-Control"].startswith("public, max-age=0, s-maxage=1")


def test_the_form_endpoint_gives_this_reader_tokens_that_post(site):
    reader = site.test_client()
    reader.get(article_url(site))
    answer = reader.get(session_url(site))
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "private, no-store"
    tokens = answer.get_json()
    assert set(tokens) == {"csrf_token", "form_token"} and all(tokens.values())
    response = reader.post(f"{article_url(site)}/comments", data={**REPLY, **tokens})
    assert response.status_code == 303


def test_the_form_timestamp_is_the_endpoint_s_so_the_too_fast_trap_still_holds(site):
    site.config.update(COMMENT_MIN_SECONDS=60, COMMENT_PREMODERATION=False)
    reader = site.test_client()
    tokens = reader.get(session_url(site)).get_json()
    assert reader.post(f"{article_url(site)}/comments", data={**REPLY, **tokens}).status_code == 303
    with site.app_context():
        comment = db.session.scalar(select(Comment).where(Comment.author_name == REPLY["name"]))
        assert (comment.status, comment.held_reasons) == (CommentStatus.PENDING, ["too-fast"])


def test_another_reader_s_token_is_refused(site):
    owner, other = site.test_client(), site.test_client()
    tokens = owner.get(session_url(site)).get_json()
    other.get(session_url(site))  # a session of its own, with another secret
    response = other.post(f"{article_url(site)}/comments", data={**REPLY, **tokens})
    assert response.status_code == 400 and "Your session expired" in response.get_data(as_text=True)
    with site.app_context():
        assert db.session.scalars(select(Comment).where(Comment.author_name == REPLY["name"])).all() == []


def test_without_javascript_one_more_click_posts_what_was_typed(site):
    reader = site.test_client()
    shared = reader.get(article_url(site)).get_data(as_text=True)
    sent = {**REPLY, **dict(re.findall(r'name="(csrf_token|form_token)" type="hidden" value="()"', shared))}
    refused = reader.post(f"{article_url(site)}/comments", data=sent)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "no-store" in refused.headers["Cache-Control"]
    assert "press “Post comment” again" in page and REPLY["body"] in page
    fresh = dict(FILLED.findall(page))
    assert set(fresh) == {"csrf_token", "form_token"}
    response = reader.post(f"{article_url(site)}/comments", data={**REPLY, **fresh})
    assert response.status_code == 303


def test_the_form_endpoint_wants_an_article_id(site):
    for query in ("", "?article=", "?article=x", "?article=0"):
        answer = site.test_client().get(f"/session/form{query}")
        assert answer.status_code == 400 and answer.get_json()["error"]["status"] == 400
        assert answer.headers["Cache-Control"] == "private, no-store"


def test_pages_for_one_reader_are_private(site, make):
    url = article_url(site)
    reader = site.test_client()
    reader.post(f"{url}/comments", data={**REPLY, **reader.get(session_url(site)).get_json()})
    flashed = reader.get(url)  # the notice, and their own pending comment
    assert "awaiting moderation" in flashed.get_data(as_text=True)
    own = reader.get(url)  # their own pending comment, without the notice
    assert REPLY["body"] in own.get_data(as_text=True)
    replying = site.test_client().get(f"{url}?replyto=1")
    staff = site.test_client()
    with site.app_context():
        user_id = make.user(Role.MODERATOR).get_id()
        db.session.commit()
    sign_in_session(staff, user_id)
    for page in (flashed, own, replying, staff.get(url), staff.get("/")):
        assert page.status_code == 200
        assert "private" in page.headers["Cache-Control"] and "no-store" in page.headers["Cache-Control"]
        assert "public" not in page.headers["Cache-Control"]
    assert FILLED.search(replying.get_data(as_text=True))  # its own tokens: posts without JS
