"""Version counters for what anonymous readers see, kept in the same transaction as each change.

Every article carries ``comments_version``, raised (with ``comments_changed_at``) whenever a
comment that is or was public changes: approved, rejected or deleted after approval, edited,
erased. So the article page's validator and page-cache key are read with the article itself,
in its one primary-key-sized query, instead of an aggregate over every approved comment. The
same UPDATE counts the article's shown comments, threads and picks again (``shown_*``), so a
page's counts are read with the article too, and the aggregate runs once per change rather
than once per page view. Each such raise also raises the site's ``comments_version``
(newsroom/content/site_version.py).

ORM changes are counted by one session listener (``after_flush``), so no caller can forget
them; statements that bypass the ORM (bulk ``insert``/``update``/``delete`` of comments) call
:func:`bump_comments` with the articles they touched.
"""
from __future__ import annotations

from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key
from sqlalchemy.orm.attributes import PASSIVE_NO_INITIALIZE, get_history

from newsroom.content.site_version import bump_site
from newsroom.extensions import db
from newsroom.models import Article, Comment, CommentStatus, utcnow

_BUMPED = "newsroom_bumped_articles"
_CHANGED = "newsroom_changed_comment_articles"
_ADDED = "newsroom_added_public_comments"
_COUNTERS = ["comments_version", "comments_changed_at", "shown_comments", "shown_threads",
             "shown_picks"]


def bump_comments(article_ids) -> None:
    """Raise the comments version of articles a bulk statement changed (one UPDATE)."""
    session = db.session()
    _bump(session, article_ids)
    _expire_counters(session)


def _bump(session: Session, article_ids) -> None:
    """One UPDATE raising the counters, in ``session``'s transaction; no-op for no articles."""
    ids = sorted({article_id for article_id in article_ids if article_id is not None})
    if not ids:
        return
    table = Article.__table__
    session.connection().execute(
        update(table)
        .where(table.c.id.in_(ids))
        .values(
            comments_version=table.c.comments_version + 1,
            comments_changed_at=utcnow(),
            updated_at=table.c.updated_at,  # a comment is not an edit of the story
            **_shown_counts(table),
        )
    )
    session.info.setdefault(_BUMPED, set()).update(ids)
    bump_site(session, comments=True)  # the lists show comment counts


def _shown_counts(table) -> dict:
    """The articles' shown comments, threads and picks, counted again (the page reads these)."""
    comments = Comment.__table__
    shown = (
        (comments.c.article_id == table.c.id)
        & (comments.c.status == CommentStatus.APPROVED.value)
        & comments.c.hidden_at.is_(None)
    )

    def count(*where):
        return select(func.count()).where(shown, *where).scalar_subquery()

    return {
        "shown_comments": count(),
        "shown_threads": count(comments.c.parent_id.is_(None)),
        "shown_picks": count(comments.c.featured_at.is_not(None)),
    }


def _is_public(comment: Comment, *, was: bool) -> bool:
    """Whether the comment is approved now, or (``was``) may have been before this flush.

    A status set while expired has no known former value: it counts as a public change.
    """
    if comment.status is CommentStatus.APPROVED:
        return True
    if not was:
        return False
    history = get_history(comment, "status", passive=PASSIVE_NO_INITIALIZE)
    return CommentStatus.APPROVED in history.deleted or (bool(history.added) and not history.deleted)


@event.listens_for(Session, "before_flush")
def _note_comment_changes(session: Session, flush_context, instances) -> None:
    """Before the flush, while changed and deleted rows can still be read, note their articles."""
    articles = session.info.setdefault(_CHANGED, set())
    for comment in list(session.dirty) + list(session.deleted):
        if isinstance(comment, Comment) and _is_public(comment, was=True):
            if comment in session.deleted or session.is_modified(comment):
                articles.add(comment.article_id)
    new = [item for item in session.new if isinstance(item, Comment)]
    session.info.setdefault(_ADDED, []).extend(c for c in new if _is_public(c, was=False))


@event.listens_for(Session, "after_flush")
def _count_comment_changes(session: Session, flush_context) -> None:
    """One UPDATE of the noted articles, in the flush's transaction."""
    articles = session.info.pop(_CHANGED, set())
    articles.update(comment.article_id for comment in session.info.pop(_ADDED, []))
    _bump(session, articles)


@event.listens_for(Session, "after_flush_postexec")
def _expire_after_flush(session: Session, flush_context) -> None:
    _expire_counters(session)


def _expire_counters(session: Session) -> None:
    """Loaded articles read their new counters again, rather than the ones before the bump."""
    for article_id in session.info.pop(_BUMPED, ()):
        article = session.identity_map.get(identity_key(Article, article_id))
        if article is not None:
            session.expire(article, _COUNTERS)
