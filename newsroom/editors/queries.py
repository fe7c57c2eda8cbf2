"""What the desk's pages load, each in a fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, func, select, true
from sqlalchemy.orm import joinedload

from newsroom.content.articles import is_published
from newsroom.extensions import db
from newsroom.inputs import is_id
from newsroom.models import Article, ArticleRevision, Comment, CommentStatus, IngestRun, Outlet

#: Approved comments a story's desk page offers to feature (its picks come first).
PICKABLE_SHOWN = 20

#: The desk's tabs, in order; drafts first because that is where the work is.
STATES = ("drafts", "scheduled", "published", "trash")


def state_clause(state: str, now: datetime) -> ColumnElement[bool]:
    """Drafts have no publication time; scheduled ones a future one; published ones a past one;
    a story in the trash is only in the trash tab."""
    if state == "trash":
        return Article.deleted_at.is_not(None)
    live = Article.deleted_at.is_(None)
    if state == "drafts":
        return live & Article.published_at.is_(None)
    if state == "scheduled":
        return live & (Article.published_at > now)
    return is_published(now)


@dataclass
class DeskFilters:
    """The desk's filters from the query string: outlet (an id, or "own"), section, search."""

    outlet: str = ""
    section: str = ""
    q: str = ""

    @classmethod
    def from_args(cls, args) -> DeskFilters:
        outlet = args.get("outlet", "")
        section = args.get("section", "")
        return cls(
            outlet=outlet if outlet == "own" or is_id(outlet) else "",
            section=section if is_id(section) else "",
            q=args.get("q", "").strip()[:200],
        )

    def clause(self) -> ColumnElement[bool]:
        clauses = []
        if self.outlet == "own":
            clauses.append(Article.outlet_id.is_(None))
        elif self.outlet:
            clauses.append(Article.outlet_id == int(self.outlet))
        if self.section:
            clauses.append(Article.section_id == int(self.section))
        if self.q:
            clauses.append(Article.headline.icontains(self.q, autoescape=True))
        return and_(true(), *clauses)

    def args(self) -> dict[str, str]:
        """The non-empty filters, to carry along in tab and page links."""
        return {key: value for key, value in vars(self).items() if value}


def desk_articles(state: str, now: datetime, filters: DeskFilters) -> Select:
    """One tab's stories, newest first, with section and outlet."""
    orders = {"drafts": Article.created_at.desc(), "trash": Article.deleted_at.desc()}
    order = (orders.get(state, Article.published_at.desc()),)
    return (
        select(Article)
        .where(state_clause(state, now), filters.clause())
        .options(joinedload(Article.section), joinedload(Article.outlet))
        .order_by(*order, Article.id.desc())
    )


def state_counts(now: datetime, filters: DeskFilters) -> dict[str, int]:
    """How many stories each tab holds under the current filters (one query)."""
    row = db.session.execute(
        select(*(func.count().filter(state_clause(state, now)) for state in STATES))
        .where(filters.clause())
        .select_from(Article)
    ).one()
    return dict(zip(STATES, row))


def latest_revision(article: Article) -> ArticleRevision | None:
    """The story's newest revision, with who saved it (for "X saved this at …")."""
    return db.session.scalar(
        select(ArticleRevision)
        .where(ArticleRevision.article_id == article.id)
        .options(joinedload(ArticleRevision.user))
        .order_by(ArticleRevision.created_at.desc(), ArticleRevision.id.desc())
        .limit(1)
    )


def all_outlets() -> list[Outlet]:
    return list(db.session.scalars(select(Outlet).order_by(Outlet.name)))


def latest_runs(outlet_ids: list[int]) -> dict[int, IngestRun]:
    """Each outlet's most recent ingest run (one query)."""
    if not outlet_ids:
        return {}
    latest = (
        select(func.max(IngestRun.id))
        .where(IngestRun.outlet_id.in_(outlet_ids))
        .group_by(IngestRun.outlet_id)
    )
    runs = db.session.scalars(select(IngestRun).where(IngestRun.id.in_(latest)))
    return {run.outlet_id: run for run in runs}


def story_counts_by_section() -> dict[int, int]:
    """Stories per section (one grouped query)."""
    rows = db.session.execute(
        select(Article.section_id, func.count())
        .where(Article.section_id.is_not(None))
        .group_by(Article.section_id)
    )
    return {key: count for key, count in rows}


def pickable_comments(article_id: int, limit: int = PICKABLE_SHOWN) -> list[Comment]:
    """A story's editors' picks, newest-featured first, then its newest other approved comments.

    One query; the picks come first, so a story's desk page always lists every current pick
    (there are few: the reader's block shows five).
    """
    return list(db.session.scalars(
        select(Comment)
        .where(Comment.article_id == article_id, Comment.status == CommentStatus.APPROVED)
        .order_by(Comment.featured_at.is_(None), Comment.featured_at.desc(),
                  Comment.created_at.desc(), Comment.id.desc())
        .limit(limit)
    ))
