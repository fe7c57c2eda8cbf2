"""An article's editors' picks: featured approved comments, newest-featured first, in one query."""
from __future__ import annotations

from typing import NamedTuple

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from newsroom.comments.records import shown_to_readers, thread_root_column
from newsroom.content.threads import public_comment
from newsroom.extensions import db
from newsroom.models import Article, Comment

#: At most this many picks are shown above the thread.
PICKS_SHOWN = 5


class Pick(NamedTuple):
    """A featured comment and the comment page (``cpage``) of the thread that shows it."""

    comment: Comment
    page: int


def editors_picks(article: Article, limit: int = PICKS_SHOWN) -> list[Pick]:
    """The article's featured comments that readers can see in the thread, with their pages.

    A pick is shown when it, its parent and its thread's top-level comment are shown to readers
    (approved and not hidden after reports; a
    reply under a withdrawn comment is not in the thread, so neither is it here). Its page is
    where that top-level comment falls, oldest first: one correlated count per pick, in the
    same query, so the block costs one query however long the thread.
    """
    root, parent, earlier = aliased(Comment), aliased(Comment), aliased(Comment)
    before = (
        select(func.count())
        .select_from(earlier)
        .where(
            earlier.article_id == article.id,
            shown_to_readers(earlier),
            earlier.parent_id.is_(None),
            or_(earlier.created_at < root.created_at,
                (earlier.created_at == root.created_at) & (earlier.id < root.id)),
        )
        .correlate(root)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Comment, before.label("before"))
        .options(public_comment())
        .join(root, root.id == thread_root_column())
        .outerjoin(parent, Comment.parent_id == parent.id)
        .where(
            Comment.article_id == article.id,
            shown_to_readers(),
            Comment.featured_at.is_not(None),
            shown_to_readers(root),
            or_(Comment.parent_id.is_(None), shown_to_readers(parent)),
        )
        .order_by(Comment.featured_at.desc(), Comment.id.desc())
        .limit(limit)
    ).all()
    per_page = int(current_app.config["COMMENTS_PER_PAGE"])
    return [Pick(comment, before // per_page + 1) for comment, before in rows]
