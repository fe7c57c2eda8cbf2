"""What the moderation desk loads; each page in a fixed number of queries, whatever its size."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from math import ceil
from typing import Any

from sqlalchemy import String, func, literal, or_, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from newsroom.extensions import db
from newsroom.models import (
    Article,
    AuditEntry,
    Ban,
    BlocklistEntry,
    BlocklistKind,
    Comment,
    CommentStatus,
    ModerationDecision,
)

#: The queue's tabs, in the order they are shown.
QUEUE_TABS = ("pending", "approved", "rejected", "spam", "all")


@dataclass(frozen=True)
class QueueFilters:
    """Which comments the queue shows: a status tab narrowed by article, author and text."""

    status: str = "pending"
    article: str = ""  #: an article id or slug
    email: str = ""
    ip: str = ""
    q: str = ""  #: text the comment contains

    @classmethod
    def from_args(cls, args) -> QueueFilters:
        status = args.get("status", "pending")
        fields = {name: args.get(name, "").strip()[:254] for name in ("article", "email", "ip", "q")}
        return cls(status=status if status in QUEUE_TABS else "pending", **fields)

    def as_args(self, **changes: Any) -> dict[str, str]:
        """The filters as URL arguments, leaving out empty ones."""
        values = {**asdict(self), **changes}
        return {name: value for name, value in values.items() if value}

    @property
    def narrowed(self) -> bool:
        return any((self.article, self.email, self.ip, self.q))

    def conditions(self) -> list:
        """WHERE clauses for everything but the status."""
        clauses = []
        if self.article:
            match = Article.slug == self.article
            if self.article.isdigit():
                match = or_(match, Article.id == int(self.article))
            clauses.append(Comment.article_id.in_(select(Article.id).where(match)))
        if self.email:
            clauses.append(Comment.author_email == self.email.lower())
        if self.ip:
            clauses.append(Comment.ip_address == self.ip)
        if self.q:
            clauses.append(Comment.body.icontains(self.q, autoescape=True))
        return clauses


@dataclass
class Page:
    """One page of results, shaped like Flask-SQLAlchemy's pagination for the macros."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def _clamp(page: int, per_page: int, total: int) -> int:
    """A page number within 1..last, so a queue emptied by decisions still shows something."""
    return min(max(page, 1), max(1, ceil(total / per_page)))


def status_counts(filters: QueueFilters) -> dict[str, int]:
    """Comments per status (and in all) under the filters, in one query."""
    rows = db.session.execute(
        select(Comment.status, func.count()).where(*filters.conditions()).group_by(Comment.status)
    ).all()
    counts = {status.value: 0 for status in CommentStatus}
    counts.update({status.value: number for status, number in rows})
    counts["all"] = sum(counts.values())
    return counts


def pending_count() -> int:
    """Comments waiting for a decision, for the desk's navigation."""
    return db.session.scalar(select(func.count()).where(Comment.status == CommentStatus.PENDING))


def queue_page(filters: QueueFilters, page: int, per_page: int, total: int) -> Page:
    """One page of the queue with articles, parents and decision histories loaded (3 queries).

    Pending comments come oldest first (first in, first decided); the other tabs newest first.
    """
    query = select(Comment).where(*filters.conditions())
    if filters.status != "all":
        query = query.where(Comment.status == CommentStatus(filters.status))
    if filters.status == "pending":
        query = query.order_by(Comment.created_at, Comment.id)
    else:
        query = query.order_by(Comment.created_at.desc(), Comment.id.desc())
    page = _clamp(page, per_page, total)
    query = query.limit(per_page).offset((page - 1) * per_page).options(
        joinedload(Comment.article),
        joinedload(Comment.parent),
        selectinload(Comment.decisions).joinedload(ModerationDecision.moderator),
    )
    items = list(db.session.scalars(query).unique())
    return Page(items, page, per_page, total)


def reply_counts(comment_ids: list[int]) -> dict[int, int]:
    """How many direct replies each of these comments has, in one query."""
    if not comment_ids:
        return {}
    rows = db.session.execute(
        select(Comment.parent_id, func.count())
        .where(Comment.parent_id.in_(comment_ids))
        .group_by(Comment.parent_id)
    ).all()
    return dict(rows)


def active_ban_condition(now: datetime):
    """A ban in force: not lifted, and without an expiry or with one still ahead."""
    return (Ban.lifted_at.is_(None)) & (Ban.expires_at.is_(None) | (Ban.expires_at > now))


def bans_page(show: str, now: datetime, page: int, per_page: int) -> Page:
    """Bans in force (``show="active"``) or lifted and expired ones (``"past"``), newest first."""
    condition = active_ban_condition(now)
    if show == "past":
        condition = ~condition
    total = db.session.scalar(select(func.count()).select_from(Ban).where(condition))
    page = _clamp(page, per_page, total)
    items = db.session.scalars(
        select(Ban)
        .where(condition)
        .options(joinedload(Ban.created_by), joinedload(Ban.lifted_by))
        .order_by(Ban.created_at.desc(), Ban.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(list(items), page, per_page, total)


def blocklist_page(kind: BlocklistKind | None, page: int, per_page: int) -> Page:
    """Blocklist entries, of one kind or all, alphabetically."""
    condition = BlocklistEntry.kind == kind if kind else True
    total = db.session.scalar(select(func.count()).select_from(BlocklistEntry).where(condition))
    page = _clamp(page, per_page, total)
    items = db.session.scalars(
        select(BlocklistEntry)
        .where(condition)
        .order_by(BlocklistEntry.kind, BlocklistEntry.value)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(list(items), page, per_page, total)


@dataclass
class AuditRow:
    """One line of the audit view: a comment decision or another staff action."""

    kind: str  #: "decision" or "audit"
    record: ModerationDecision | AuditEntry


def audit_page(page: int, per_page: int) -> Page:
    """Decisions and audit entries merged newest first, in four queries whatever the page size."""
    merged = union_all(
        select(literal("decision", String).label("kind"), ModerationDecision.id,
               ModerationDecision.created_at),
        select(literal("audit", String).label("kind"), AuditEntry.id, AuditEntry.created_at),
    ).subquery()
    total = db.session.scalar(select(func.count()).select_from(merged))
    page = _clamp(page, per_page, total)
    keys = db.session.execute(
        select(merged.c.kind, merged.c.id)
        .order_by(merged.c.created_at.desc(), merged.c.kind, merged.c.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    decisions = _by_id(
        select(ModerationDecision).options(
            joinedload(ModerationDecision.moderator),
            joinedload(ModerationDecision.comment).joinedload(Comment.article),
        ),
        ModerationDecision.id, [id_ for kind, id_ in keys if kind == "decision"],
    )
    entries = _by_id(
        select(AuditEntry).options(joinedload(AuditEntry.actor)),
        AuditEntry.id, [id_ for kind, id_ in keys if kind == "audit"],
    )
    records = {"decision": decisions, "audit": entries}
    rows = [AuditRow(kind, records[kind][id_]) for kind, id_ in keys]
    return Page(rows, page, per_page, total)


def _by_id(query, id_column, ids: list[int]) -> dict[int, Any]:
    if not ids:
        return {}
    return {record.id: record for record in db.session.scalars(query.where(id_column.in_(ids)))}
