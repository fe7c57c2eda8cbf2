"""Outlets whose stories we republish, and the record of each feed ingest."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship


from newsroom.models.base import Base, UTCDateTime, str_enum, utcnow
from newsroom.models.rights import RightsColumns

if TYPE_CHECKING:
    from newsroom.models.articles import Article


class SeoPolicy(enum.StrEnum):
    """How search engines are told about a republished story."""

    CANONICAL = "canonical"  #: rel=canonical to the original (the default)
    NOINDEX = "noindex"  #: keep our copy out of search results


class Outlet(RightsColumns, Base):
    """A news organisation whose stories we republish with credit.

    Its rights columns (licence, credit line, embargo, expiry) are the defaults ingest copies
    onto each of its stories.
    """

    __tablename__ = "outlets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    homepage_url: Mapped[str] = mapped_column(String(500))
    #: The RSS/Atom feed ``syndication refresh`` reads; None for outlets we copy by hand.
    feed_url: Mapped[Optional[str]] = mapped_column(String(500))
    seo_policy: Mapped[SeoPolicy] = mapped_column(
        str_enum(SeoPolicy, "seo_policy"), default=SeoPolicy.CANONICAL
    )
    #: Publish ingested stories at once instead of leaving them as drafts.
    auto_publish: Mapped[bool] = mapped_column(default=False)
    #: Apply the source's changes to published stories nobody at the desk has edited.
    auto_apply_source_updates: Mapped[bool] = mapped_column(default=False)
    #: Unpublish its stories whose original URL answers 404 or 410 (see syndication/withdrawals).
    auto_unpublish_withdrawn: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: The scheduled refresh fetches the feed this often; 0: only "Fetch now".
    refresh_minutes: Mapped[int] = mapped_column(default=30, server_default="30")
    #: Conditional-GET validators from the last successful fetch.
    feed_etag: Mapped[Optional[str]] = mapped_column(String(300))
    feed_last_modified: Mapped[Optional[str]] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    articles: Mapped[list[Article]] = relationship(back_populates="outlet")
    ingest_runs: Mapped[list[IngestRun]] = relationship(
        back_populates="outlet", cascade="all, delete-orphan", order_by="IngestRun.started_at.desc()"
    )

    def __repr__(self) -> str:
        return f"<Outlet {self.name!r}>"


class IngestRun(Base):
    """One fetch of an outlet's feed: when, what came in, and any error."""

    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlets.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(500))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    finished_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: True when the server answered 304 Not Modified.
    not_modified: Mapped[bool] = mapped_column(default=False)
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)
    #: Published or scheduled stories whose source changed; of those, applied at once.
    source_updates: Mapped[int] = mapped_column(default=0)
    source_updates_applied: Mapped[int] = mapped_column(default=0)
    error: Mapped[Optional[str]] = mapped_column(Text)

    outlet: Mapped[Outlet] = relationship(back_populates="ingest_runs")
