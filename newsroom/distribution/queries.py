"""What feeds, sitemaps and the API load."""
from __future__ import annotations

from datetime import datetime
from math import ceil

from flask import current_app
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from newsroom.comments.records import in_threads, shown_to_readers, thread_root_column
from newsroom.content.articles import is_published, published_articles
from newsroom.content.threads import public_comment
from newsroom.extensions import db
from newsroom.models import Article, Comment, Outlet, Section, SeoPolicy

#: Stories in a feed.
FEED_LENGTH = 30
#: Comments in an article's comments feed.
COMMENT_FEED_LENGTH = 50
#: The sitemap protocol's limit of URLs per file.
SITEMAP_MAX_URLS = 50_000
#: Google News sitemaps list the last two days, at most 1,000 stories.
NEWS_SITEMAP_DAYS = 2
NEWS_SITEMAP_MAX_URLS = 1_000


def feed_articles(now: datetime, section: Section | None = None) -> list[Article]:
    """The newest published stories (with section and outlet), for a feed."""
    query = published_articles(now).options(selectinload(Article.corrections)).limit(FEED_LENGTH)
    if section is not None:
        query = query.where(Article.section_id == section.id)
    return list(db.session.scalars(query))


def sitemap_rows(now: datetime, since: datetime | None = None, limit: int = SITEMAP_MAX_URLS):
    """(slug, headline, published_at, updated_at) of indexable published stories, newest first.

    Stories from an outlet whose SEO policy is ``noindex`` are left out, and so are stories
    whose rights expired with the "noindex" action.
    """
    query: Select = (
        select(Article.slug, Article.headline, Article.published_at, Article.updated_at)
        .outerjoin(Article.outlet)
        .where(is_published(now))
        .where(or_(Outlet.id.is_(None), Outlet.seo_policy != SeoPolicy.NOINDEX))
        .where(Article.rights_expired_at.is_(None))
        .order_by(Article.published_at.desc(), Article.id.desc())
        .limit(limit)
    )
    if since is not None:
        query = query.where(Article.published_at >= since)
    return db.session.execute(query).all()


def feed_comments(article: Article) -> list[tuple[Comment, int]]:
    """The newest approved comments shown on the page, each with its comment page number.

    A comment is shown when it and every comment above it are approved (as on the page, a
    reply under a withdrawn comment goes with it); its page is where its thread's top-level
    comment falls, oldest first. One query, and a second when a reply sits deeper than two.
    """
    parent = aliased(Comment)
    approved = (Comment.article_id == article.id) & shown_to_readers()
    roots = (
        select(Comment.id, func.row_number().over(order_by=(Comment.created_at, Comment.id))
               .label("position"))
        .where(approved, Comment.parent_id.is_(None))
        .subquery()
    )
    per_page = int(current_app.config["COMMENTS_PER_PAGE"])
    rows = db.session.execute(
        select(Comment, roots.c.position)
        .options(public_comment())
        .join(roots, roots.c.id == thread_root_column())
        .outerjoin(parent, Comment.parent_id == parent.id)
        .where(approved)
        .where(or_(Comment.parent_id.is_(None), shown_to_readers(parent)))
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(COMMENT_FEED_LENGTH)
    )
    rows = rows.all()
    hidden = _hidden_deep_replies([comment for comment, _ in rows], approved)
    return [(comment, ceil(position / per_page)) for comment, position in rows
            if comment.id not in hidden]


def _hidden_deep_replies(comments: list[Comment], approved) -> set[int]:
    """Ids of the replies among ``comments`` with an ancestor above their parent not approved."""
    deep = [c for c in comments if c.parent_id is not None and c.parent_id != c.thread_id]
    if not deep:
        return set()
    threads = {comment.thread_id for comment in deep}
    parents = dict(db.session.execute(
        select(Comment.id, Comment.parent_id)
        .where(approved, in_threads(threads))
    ).all())
    hidden = set()
    for comment in deep:
        above = comment.parent_id
        while above is not None and above in parents:
            above = parents[above]
        if above is not None:  # the chain broke at a comment that is not approved
            hidden.add(comment.id)
    return hidden
