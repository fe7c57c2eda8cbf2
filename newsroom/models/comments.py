"""Reader comments and the moderation data around them: decisions, bans, blocklists."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any, Optional

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates


from newsroom.inputs import clean_name, punycode_url
from newsroom.models.base import Base, UTCDateTime, sparse_index, str_enum, utcnow

if TYPE_CHECKING:
    from newsroom.models.articles import Article
    from newsroom.models.users import User


class CommentStatus(enum.StrEnum):
    """Where a comment stands; only APPROVED is ever shown to the public."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    SPAM = "spam"


class Comment(Base):
    """A reader's reply to an article, or to another comment under it."""

    __tablename__ = "comments"
    __table_args__ = (
        #: An article page's approved comments, oldest first.
        Index("ix_comments_article_status_created", "article_id", "status", "created_at"),
        #: The moderation queue: one status in (created_at, id) order, either way, read from the
        #: index alone however deep the page.
        Index("ix_comments_status_created_id", "status", "created_at", "id"),
        #: "Has this email an approved comment?"
        Index("ix_comments_email_status", "author_email", "status"),
        #: The duplicate check: this email's comments on this article in the last minutes.
        Index("ix_comments_email_article_created", "author_email", "article_id", "created_at"),
        #: An article's editors' picks, newest-featured first.
        Index("ix_comments_article_featured", "article_id", "featured_at"),
        #: A page of an article's shown top-level comments, in order, skipped to by the index
        #: alone however deep the page (newsroom/content/threads.py); the count that says on
        #: which page a new comment lands (newsroom/comments/records.py).
        Index("ix_comments_article_roots", "article_id", "status", "parent_id", "hidden_at",
              "created_at", "id"),
        #: The shown replies of a page's threads (ordered in Python, so that SQLite's planner
        #: takes this index rather than walking the article's comments in date order); and a
        #: thread's comments, for its root's deletion. Replies only: a top-level comment's
        #: thread_id is NULL.
        sparse_index("ix_comments_thread_shown", "thread_id", "status", "hidden_at"),
        #: The optional links, NULL on most comments: indexed where set (see sparse_index).
        sparse_index("ix_comments_parent_id", "parent_id"),
        sparse_index("ix_comments_user_id", "user_id"),
        sparse_index("ix_comments_featured_by_id", "featured_by_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    parent_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE")
    )
    #: The top-level comment this one descends from (itself for a top-level comment's
    #: replies' root); lets a page load whole threads in one query.
    thread_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE")
    )
    status: Mapped[CommentStatus] = mapped_column(
        str_enum(CommentStatus, "comment_status"), default=CommentStatus.PENDING
    )
    author_name: Mapped[str] = mapped_column(String(80))
    #: Never public: kept for moderators and the commenter's own requests.
    author_email: Mapped[str] = mapped_column(String(254))
    author_website: Mapped[str] = mapped_column(String(200), default="")
    #: Sanitised HTML (the comment allowlist).
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Kept for moderators; cleared after PERSONAL_DATA_RETENTION_DAYS.
    ip_address: Mapped[Optional[str]] = mapped_column(String(45), index=True)
    user_agent: Mapped[Optional[str]] = mapped_column(String(500))
    #: A keyed hash of the commenter cookie of the browser that sent it (see newsroom/trust.py);
    #: approving the comment trusts that browser with this email.
    browser_key: Mapped[Optional[str]] = mapped_column(String(64))
    #: The rules that held or spammed this comment, e.g. ["too-many-links"].
    held_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Written by a signed-in staff member from the moderation desk.
    is_staff: Mapped[bool] = mapped_column(default=False)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: When a moderator or editor made it an editors' pick (UTC); None: not featured. Only an
    #: approved comment is featured: leaving "approved" clears it.
    featured_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: Who featured it (kept for the desk; never public).
    featured_by_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    #: Set while an approved comment is hidden from readers, pending review, because enough
    #: distinct readers reported it (COMMENT_REPORT_HIDE_THRESHOLD); every public read skips it.
    hidden_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: The comment's public HTML (author, date, badges, body: never the email), rendered when
    #: it is approved or its shown columns change (newsroom/comments/fragments.py); None while
    #: it is not approved. Pages use it only when ``rendered_version`` is the current one.
    rendered_html: Mapped[Optional[str]] = mapped_column(Text, deferred=True)
    #: A digest of the fragment's template and the site's timezone it was rendered with.
    rendered_version: Mapped[Optional[str]] = mapped_column(String(16))

    article: Mapped[Article] = relationship(back_populates="comments")
    parent: Mapped[Optional[Comment]] = relationship(
        remote_side=[id], foreign_keys=[parent_id], back_populates="replies"
    )
    replies: Mapped[list[Comment]] = relationship(
        back_populates="parent", foreign_keys=[parent_id], passive_deletes=True
    )
    user: Mapped[Optional[User]] = relationship(foreign_keys=[user_id])
    featured_by: Mapped[Optional[User]] = relationship(foreign_keys=[featured_by_id])
    decisions: Mapped[list[ModerationDecision]] = relationship(
        back_populates="comment", order_by="ModerationDecision.created_at"
    )

    @validates("author_name")
    def _clean_name(self, _key, value):
        """No XML-invalid or bidi control characters (an RLO can make a name read backwards)."""
        return clean_name(value)

    @validates("author_website")
    def _ascii_host(self, _key, value):
        """The website's host in punycode, so a look-alike host shows what it is."""
        return punycode_url(value)

    def __repr__(self) -> str:
        return f"<Comment {self.id} {self.status.value}>"


class ModerationDecision(Base):
    """A change of a comment's status: who, when, from, to, and why.

    Survives the comment's deletion (``comment_id`` becomes NULL, ``comment_ref`` stays).
    """

    __tablename__ = "moderation_decisions"
    __table_args__ = (sparse_index("ix_moderation_decisions_moderator_id", "moderator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("comments.id", ondelete="SET NULL"), index=True
    )
    #: The comment's id, kept after it is deleted.
    comment_ref: Mapped[int] = mapped_column(index=True)
    #: None when the system decided (a policy rule, a command): indexed where set.
    moderator_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: A CommentStatus value, or "new" / "deleted".
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")

    comment: Mapped[Optional[Comment]] = relationship(back_populates="decisions")
    moderator: Mapped[Optional[User]] = relationship()


class BanKind(enum.StrEnum):
    EMAIL = "email"
    IP = "ip"
    DOMAIN = "domain"


class Ban(Base):
    """A commenter kept out by email, IP or email domain; their comments go to spam."""

    __tablename__ = "bans"
    __table_args__ = (Index("ix_bans_kind_value", "kind", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[BanKind] = mapped_column(str_enum(BanKind, "ban_kind"))
    #: Lowercased email, IP address or domain.
    value: Mapped[str] = mapped_column(String(254))
    reason: Mapped[str] = mapped_column(Text, default="")
    #: None: until lifted.
    expires_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    lifted_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    lifted_by_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: The comment the ban was made from, if any.
    comment_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("comments.id", ondelete="SET NULL"), index=True
    )

    created_by: Mapped[Optional[User]] = relationship(foreign_keys=[created_by_id])
    lifted_by: Mapped[Optional[User]] = relationship(foreign_keys=[lifted_by_id])


class BlocklistKind(enum.StrEnum):
    WORD = "word"
    EMAIL = "email"
    IP = "ip"
    DOMAIN = "domain"


class BlocklistEntry(Base):
    """A word, email, IP or domain whose appearance marks a comment as spam."""

    __tablename__ = "blocklist_entries"
    __table_args__ = (UniqueConstraint("kind", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[BlocklistKind] = mapped_column(str_enum(BlocklistKind, "blocklist_kind"))
    value: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )


class AuditEntry(Base):
    """Staff and privacy actions beyond comment decisions: bans, erasures, exports."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: e.g. "ban", "lift-ban", "commenter-export", "commenter-erase", "purge-old-data".
    action: Mapped[str] = mapped_column(String(40), index=True)
    #: What it was done to, e.g. an email or "comment 12".
    subject: Mapped[str] = mapped_column(String(300), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[Optional[User]] = relationship()
