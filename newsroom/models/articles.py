"""Sections, articles (our own and syndicated), their revisions and old slugs."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any, Optional

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from newsroom.inputs import clean_name
from newsroom.models.base import Base, UTCDateTime, str_enum, utcnow
from newsroom.models.rights import ExpiryAction, RightsColumns

if TYPE_CHECKING:
    from newsroom.models.comments import Comment
    from newsroom.models.corrections import Correction
    from newsroom.models.media import Image
    from newsroom.models.outlets import Outlet
    from newsroom.models.users import User


class Section(Base):
    """A part of the site (News, Culture, …) that groups articles."""

    __tablename__ = "sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    #: Order in the site navigation, lowest first.
    position: Mapped[int] = mapped_column(default=0)

    articles: Mapped[list[Article]] = relationship(back_populates="section")

    def __repr__(self) -> str:
        return f"<Section {self.slug!r}>"


class Article(RightsColumns, Base):
    """A story: written here, or republished from an outlet with its attribution.

    A syndicated story's rights columns (licence, credit line, embargo, expiry) start as its
    outlet's and are the story's own from then on.
    """

    __tablename__ = "articles"
    __table_args__ = (
        UniqueConstraint("outlet_id", "feed_guid"),
        Index("ix_articles_section_published", "section_id", "published_at"),
        Index("ix_articles_outlet_original_url", "outlet_id", "original_url"),
        Index("ix_articles_expires_at", "expires_at"),
        Index("ix_articles_source_checked_at", "source_checked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    headline: Mapped[str] = mapped_column(String(300))
    standfirst: Mapped[str] = mapped_column(Text, default="")
    #: Sanitised HTML (the article allowlist).
    body: Mapped[str] = mapped_column(Text, default="")
    byline: Mapped[str] = mapped_column(String(200), default="")
    section_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("sections.id", ondelete="SET NULL"), index=True
    )
    image_url: Mapped[Optional[str]] = mapped_column(String(500))
    image_caption: Mapped[str] = mapped_column(String(500), default="")
    image_credit: Mapped[str] = mapped_column(String(200), default="")
    #: The lead image when it was uploaded here (``image_url`` is for one elsewhere).
    image_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("images.id", ondelete="RESTRICT"), index=True
    )
    #: The lead image's alt text; required whenever there is a lead image.
    image_alt: Mapped[str] = mapped_column(String(500), default="")
    #: None: a draft. In the future: scheduled. In the past: published.
    published_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, index=True)
    #: An editor's switch; comments also close by age (COMMENTS_CLOSE_AFTER_DAYS).
    comments_enabled: Mapped[bool] = mapped_column(default=True)

    # Syndication: where the story first appeared.
    outlet_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("outlets.id", ondelete="RESTRICT"), index=True
    )
    original_url: Mapped[Optional[str]] = mapped_column(String(1000))
    original_author: Mapped[str] = mapped_column(String(200), default="")
    original_published_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    original_updated_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    feed_guid: Mapped[Optional[str]] = mapped_column(String(1000))
    #: SHA-256 of the feed item's raw fields when last ingested; an unchanged item is skipped.
    source_fingerprint: Mapped[Optional[str]] = mapped_column(String(64))
    #: SHA-256 of the source's headline, standfirst, body, author and dates as last seen.
    source_content_fingerprint: Mapped[Optional[str]] = mapped_column(String(64))
    #: Set once an editor changes an ingested story; ingest then leaves it alone.
    edited_by_staff: Mapped[bool] = mapped_column(default=False)
    #: When the expiry job applied ``expiry_action`` (None: not expired, or not yet applied).
    rights_expired_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: When the original URL was last checked, and when it first answered 404/410 (the desk's
    #: "Source withdrawn?"); a 2xx clears ``withdrawn_at``.
    source_checked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: Unpublished because the source withdrew it while public: its URL answers 410 with a note.
    withdrawn_notice: Mapped[bool] = mapped_column(default=False, server_default=false())

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: Bumped on every save; a form holding an older number is refused.
    version: Mapped[int] = mapped_column(default=1)
    #: Set when the story is moved to the trash: hidden everywhere, purged after 30 days.
    deleted_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, index=True)
    #: Raised in the same transaction as every change to the article's public comments
    #: (newsroom/content/versions.py): the page's validator reads it instead of the comments.
    comments_version: Mapped[int] = mapped_column(default=0, server_default="0")
    comments_changed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: Comments shown to readers (approved, not hidden), top-level ones among them, and editors'
    #: picks among them: counted again with every raise of ``comments_version``, so the page
    #: reads no aggregate over its comments.
    shown_comments: Mapped[int] = mapped_column(default=0, server_default="0")
    shown_threads: Mapped[int] = mapped_column(default=0, server_default="0")
    shown_picks: Mapped[int] = mapped_column(default=0, server_default="0")
    #: When a correction was last added or removed; None: the story never had one, so its
    #: page does not even look for them (newsroom/content/corrections.py).
    corrections_changed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    section: Mapped[Optional[Section]] = relationship(back_populates="articles")
    #: Joined with every story read, so a page's query count stays fixed.
    image: Mapped[Optional[Image]] = relationship(lazy="joined")
    #: Uploaded images placed in the body (kept in step with the body on every save).
    body_images: Mapped[list[Image]] = relationship(secondary="article_images")
    outlet: Mapped[Optional[Outlet]] = relationship(back_populates="articles")
    comments: Mapped[list[Comment]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )
    revisions: Mapped[list[ArticleRevision]] = relationship(
        back_populates="article",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ArticleRevision.created_at.desc()",
    )
    source_updates: Mapped[list[SourceUpdate]] = relationship(
        back_populates="article",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="SourceUpdate.id",
    )
    #: Every correction ever added, removed ones too (readers see ``public_corrections``).
    corrections: Mapped[list[Correction]] = relationship(
        back_populates="article",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="[Correction.created_at, Correction.id]",
    )

    __mapper_args__ = {"version_id_col": version}

    @validates("headline")
    def _clean_headline(self, _key, value):
        """No XML-invalid or bidi control characters, whichever way the headline came in."""
        return clean_name(value)

    @property
    def is_syndicated(self) -> bool:
        return self.outlet_id is not None

    @property
    def has_lead_image(self) -> bool:
        return self.image_id is not None or bool(self.image_url)

    @property
    def noindex_expired(self) -> bool:
        """Its rights expired with "noindex": the page stays, out of search results."""
        return self.rights_expired_at is not None and self.expiry_action == ExpiryAction.NOINDEX

    @property
    def display_date(self) -> Optional[datetime]:
        """The date a reader sees: the original publication for a syndicated story."""
        return self.original_published_at or self.published_at

    def is_published(self, now: datetime) -> bool:
        return (
            self.deleted_at is None and self.published_at is not None and self.published_at <= now
        )

    def __repr__(self) -> str:
        return f"<Article {self.slug!r}>"


class ArticleRevision(Base):
    """One save of an article by someone: who, when, and which fields changed."""

    __tablename__ = "article_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: What happened, e.g. "created", "edited", "published", "ingest update".
    action: Mapped[str] = mapped_column(String(40))
    #: ``{field: [old, new]}`` for every changed field.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: The edit form's fields in full after this save (ids, not names), for compare and restore;
    #: None on revisions recorded before snapshots were kept.
    snapshot: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)

    article: Mapped[Article] = relationship(back_populates="revisions")
    user: Mapped[Optional[User]] = relationship()


class ArticleAutosave(Base):
    """The editor's unsaved text of one story by one person, offered back on reopening."""

    __tablename__ = "article_autosaves"
    __table_args__ = (UniqueConstraint("article_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The story's version the typing started from.
    base_version: Mapped[int] = mapped_column()
    #: ``{headline, standfirst, body}`` as typed (the body sanitised).
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SourceUpdateStatus(enum.StrEnum):
    """Where a source update stands."""

    PENDING = "pending"  #: waiting for an editor
    APPLIED = "applied"  #: brought into the story (by an editor, or by the outlet's setting)
    SUPERSEDED = "superseded"  #: a newer change from the source replaced it
    DISMISSED = "dismissed"  #: an editor kept the story as it is (recorded as a revision)


class SourceUpdate(Base):
    """A change the source made to a published or scheduled story, kept until applied."""

    __tablename__ = "source_updates"
    __table_args__ = (Index("ix_source_updates_article_status", "article_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[SourceUpdateStatus] = mapped_column(
        str_enum(SourceUpdateStatus, "source_update_status"), default=SourceUpdateStatus.PENDING
    )
    #: The source's values for the fields ingest owns (dates as ISO 8601).
    proposed: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    applied_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: The editor who applied it; None when the outlet's setting applied it.
    applied_by_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    article: Mapped[Article] = relationship(back_populates="source_updates")
    applied_by: Mapped[Optional[User]] = relationship()


class SlugRedirect(Base):
    """An article's former slug, answered with a 301 to its current URL."""

    __tablename__ = "slug_redirects"

    id: Mapped[int] = mapped_column(primary_key=True)
    old_slug: Mapped[str] = mapped_column(String(200), unique=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    article: Mapped[Article] = relationship()
