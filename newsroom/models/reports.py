"""Readers' reports of approved comments, and how each was resolved (a statement of reasons)."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from newsroom.models.base import Base, UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from newsroom.models.comments import Comment
    from newsroom.models.users import User


class ReportReason(enum.StrEnum):
    """Why a reader reports a comment (the form's ``reason`` values)."""

    SPAM = "spam"
    ABUSE = "abuse"
    OFF_TOPIC = "off-topic"
    ILLEGAL = "illegal"
    OTHER = "other"


class ReportOutcome(enum.StrEnum):
    """What the desk decided about a reported comment."""

    KEPT = "kept"  #: the reports were dismissed; the comment stays (or is shown again)
    REMOVED = "removed"  #: rejected, marked as spam or deleted


class CommentReport(Base):
    """One reader's report of one comment; open until a moderator resolves it."""

    __tablename__ = "comment_reports"
    __table_args__ = (
        #: One report per reader (browser) per comment, even when two arrive at once.
        UniqueConstraint("comment_id", "reporter_key"),
        #: The Reported tab: open reports grouped by comment.
        Index("ix_comment_reports_open", "resolved_at", "comment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: NULL once the comment is deleted; the report (and its statement of reasons) outlives it.
    comment_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("comments.id", ondelete="SET NULL")
    )
    reason: Mapped[ReportReason] = mapped_column(str_enum(ReportReason, "report_reason"))
    #: What the reader wrote (plain text, shown escaped on the desk only).
    details: Mapped[str] = mapped_column(Text, default="")
    #: A keyed hash of the reporter's commenter cookie (newsroom/trust.py): who "a reader" is.
    reporter_key: Mapped[str] = mapped_column(String(64))
    #: A keyed hash of the reporter's IP address, so clearing cookies is not a second reader.
    reporter_ip: Mapped[str] = mapped_column(String(64))
    #: Lowercased; only to tell the reporter the outcome, then cleared. Never public.
    email: Mapped[Optional[str]] = mapped_column(String(254), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    resolution: Mapped[Optional[ReportOutcome]] = mapped_column(
        str_enum(ReportOutcome, "report_outcome")
    )
    #: The moderator's reason, as told to the reporter.
    resolution_reason: Mapped[str] = mapped_column(Text, default="")
    resolved_by_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    comment: Mapped[Optional[Comment]] = relationship()
    resolved_by: Mapped[Optional[User]] = relationship()
