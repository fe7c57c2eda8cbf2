"""The reply intake writes without the ORM: what the ORM did on the way in still happens.

A comment published at once (a trusted browser) raises its article's and the site's comments
versions in its own transaction, and the ``comment_approved`` listeners get the stored comment;
a held one raises nothing. Names and websites are cleaned as the model's validators clean them.
"""
from __future__ import annotations

from sqlalchemy import select

from newsroom.comments.records import comment_approved
from newsroom.content.site_version import site_state
from newsroom.extensions import db
from newsroom.models import Article, CommentStatus, ModerationDecision
from tests.comments.conftest import comments, trust_browser_of

EMAIL = "tamsin.orrell@example.org"


def versions(article_id: int) -> tuple[int, int]:
    db.session.commit()
    article = db.session.scalar(select(Article.comments_version).where(Article.id == article_id))
    return article, site_state().comments


def test_a_reply_published_at_once_raises_the_versions_and_tells_the_listeners(make, reply):
    article = make.article()
    trust_browser_of(reply.client, EMAIL)
    before = versions(article.id)
    heard = []

    def listener(comment, new=False):
        heard.append((comment.id, comment.status, new))

    comment_approved.connect(listener)
    try:
        assert reply(article, email=EMAIL).status_code == 303
    finally:
        comment_approved.disconnect(listener)
    (comment,) = comments()
    assert comment.status is CommentStatus.APPROVED
    assert versions(article.id) == (before[0] + 1, before[1] + 1)
    assert heard == [(comment.id, CommentStatus.APPROVED, True)]
    assert comment.rendered_html and "ferry timetable" in comment.rendered_html
    assert db.session.get(Article, article.id).shown_threads == 1
    assert reply.client.get(f"/articles/{article.slug}").get_data(as_text=True).count(
        f'id="comment-{comment.id}"') == 1


def test_a_held_reply_raises_nothing_and_records_its_first_decision(make, reply):
    article = make.article()
    before = versions(article.id)
    assert reply(article).status_code == 303
    (comment,) = comments()
    assert versions(article.id) == before
    (decision,) = db.session.scalars(select(ModerationDecision))
    assert (decision.comment_id, decision.comment_ref, decision.moderator_id) == (
        comment.id, comment.id, None)
    assert (decision.from_status, decision.to_status, decision.reason) == (
        "new", "pending", "pre-moderation")
    assert decision.created_at == comment.created_at


def test_names_and_websites_are_cleaned_as_the_model_cleans_them(make, reply):
    article = make.article()
    db.session.commit()
    reply(article, name="Tamsin\u202e Orrell", website="https://bücher.example/page")
    (comment,) = comments()
    assert comment.author_name == "Tamsin Orrell"
    assert comment.author_website == "https://xn--bcher-kva.example/page"
