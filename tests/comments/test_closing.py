"""Comments close by age (COMMENTS_CLOSE_AFTER_DAYS, 0 = never) or by the editor's switch."""
from __future__ import annotations

from datetime import timedelta

import pytest

from newsroom.content.articles import comments_open
from newsroom.extensions import db
from newsroom.models import utcnow
from tests.comments.conftest import comments


@pytest.mark.parametrize(
    "days, published_days_ago, is_open",
    [
        (30, 1, True),
        (30, 29.9, True),
        (30, 30.1, False),
        (7, 8, False),
        (7, 6, True),
        (0, 3650, True),  # 0: never closes by age
    ],
)
def test_comments_close_by_age(make_app, make, days, published_days_ago, is_open):
    app = make_app(COMMENTS_CLOSE_AFTER_DAYS=days)
    with app.app_context():
        article = make.article(published=utcnow() - timedelta(days=published_days_ago))
        assert comments_open(article, utcnow()) is is_open


def test_the_editor_can_close_comments_even_when_age_would_not(make_app, make):
    app = make_app(COMMENTS_CLOSE_AFTER_DAYS=0)
    with app.app_context():
        article = make.article(comments_enabled=False)
        assert comments_open(article, utcnow()) is False


@pytest.mark.parametrize("closed_by", ["editor", "age"])
def test_a_reply_to_a_closed_article_is_refused_and_the_form_hidden(reply, client, make, closed_by):
    if closed_by == "editor":
        article = make.article(comments_enabled=False)
    else:
        article = make.article(published=utcnow() - timedelta(days=31))
    db.session.commit()
    response = reply(article)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Comments are closed on this article." in page
    assert 'class="reply-form"' not in page
    assert comments() == []


def test_an_old_article_stays_open_when_closing_is_off(make_app, make, reply):
    app = make_app(COMMENTS_CLOSE_AFTER_DAYS=0)
    with app.app_context():
        article = make.article(published=utcnow() - timedelta(days=400))
        db.session.commit()
        client = app.test_client()
        page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
        assert 'class="reply-form"' in page
        assert reply(article, via=client).status_code == 303
        assert len(comments()) == 1
