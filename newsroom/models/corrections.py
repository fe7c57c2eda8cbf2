"""Corrections, updates and editor's notes shown with a story, never silently deleted."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from newsroom.models.base import Base, UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from newsroom.models.articles import Article
    from newsroom.models.users import User


class CorrectionKind(enum.StrEnum):
    """What a note on a story says about it."""

    CORRECTION = "correction"  #: the story said something wrong
    UPDATE = "update"  #: something happened since it was written
    EDITORS_NOTE = "editors-note"  #: context from the desk

    @property
    def label(self) -> str:
        """The word a reader sees before the date: "Correction", "Update", "Editor's note"."""
        return {"correction": "Correction", "update": "Update"}.get(self.value, "Editor's note")


class Correction(Base):
    """A dated note above a story's body; removal is recorded, the row stays in its history.

    The text is plain text (a sentence or two): it is escaped wherever it goes, so the page,
    the feeds and JSON-LD (whose ``text`` is plain) need no sanitiser and show the same words.
    """

    __tablename__ = "corrections"
    __table_args__ = (Index("ix_corrections_article_created", "article_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    kind: Mapped[CorrectionKind] = mapped_column(
        str_enum(CorrectionKind, "correction_kind"), default=CorrectionKind.CORRECTION
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: Also shown as a note above the comments.
    pinned_above_comments: Mapped[bool] = mapped_column(default=False)
    #: Set when an editor takes it off the story; readers no longer see it.
    removed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    article: Mapped[Article] = relationship(back_populates="corrections")
    created_by: Mapped[Optional[User]] = relationship(foreign_keys=[created_by_id])
    removed_by: Mapped[Optional[User]] = relationship(foreign_keys=[removed_by_id])

    @property
    def is_public(self) -> bool:
        return self.removed_at is None
