"""The site-wide version: one row, raised with every public change to stories and their lists."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy.orm import Mapped, mapped_column

from newsroom.models.base import Base, UTCDateTime

#: The one row's primary key.
SITE_VERSION_ID = 1


class SiteVersion(Base):
    """Counters read by primary key for the validators and page-cache keys of the home page,
    section pages, feeds and every page's navigation (see newsroom/content/versions.py).

    ``content_version``: raised in the same transaction as any change to an article, section
    or outlet (publish, unpublish, edit, rename, trash). ``comments_version``: raised with any
    article's comments version (the lists show comment counts). ``next_publish_at``: the
    earliest scheduled publication still to come, after which the lists change with no write;
    the first reader after it raises the version (newsroom/content/versions.py).
    """

    __tablename__ = "site_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_version: Mapped[int] = mapped_column(default=0, server_default="0")
    comments_version: Mapped[int] = mapped_column(default=0, server_default="0")
    changed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    next_publish_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
