"""Published stories and sections, as every public page, feed and the API read them."""
from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

from flask import current_app
from sqlalchemy import ColumnElement, Row, Select, bindparam, select
from sqlalchemy.orm import joinedload

from newsroom.driver_sql import DriverStatement
from newsroom.extensions import db
from newsroom.models import Article, Section


def is_published(now) -> ColumnElement[bool]:
    """The published-story clause: a publication time, not in the future, not in the trash.

    ``now`` is a time or a bound parameter (for statements built once).
    """
    return (
        Article.published_at.is_not(None)
        & (Article.published_at <= now)
        & Article.deleted_at.is_(None)
    )


def is_trashed(slug: str) -> bool:
    """Whether the story at ``slug`` is in the trash (its page answers 410 Gone)."""
    found = db.session.scalar(
        select(Article.id).where(Article.slug == slug, Article.deleted_at.is_not(None))
    )
    return found is not None


def is_withdrawn(slug: str) -> bool:
    """Whether the story at ``slug`` was taken down because its source withdrew it while public."""
    found = db.session.scalar(
        select(Article.id).where(
            Article.slug == slug, Article.withdrawn_notice.is_(True),
            Article.published_at.is_(None), Article.deleted_at.is_(None),
        )
    )
    return found is not None


def published_articles(now: datetime) -> Select:
    """Published articles, newest first, with their section and outlet."""
    return (
        select(Article)
        .where(is_published(now))
        .options(joinedload(Article.section), joinedload(Article.outlet))
        .order_by(Article.published_at.desc(), Article.id.desc())
    )


def published_article(slug: str, now: datetime) -> Article | None:
    """One published article by its slug, with its section and outlet."""
    return db.session.scalar(_published_by_slug(), {"slug": slug, "now": now})


@lru_cache(maxsize=1)
def _published_by_slug() -> Select:
    """:func:`published_article`'s statement, built once: building it cost more than running it."""
    return published_articles(bindparam("now")).where(Article.slug == bindparam("slug"))


class ArticleRef(NamedTuple):
    """A published article as the reply POST reads it: one small row, not an ORM object."""

    id: int
    slug: str
    comments_enabled: bool
    published_at: datetime
    shown_threads: int  #: its shown top-level comments (kept by content/versions.py)


def published_article_ref(slug: str, now: datetime) -> ArticleRef | None:
    """The :class:`ArticleRef` of the published article at ``slug`` (``comments_open`` takes it).

    Run on the driver's cursor (newsroom/driver_sql.py): SQLAlchemy's execution path would
    cost more than the query on the reply POST's lean path.
    """
    rows = _published_ref_by_slug().rows(db.session.connection(), {"slug": slug, "now": now})
    return ArticleRef(*rows[0]) if rows else None


@lru_cache(maxsize=1)
def _published_ref_by_slug() -> DriverStatement:
    return DriverStatement(select(
        Article.id, Article.slug, Article.comments_enabled, Article.published_at,
        Article.shown_threads,
    ).where(is_published(bindparam("now")), Article.slug == bindparam("slug")))


def sections_in_order() -> Select:
    """Sections in navigation order: by position, then name."""
    return select(Section).order_by(Section.position, Section.name)


def navigation_links() -> list[Row]:
    """The site menu's sections as (name, slug) rows, in navigation order.

    Every public page renders the menu: rows on the session's connection (Core) cost a
    fraction of Section objects read through the ORM.
    """
    return db.session.connection().execute(_navigation_links()).all()


@lru_cache(maxsize=1)
def _navigation_links() -> Select:
    return select(Section.name, Section.slug).order_by(Section.position, Section.name)


def navigation_sections() -> list[Section]:
    """Every section, in navigation order (the site's menu, the sitemap, the desk's choices)."""
    return list(db.session.scalars(sections_in_order()))


def comments_open(article: Article | ArticleRef, now: datetime) -> bool:
    """Whether readers may reply: the editor's switch, then the age limit."""
    if not article.comments_enabled:
        return False
    closing = comments_close_at(article)
    return closing is None or now < closing


def comments_close_at(article: Article) -> datetime | None:
    """When comments close by age (None: never by age): the page changes then, with no write."""
    days = int(current_app.config["COMMENTS_CLOSE_AFTER_DAYS"])
    if days <= 0 or article.published_at is None:
        return None
    return article.published_at + timedelta(days=days)
