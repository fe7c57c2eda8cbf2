"""Articles' comments counters: raised in the same transaction as every public comment change."""
from __future__ import annotations

from sqlalchemy import delete, select

from newsroom.content.versions import bump_comments
from newsroom.extensions import db
from newsroom.models import Article, Comment, CommentStatus


def counters(article_id: int) -> tuple[int, object]:
    db.session.commit()
    return db.session.execute(
        select(Article.comments_version, Article.comments_changed_at).where(Article.id == article_id)
    ).one()


def test_a_pending_comment_leaves_the_counter_alone(make):
    article = make.article()
    before = counters(article.id)
    make.comment(article, status=CommentStatus.PENDING)
    assert counters(article.id) == before


def test_approval_edit_rejection_and_deletion_each_raise_it(make):
    article = make.article()
    comment = make.comment(article, status=CommentStatus.PENDING)
    seen = [counters(article.id)[0]]
    for change in (
        lambda: setattr(comment, "status", CommentStatus.APPROVED),
        lambda: setattr(comment, "body", "<p>Edited.</p>"),
        lambda: setattr(comment, "status", CommentStatus.REJECTED),
    ):
        change()
        seen.append(counters(article.id)[0])
    assert seen == [0, 1, 2, 3]
    assert counters(article.id)[1] is not None
    comment.status = CommentStatus.APPROVED
    version = counters(article.id)[0]
    db.session.delete(db.session.get(Comment, comment.id))
    assert counters(article.id)[0] == version + 1


def test_a_rejected_comment_edited_is_not_a_public_change(make):
    article = make.article()
    comment = make.comment(article, status=CommentStatus.REJECTED)
    before = counters(article.id)
    comment.body = "<p>Still hidden.</p>"
    assert counters(article.id) == before


def test_bulk_statements_bump_explicitly_and_loaded_articles_see_it(make):
    article, other = make.article(), make.article()
    comment = make.comment(article)
    version = counters(article.id)[0]
    db.session.execute(delete(Comment).where(Comment.id == comment.id))
    bump_comments({article.id})
    assert article.comments_version == version + 1  # the loaded object reads it again
    assert counters(article.id)[0] == version + 1
    assert counters(other.id)[0] == 0


def test_the_counter_does_not_touch_the_story_or_its_edit_lock(make):
    article = make.article()
    db.session.commit()
    updated, lock = article.updated_at, article.version
    make.comment(article)
    db.session.commit()
    assert (article.updated_at, article.version) == (updated, lock)
    assert article.comments_version == 1
