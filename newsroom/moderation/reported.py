"""The desk's Reported tab: comments with readers' reports still open, most reported first.

Two queries for the page whatever the number of reports: the comments (with their article,
parent and decisions, as every tab loads them) in order of their open reports' number and
then of the oldest one's age, and the open reports of the comments shown.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from newsroom.extensions import db
from newsroom.models import Comment, CommentReport, ModerationDecision
from newsroom.moderation.queries import COUNT_CAP, QueueFilters
from newsroom.pagination import Page, clamp


def reported_page(filters: QueueFilters, page: int, per_page: int, total: int) -> Page:
    """One page of reported comments: the most open reports first, then the longest waiting."""
    page = clamp(page, per_page, total, COUNT_CAP)
    open_ = (
        select(CommentReport.comment_id, func.count().label("reports"),
               func.min(CommentReport.created_at).label("first"))
        .where(CommentReport.resolved_at.is_(None))
        .group_by(CommentReport.comment_id)
        .subquery("open_reports")
    )
    query = (
        select(Comment)
        .join(open_, open_.c.comment_id == Comment.id)
        .where(*filters.conditions())
        .order_by(open_.c.reports.desc(), open_.c.first, Comment.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
        .options(
            joinedload(Comment.article),
            joinedload(Comment.parent),
            selectinload(Comment.decisions).joinedload(ModerationDecision.moderator),
        )
    )
    return Page(list(db.session.scalars(query).unique()), page, per_page, total, COUNT_CAP)


def open_reports(comment_ids: list[int]) -> dict[int, list[CommentReport]]:
    """The open reports of these comments, oldest first, in one query (none: no query)."""
    if not comment_ids:
        return {}
    found: dict[int, list[CommentReport]] = defaultdict(list)
    rows = db.session.scalars(
        select(CommentReport)
        .where(CommentReport.comment_id.in_(comment_ids), CommentReport.resolved_at.is_(None))
        .order_by(CommentReport.created_at, CommentReport.id)
    )
    for report in rows:
        found[report.comment_id].append(report)
    return dict(found)
