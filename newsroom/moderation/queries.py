"""What the moderation desk loads; each page in a fixed number of queries, whatever its size."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Select, String, func, literal, or_, select, tuple_, union_all
from sqlalchemy.orm import joinedload, selectinload

from newsroom.comments.policy import normalise_ip
from newsroom.comments.records import Decision
from newsroom.extensions import db
from newsroom.inputs import is_id
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
from newsroom.pagination import Page, clamp, count, paginate

#: The queue's tabs, in the order they are shown.
QUEUE_TABS = ("pending", "approved", "rejected", "spam", "all")
#: Counts stop here ("10,000+"): counting every approved comment on each page view would cost
#: more and more as the site grows.
COUNT_CAP = 10_000


@dataclass(frozen=True)
class QueueFilters:
    """Which comments the queue shows: a status tab narrowed by article, author and text."""

    status: str = "pending"
    article: str = ""  #: an article id or slug
    email: str = ""
    ip: str = ""
    q: str = ""  #: text the comment contains
    picks: str = ""  #: "1": editors' picks only

    @classmethod
    def from_args(cls, args) -> QueueFilters:
        """The filters in a request's query string; an unknown status means pending."""
        status = args.get("status", "pending")
        names = ("article", "email", "ip", "q")
        fields = {name: args.get(name, "").strip()[:254] for name in names}
        picks = "1" if args.get("picks") == "1" else ""
        return cls(status=status if status in QUEUE_TABS else "pending", picks=picks, **fields)

    def as_args(self, **changes: Any) -> dict[str, str]:
        """The filters as URL arguments, leaving out empty ones."""
        values = {**asdict(self), **changes}
        return {name: value for name, value in values.items() if value}

    @property
    def narrowed(self) -> bool:
        return any((self.article, self.email, self.ip, self.q, self.picks))

    def conditions(self) -> list:
        """WHERE clauses for everything but the status."""
        clauses = []
        if self.article:
            match = Article.slug == self.article
            if is_id(self.article):
                match = or_(match, Article.id == int(self.article))
            clauses.append(Comment.article_id.in_(select(Article.id).where(match)))
        if self.email:
            clauses.append(Comment.author_email == self.email.lower())
        if self.ip:
            clauses.append(Comment.ip_address == normalise_ip(self.ip))
        if self.q:
            clauses.append(Comment.body.icontains(self.q, autoescape=True))
        if self.picks:
            clauses.append(Comment.featured_at.is_not(None))
        return clauses


def _capped_count(*conditions):
    """How many comments match, counting no further than COUNT_CAP + 1 (a scalar subquery)."""
    matching = select(literal(1)).select_from(Comment).where(*conditions).limit(COUNT_CAP + 1)
    return select(func.count()).select_from(matching.subquery()).scalar_subquery()


def status_counts(filters: QueueFilters) -> dict[str, int]:
    """Comments per status (and in all) under the filters, in one query.

    Each count stops after COUNT_CAP + 1 rows, so a page costs the same with a million
    approved comments; a number above COUNT_CAP is shown as "10,000+".
    """
    return dict(db.session.execute(status_counts_query(filters)).one()._mapping)


def status_counts_query(filters: QueueFilters) -> Select:
    """One row: a capped count per status, and in all, under the filters."""
    narrowed = filters.conditions()
    columns = [_capped_count(*narrowed, Comment.status == status).label(status.value)
               for status in CommentStatus]
    columns.append(_capped_count(*narrowed).label("all"))
    return select(*columns)


def pending_count() -> int:
    """Comments waiting for a decision (up to COUNT_CAP + 1), for the desk's navigation."""
    return db.session.scalar(select(_capped_count(Comment.status == CommentStatus.PENDING)))


@dataclass(frozen=True)
class Cursor:
    """A row the page starts after (``forward``) or ends before: keyset pagination."""

    created_at: datetime
    id: int
    forward: bool


def queue_query(
    filters: QueueFilters, page: int, per_page: int, cursor: Cursor | None = None
) -> Select:
    """The SELECT for one page of the queue, with what each row shows loaded alongside.

    Pending comments come oldest first (first in, first decided); the other tabs newest first.
    The page's ids are picked in a subquery over ``comments`` alone (an index-only scan), so
    the joins touch only the rows shown. With a ``cursor`` the page is found by seeking in the
    index from that row, as fast at page 40,000 as at page 2; without one, by OFFSET.
    A backward page comes in reverse order; :func:`queue_page` turns it round.
    """
    ascending = filters.status == "pending"
    if cursor is not None and not cursor.forward:
        ascending = not ascending
    key = (Comment.created_at, Comment.id)
    order = key if ascending else tuple(column.desc() for column in key)
    ids = select(Comment.id).where(*filters.conditions())
    if filters.status != "all":
        ids = ids.where(Comment.status == CommentStatus(filters.status))
    if cursor is None:
        ids = ids.offset((page - 1) * per_page)
    else:
        mark = tuple_(literal(cursor.created_at, Comment.created_at.type), literal(cursor.id))
        ids = ids.where(tuple_(*key) > mark if ascending else tuple_(*key) < mark)
    ids = ids.order_by(*order).limit(per_page).subquery("page")
    return (
        select(Comment)
        .join(ids, Comment.id == ids.c.id)
        .order_by(*order)
        .options(
            joinedload(Comment.article),
            joinedload(Comment.parent),
            joinedload(Comment.featured_by),
            selectinload(Comment.decisions).joinedload(ModerationDecision.moderator),
        )
    )


def find_cursor(after: int | None, before: int | None) -> Cursor | None:
    """The row named by ``?after=`` or ``?before=``; None (use OFFSET) if it no longer exists."""
    comment_id = after or before
    if not comment_id:
        return None
    row = db.session.execute(
        select(Comment.created_at, Comment.id).where(Comment.id == comment_id)
    ).first()
    return Cursor(row.created_at, row.id, forward=bool(after)) if row else None


def queue_page(
    filters: QueueFilters, page: int, per_page: int, total: int, cursor: Cursor | None = None
) -> Page:
    """One page of the queue with articles, parents and decision histories (2 queries)."""
    page = clamp(page, per_page, total, COUNT_CAP)
    items = list(db.session.scalars(queue_query(filters, page, per_page, cursor)).unique())
    if cursor is not None and not cursor.forward:
        items.reverse()
    return Page(items, page, per_page, total, COUNT_CAP)


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
    query = (
        select(Ban)
        .where(condition)
        .options(joinedload(Ban.created_by), joinedload(Ban.lifted_by))
        .order_by(Ban.created_at.desc(), Ban.id.desc())
    )
    return paginate(query, page, per_page, cap=COUNT_CAP)


def blocklist_page(kind: BlocklistKind | None, page: int, per_page: int) -> Page:
    """Blocklist entries, of one kind or all, alphabetically."""
    condition = BlocklistEntry.kind == kind if kind else True
    query = (
        select(BlocklistEntry)
        .where(condition)
        .order_by(BlocklistEntry.kind, BlocklistEntry.value)
    )
    return paginate(query, page, per_page, cap=COUNT_CAP)


@dataclass
class AuditRow:
    """One line of the audit view: a comment decision or another staff action."""

    kind: str  #: "decision" or "audit"
    record: ModerationDecision | AuditEntry


@dataclass(frozen=True)
class AuditFilters:
    """Which records the audit log shows: by whom, what kind, on which day (site's zone)."""

    moderator: int | None = None
    action: str = ""  #: a decision's new status ("approved", "deleted"…) or an AuditAction
    start: datetime | None = None  #: the day's first instant, in UTC
    end: datetime | None = None

    def branch(self, created, actor, kind_column, is_decision: bool) -> list:
        """WHERE clauses for one side of the merged log."""
        clauses = []
        if self.moderator is not None:
            clauses.append(actor == self.moderator)
        if self.action:
            decision_kinds = {*(status.value for status in CommentStatus), "deleted",
                              Decision.FEATURED.value, Decision.UNFEATURED.value}
            if (self.action in decision_kinds) != is_decision:
                clauses.append(literal(False))
            else:
                clauses.append(kind_column == self.action)
        if self.start is not None:
            clauses.extend([created >= self.start, created < self.end])
        return clauses


def audit_page(page: int, per_page: int, filters: AuditFilters = AuditFilters()) -> Page:
    """Decisions and audit entries merged newest first, in four queries whatever the page size.

    The total is counted up to COUNT_CAP + 1, like the queue's.
    """
    decided = filters.branch(ModerationDecision.created_at, ModerationDecision.moderator_id,
                             ModerationDecision.to_status, True)
    audited = filters.branch(AuditEntry.created_at, AuditEntry.actor_id, AuditEntry.action, False)
    merged = union_all(
        select(literal("decision", String).label("kind"), ModerationDecision.id,
               ModerationDecision.created_at).where(*decided),
        select(literal("audit", String).label("kind"), AuditEntry.id,
               AuditEntry.created_at).where(*audited),
    ).subquery()
    total = count(select(merged.c.id), COUNT_CAP)
    page = clamp(page, per_page, total, COUNT_CAP)
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
    return Page(rows, page, per_page, total, COUNT_CAP)


def _by_id(query, id_column, ids: list[int]) -> dict[int, Any]:
    if not ids:
        return {}
    return {record.id: record for record in db.session.scalars(query.where(id_column.in_(ids)))}


@dataclass
class CommenterRecord:
    """How one email address or IP address has fared: counts per status and first seen."""

    approved: int = 0
    rejected: int = 0
    spam: int = 0
    pending: int = 0
    first_seen: datetime | None = None

    @property
    def total(self) -> int:
        return self.approved + self.rejected + self.spam + self.pending


def commenter_records(comments: list[Comment]) -> dict[tuple[str, str], CommenterRecord]:
    """The record of every email and IP on a queue page, in one grouped query.

    Keys are ``("email", address)`` and ``("ip", address)``.
    """
    emails = {c.author_email for c in comments if c.author_email}
    ips = {c.ip_address for c in comments if c.ip_address}
    if not comments or not (emails or ips):
        return {}
    by = [
        select(literal(kind, String).label("kind"), column.label("value"), Comment.status,
               func.count().label("n"), func.min(Comment.created_at).label("first"))
        .where(column.in_(values)).group_by(column, Comment.status)
        for kind, column, values in (("email", Comment.author_email, emails),
                                     ("ip", Comment.ip_address, ips)) if values
    ]
    records: dict[tuple[str, str], CommenterRecord] = {}
    for row in db.session.execute(union_all(*by) if len(by) > 1 else by[0]):
        record = records.setdefault((row.kind, row.value), CommenterRecord())
        status = row.status if isinstance(row.status, CommentStatus) else CommentStatus(row.status)
        setattr(record, status.value, row.n)
        first = row.first
        if first is not None and first.tzinfo is None:
            first = first.replace(tzinfo=timezone.utc)
        if record.first_seen is None or (first is not None and first < record.first_seen):
            record.first_seen = first
    return records


def last_decision(comment: Comment) -> ModerationDecision | None:
    """The decision that gave ``comment`` its current status, if a moderator can undo it."""
    return db.session.scalar(
        select(ModerationDecision)
        .where(ModerationDecision.comment_id == comment.id)
        .order_by(ModerationDecision.created_at.desc(), ModerationDecision.id.desc())
        .limit(1)
    )
