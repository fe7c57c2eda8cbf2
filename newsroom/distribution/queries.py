"""What feeds, sitemaps and the API load, and the cheap aggregates their validators hash."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased

from newsroom.distribution.caching import Validator, latest, make_validator
from newsroom.extensions import db
from newsroom.models import Article, Comment, CommentStatus, Outlet, SeoPolicy, Section
from newsroom.readers.queries import published_articles

#: Stories in a feed.
FEED_LENGTH = 30
#: Comments in an article's comments feed.
COMMENT_FEED_LENGTH = 50
#: The sitemap protocol's limit of URLs per file.
SITEMAP_MAX_URLS = 50_000
#: Google News sitemaps list the last two days, at most 1,000 stories.
NEWS_SITEMAP_DAYS = 2
NEWS_SITEMAP_MAX_URLS = 1_000


def is_published(now: datetime):
    return Article.published_at.is_not(None) & (Article.published_at <= now)


def articles_validator(now: datetime, kind: str, section: Section | None = None) -> Validator:
    """A validator over a set of stories, from one aggregate query.

    Every edit, publication or unpublication bumps ``updated_at``; a scheduled story going live
    moves the newest ``published_at``; a deletion lowers the count; outlet changes bump theirs;
    sections are summed up by count, newest id and name lengths (they carry no timestamp).
    """
    published = is_published(now)
    query = select(
        func.count(Article.id).filter(published),
        func.max(Article.updated_at),
        func.max(Article.published_at).filter(published),
        select(func.max(Outlet.updated_at)).scalar_subquery(),
        select(func.count(Section.id)).scalar_subquery(),
        select(func.max(Section.id)).scalar_subquery(),
        select(func.sum(func.length(Section.slug) + func.length(Section.name))).scalar_subquery(),
    )
    if section is not None:
        query = query.where(Article.section_id == section.id)
    count, updated, newest, outlets, *sections = db.session.execute(query).one()
    news = kind == "news-sitemap"
    window = _bucket(now - timedelta(days=NEWS_SITEMAP_DAYS)) if news else None
    section_key = (section.id, section.slug, section.name) if section else None
    return make_validator(
        kind, section_key, count, updated, newest, outlets, sections, window,
        last_modified=latest(updated, newest, outlets),
        trust_since=not news,  # stories leave the news window without leaving a timestamp
    )


def _bucket(moment: datetime) -> str:
    """The hour a time falls in: the news sitemap's two-day window slides once an hour."""
    return moment.strftime("%Y%m%d%H")


def feed_articles(now: datetime, section: Section | None = None) -> list[Article]:
    """The newest published stories (with section and outlet), for a feed."""
    query = published_articles(now).limit(FEED_LENGTH)
    if section is not None:
        query = query.where(Article.section_id == section.id)
    return list(db.session.scalars(query))


def sitemap_rows(now: datetime, since: datetime | None = None, limit: int = SITEMAP_MAX_URLS):
    """(slug, headline, published_at, updated_at) of indexable published stories, newest first.

    Stories from an outlet whose SEO policy is ``noindex`` are left out.
    """
    query: Select = (
        select(Article.slug, Article.headline, Article.published_at, Article.updated_at)
        .outerjoin(Article.outlet)
        .where(is_published(now))
        .where(or_(Outlet.id.is_(None), Outlet.seo_policy != SeoPolicy.NOINDEX))
        .order_by(Article.published_at.desc(), Article.id.desc())
        .limit(limit)
    )
    if since is not None:
        query = query.where(Article.published_at >= since)
    return db.session.execute(query).all()


def all_sections() -> list[Section]:
    return list(db.session.scalars(select(Section).order_by(Section.position, Section.name)))


def feed_comments(article: Article) -> list[Comment]:
    """The newest approved comments whose parent is shown too, for the comments feed."""
    parent = aliased(Comment)
    return list(
        db.session.scalars(
            select(Comment)
            .outerjoin(parent, Comment.parent_id == parent.id)
            .where(Comment.article_id == article.id, Comment.status == CommentStatus.APPROVED)
            .where(or_(Comment.parent_id.is_(None), parent.status == CommentStatus.APPROVED))
            .order_by(Comment.created_at.desc(), Comment.id.desc())
            .limit(COMMENT_FEED_LENGTH)
        )
    )
