"""What the WordPress and Disqus importers brought in: source keys and old URLs."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from newsroom.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from newsroom.models.articles import Article


class ImportedItem(Base):
    """One item of an export file and where it landed, so a second import changes nothing.

    The target goes NULL (the key stays) when an editor or moderator deletes it here: a later
    import then leaves it deleted instead of bringing it back.
    """

    __tablename__ = "imported_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The item's id at its source: ``wordpress:<site>:post:<id>``,
    #: ``wordpress:<site>:comment:<id>``, ``disqus:<post id>``.
    key: Mapped[str] = mapped_column(String(300), unique=True)
    article_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    comment_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("comments.id", ondelete="SET NULL"), index=True
    )
    #: A hash of what the source said; an unchanged item is skipped without loading its target.
    digest: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class LegacyRedirect(Base):
    """An imported article's old address, answered with a 301 to its page here."""

    __tablename__ = "legacy_redirects"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: A path without its trailing slash (``/2020/10/15/some-story``), or ``/?p=<post id>``.
    path: Mapped[str] = mapped_column(String(1000), unique=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    article: Mapped[Article] = relationship()
