"""What a comment leaves behind: its place in a thread, its decisions, the audit's names.

Every comment is created by :func:`add_comment` (which owns the threading rule) and every
change of its status is written by :func:`record_decision`; neither commits.
"""
from __future__ import annotations

import enum
from datetime import datetime

from blinker import Namespace

from sqlalchemy import ColumnElement, func, insert, or_

from newsroom.extensions import db
from newsroom.models import Comment, CommentStatus, ModerationDecision, User, utcnow


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
    db.session.execute(insert(ModerationDecision), [
        {"comment_id": comment_id, "comment_ref": comment_id, "created_at": at,
         "from_status": str(Decision.NEW), "to_status": str(status), "reason": reason}
        for comment_id, status in statuses.items()
    ])
