"""Uploaded images (content-addressed files under NEWSROOM_MEDIA_DIR) and where stories use them."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from newsroom.models.base import Base, UTCDateTime, utcnow

#: Images placed in a story's body, found in the body's HTML on every save.
article_images = Table(
    "article_images",
    Base.metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "image_id", Integer, ForeignKey("images.id", ondelete="CASCADE"), primary_key=True,
        index=True,
    ),
)


class Image(Base):
    """One uploaded picture: its cleaned files' digest, size, renditions and descriptions."""

    __tablename__ = "images"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the uploaded bytes: the folder its files live in, and the URL's first part.
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    #: ``jpeg``, ``png``, ``webp`` or ``gif``: the type the content really is.
    kind: Mapped[str] = mapped_column(String(10))
    width: Mapped[int]
    height: Mapped[int]
    byte_size: Mapped[int]
    animated: Mapped[bool] = mapped_column(default=False)
    #: ``[{"width": 480, "height": 320, "files": {"jpeg": "480.jpg", "webp": "480.webp"}}, …]``
    renditions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: The name it was uploaded under: shown and searched, never part of a path.
    filename: Mapped[str] = mapped_column(String(255), default="")
    alt: Mapped[str] = mapped_column(String(500))
    caption: Mapped[str] = mapped_column(Text, default="")
    credit: Mapped[str] = mapped_column(String(200), default="")
    uploaded_by_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    @property
    def name(self) -> str:
        """How a revision names the image."""
        return self.filename or f"image {self.id}"

    def __repr__(self) -> str:
        return f"<Image {self.id} {self.digest[:12]}>"
