"""Readers' email subscriptions: an address (confirmed once) and the comments it follows."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from newsroom.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from newsroom.models.comments import Comment


class Subscriber(Base):
    """An email address that asked for notifications; nothing but the confirmation is sent to
    it until its owner confirms (double opt-in)."""

    __tablename__ = "subscribers"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Lowercased. Never public; used only to send this address its own messages.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: The secret in the confirmation and "unsubscribe from everything" links.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmation_sent_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: Set when the owner confirmed: proof they control the address.
    confirmed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: Set by "unsubscribe from everything": no more mail until they ask and confirm again.
    unsubscribed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    subscriptions: Mapped[list[Subscription]] = relationship(
        back_populates="subscriber", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class Subscription(Base):
    """"Email me when someone replies" on one comment."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("subscriber_id", "comment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscriber_id: Mapped[int] = mapped_column(
        ForeignKey("subscribers.id", ondelete="CASCADE"), index=True
    )
    #: The comment whose replies are sent; the reader's own comment.
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    #: The secret in the "unsubscribe from this thread" link.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    subscriber: Mapped[Subscriber] = relationship(back_populates="subscriptions")
    comment: Mapped[Comment] = relationship()
