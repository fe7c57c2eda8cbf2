"""The reader's own recent comments, remembered in their signed session so they see them held.

After posting, a reader's comment ids stay in the session for OWN_COMMENT_SECONDS; while any
is there, their article pages show those comments in place (still pending, marked so) and are
never cached or shared. Nobody else's session carries the ids, so nobody else sees them.
"""
from __future__ import annotations

import time

from flask import current_app, session
from sqlalchemy import select

from newsroom.content.threads import public_comment
from newsroom.extensions import db
from newsroom.models import Article, Comment, CommentStatus

SESSION_KEY = "own_comments"
MAX_REMEMBERED = 20  #: a session cookie stays small however much one reader posts


def remember(comment_id: int) -> None:
    """Keep ``comment_id`` in this reader's session for OWN_COMMENT_SECONDS."""
    expires = int(time.time()) + int(current_app.config["OWN_COMMENT_SECONDS"])
    kept = [entry for entry in _entries() if entry[0] != comment_id]
    session[SESSION_KEY] = (kept + [[comment_id, expires]])[-MAX_REMEMBERED:]


def own_ids() -> list[int]:
    """This reader's remembered comment ids, dropping those whose time is up."""
    if SESSION_KEY not in session:
        return []
    entries = _entries()
    if len(entries) != len(session[SESSION_KEY]):
        if entries:
            session[SESSION_KEY] = entries
        else:
            session.pop(SESSION_KEY)
    return [entry[0] for entry in entries]


def _entries() -> list[list[int]]:
    now = time.time()
    entries = session.get(SESSION_KEY)
    if not isinstance(entries, list):
        return []
    return [
        [entry[0], entry[1]]
        for entry in entries
        if isinstance(entry, list) and len(entry) == 2 and entry[1] > now
    ]


def own_pending_comments(article: Article) -> list[Comment]:
    """This reader's remembered comments on ``article`` still awaiting moderation, oldest first."""
    ids = own_ids()
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Comment)
            .options(public_comment())
            .where(
                Comment.id.in_(ids),
                Comment.article_id == article.id,
                Comment.status == CommentStatus.PENDING,
            )
            .order_by(Comment.created_at, Comment.id)
        )
    )
