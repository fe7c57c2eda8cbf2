"""What a comment leaves behind: its place in a thread, its decisions, the audit's names.

Every comment is created by :func:`add_comment` (which owns the threading rule) and every
change of its status is written by :func:`record_decision`; neither commits. A reader's reply
takes the lean way, :func:`write_new_comment`: the same rows, written without the ORM.
"""
from __future__ import annotations

import enum
from datetime import datetime
from functools import lru_cache

from blinker import Namespace
from flask import current_app
from sqlalchemy import ColumnElement, bindparam, func, insert, or_, select

from newsroom.comments.fragments import store_fragments
from newsroom.driver_sql import DriverStatement
from newsroom.extensions import db
from newsroom.inputs import clean_name, punycode_url
from newsroom.models import Comment, CommentStatus, ModerationDecision, User, utcnow
from newsroom.pagination import page_count


_signals = Namespace()
#: Sent with a comment when it becomes approved (``new=True``: approved as it was posted), after
#: its decision is recorded and before the caller commits; mail (newsroom/subscriptions) listens.
comment_approved = _signals.signal("comment-approved")


class Decision(enum.StrEnum):
    """What a decision records besides a :class:`CommentStatus`: the two ends, and picks."""

    NEW = "new"  #: where every comment starts
    DELETED = "deleted"  #: where a deleted comment ends
    #: An approved comment made an editors' pick (from "approved"), and no longer one (from
    #: "featured"); the comment's status does not change.
    FEATURED = "featured"
    UNFEATURED = "unfeatured"
    #: An approved comment hidden from readers, pending review, after readers' reports
    #: (newsroom/comments/reports.py); "Keep" brings it back to approved.
    HIDDEN = "hidden"


class AuditAction(enum.StrEnum):
    """What an :class:`~newsroom.models.AuditEntry` records."""

    BAN = "ban"
    LIFT_BAN = "lift-ban"
    BLOCKLIST_ADD = "blocklist-add"
    BLOCKLIST_REMOVE = "blocklist-remove"
    #: The desk's snapshot of a deleted comment; its detail holds ``email_hmac``, never the address.
    DELETE_COMMENT = "delete-comment"
    COMMENTER_EXPORT = "commenter-export"
    COMMENTER_ERASE = "commenter-erase"
    PURGE_OLD_DATA = "purge-old-data"


def thread_root(comment: Comment) -> int:
    """The id of the top-level comment ``comment`` belongs to (its own, when it is one)."""
    return thread_of(comment.id, comment.thread_id)


def thread_of(comment_id: int, thread_id: int | None) -> int:
    """The threading rule, on a comment's ids: its thread's, or its own for a top-level one.

    A reply's ``thread_id`` is this of its parent (bulk writers such as the importers use it).
    """
    return thread_id or comment_id


def shown_to_readers(comment: type[Comment] = Comment) -> ColumnElement[bool]:
    """Whether readers may see a comment (or an alias of Comment): approved, and not hidden
    pending review after readers' reports. Every public read of comments filters on this."""
    return (comment.status == CommentStatus.APPROVED) & comment.hidden_at.is_(None)


def thread_root_column(comment: type[Comment] = Comment) -> ColumnElement[int]:
    """The threading rule in SQL: the top-level comment's id for each row of ``comment``
    (the model or an alias of it)."""
    return func.coalesce(comment.thread_id, comment.id)


def in_threads(roots) -> ColumnElement[bool]:
    """The comments of the threads whose top-level comments' ids are ``roots``, those included."""
    return or_(Comment.thread_id.in_(roots), Comment.id.in_(roots))


def add_comment(parent: Comment | None, **fields) -> Comment:
    """Add a comment (a reply to ``parent``, when given) and flush it, so it has an id.

    ``fields`` are the :class:`Comment`'s columns (``article`` or ``article_id`` among them).
    A reply belongs to its parent's thread: the whole thread loads in one query.
    """
    comment = Comment(
        parent=parent, thread_id=thread_root(parent) if parent is not None else None, **fields
    )
    db.session.add(comment)
    db.session.flush()
    return comment


def write_new_comment(parent: Comment | None, status: CommentStatus, reason: str, **fields) -> int:
    """Write a reader's new comment and its first decision (the system's, from "new" to
    ``status``, for ``reason``) with two INSERTs in the session's transaction; return its id.

    The reply intake's path: no ORM objects, so no flush. ``fields`` are the comment's other
    columns (``article_id`` among them). What the ORM would have done is done here: the
    threading rule, the model's cleaning of the name and website, and for an approved comment
    its stored fragment (newsroom/comments/fragments.py) and ``comment_approved``
    (``new=True``) with the comment loaded back: its listeners raise the article's comments
    version and shown counts (newsroom/content/versions.py) and queue mail, in this transaction.
    """
    now = utcnow()
    row = {
        **fields,
        "parent_id": parent.id if parent is not None else None,
        "thread_id": thread_root(parent) if parent is not None else None,
        "status": status,
        "author_name": clean_name(fields["author_name"]),
        "author_website": punycode_url(fields.get("author_website") or ""),
        "created_at": now,
    }
    connection = db.session.connection()  # the driver's cursor: SQLAlchemy's path costs more
    [(comment_id,)] = _WRITE_COMMENT.rows(connection, row)
    _WRITE_DECISION.rows(connection, _new_decision(comment_id, status, reason, now))
    if status is CommentStatus.APPROVED:
        store_fragments([comment_id])
        comment_approved.send(db.session.get(Comment, comment_id), new=True)
    return comment_id


def comment_page(article, parent: Comment | None, *, shown: bool) -> int:
    """The comment page (``cpage``) a new comment of ``article`` will be on: for a reply, its
    thread's; for a new thread, the last page, after every shown one (itself among them when
    it is ``shown`` at once, i.e. approved).

    ``article`` is the Article or the reply POST's ArticleRef: its ``shown_threads`` (kept by
    newsroom/content/versions.py, and what the page's pager counts) gives a new thread's page
    with no query. Worked out before the comment is written, so that the write transaction
    holds SQLite's single write lock for the INSERTs alone.
    """
    per_page = int(current_app.config["COMMENTS_PER_PAGE"])
    if parent is None:
        return page_count(article.shown_threads + int(shown), per_page)
    root = db.session.get(Comment, thread_root(parent))  # the parent itself, if top-level
    if root is None:
        return 1
    before = db.session.scalar(_roots_before(), {
        "article_id": article.id, "created_at": root.created_at, "id": root.id})
    return before // per_page + 1


@lru_cache(maxsize=1)
def _roots_before():
    """An article's shown top-level comments before a given one (``ix_comments_article_roots``).

    Built once with bound parameters: building it cost more than running it.
    """
    roots = (
        (Comment.article_id == bindparam("article_id"))
        & shown_to_readers()
        & Comment.parent_id.is_(None)
    )
    created_at = bindparam("created_at")
    earlier = (Comment.created_at < created_at) | (
        (Comment.created_at == created_at) & (Comment.id < bindparam("id"))
    )
    return select(func.count()).where(roots, earlier)


def record_decision(
    comment: Comment | int,
    from_status: CommentStatus | Decision,
    to_status: CommentStatus | Decision,
    reason: str = "",
    moderator: User | None = None,
) -> ModerationDecision:
    """Record a change of a comment's status: who (None: the system), from, to and why.

    Pass the comment's id alone for one about to be deleted: the record outlives it, kept by
    ``comment_ref``.
    """
    linked = comment if isinstance(comment, Comment) else None
    decision = ModerationDecision(
        comment=linked,
        comment_ref=linked.id if linked is not None else comment,
        moderator=moderator,
        from_status=str(from_status),
        to_status=str(to_status),
        reason=reason,
    )
    db.session.add(decision)
    return decision


def record_new_comments(
    statuses: dict[int, CommentStatus], reason: str, at: datetime | None = None
) -> None:
    """Record, in one INSERT, how each of many comments written in bulk started (importers).

    ``statuses`` maps each new comment's id to the status it was given.
    """
    at = at or utcnow()
    db.session.execute(_INSERT_DECISION, [  # Core: no ORM bulk machinery
        _new_decision(comment_id, status, reason, at) for comment_id, status in statuses.items()
    ])


def _new_decision(comment_id: int, status: CommentStatus, reason: str, at: datetime) -> dict:
    """The row of a new comment's first decision: the system's, from "new" to ``status``."""
    return {"comment_id": comment_id, "comment_ref": comment_id, "created_at": at,
            "from_status": str(Decision.NEW), "to_status": str(status), "reason": reason}


_INSERT_DECISION = insert(ModerationDecision.__table__)
#: The reply intake's two INSERTs, run on the driver's cursor (newsroom/driver_sql.py).
_WRITE_COMMENT = DriverStatement(insert(Comment.__table__).returning(Comment.__table__.c.id))
_WRITE_DECISION = DriverStatement(_INSERT_DECISION)
