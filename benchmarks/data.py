"""The benchmark database: sections and stories for the lists, and articles with long threads.

- ``SLUG``: the article page measured everywhere, with 100 approved comments (25 of them replies);
- ``LONG_SLUG``: an article with 10,000 approved comments (paged at 100), a quarter of them
  replies; its replies answer its later threads, so its first page shows 100 comments, as
  ``SLUG``'s page does, and the two pages differ only in the size of the thread behind them;
- ``DENSE_SLUG``: 10,000 comments again, but every thread on the first page has a reply, so
  that page shows 200 comments (reported beside the figure, not compared with it);
- ``SHORT_SLUG``: one with 10, for the query count on a cache hit;
- 24 more published stories over three sections, for the home page, sections and feeds.

Comments go in with bulk INSERTs, so 10,000 take a second, not a minute.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

SLUG = "benchmark-story"
LONG_SLUG = "long-thread-story"
DENSE_SLUG = "dense-thread-story"
SHORT_SLUG = "short-thread-story"
SECTIONS = [("News", "news"), ("Harbour", "harbour"), ("Culture", "culture")]
LIST_STORIES = 24


def prepare_database(url: str, comments: int = 100, long_thread: bool = False) -> None:
    """Migrate an empty database; add the stories, ``SLUG`` with ``comments`` approved comments,
    and with ``long_thread`` the 10,000- and 10-comment articles too."""
    from flask_migrate import upgrade

    from newsroom import create_app
    from newsroom.extensions import db

    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade()
        sections = _sections()
        _article(SLUG, sections[0], "Benchmark story about the harbour", comments)
        if long_thread:
            _article(LONG_SLUG, sections[0], "A story everyone answered", 10_000, late_replies=True)
            _article(DENSE_SLUG, sections[0], "A story everyone argued about", 10_000)
            _article(SHORT_SLUG, sections[0], "A story few answered", 10)
        for n in range(LIST_STORIES):
            _article(f"list-story-{n}", sections[n % len(sections)], f"Tide report number {n}", 0)
        db.session.commit()
        db.engine.dispose()


def _sections():
    from newsroom.extensions import db
    from newsroom.models import Section

    sections = [Section(name=name, slug=slug, position=n) for n, (name, slug) in enumerate(SECTIONS)]
    db.session.add_all(sections)
    return sections


def _article(slug: str, section, headline: str, comments: int, late_replies: bool = False):
    from newsroom.extensions import db
    from newsroom.models import Article

    article = Article(
        slug=slug,
        headline=headline,
        standfirst="A page for the benchmarks, with the harbour's news.",
        body="<p>" + "Words about tides and ferries. " * 80 + "</p>",
        byline="Bench Writer",
        section=section,
        published_at=datetime.now(timezone.utc) - timedelta(hours=2),
    )
    db.session.add(article)
    db.session.flush()
    if comments:
        add_approved_comments(article.id, comments, late_replies)
    return article


def add_approved_comments(article_id: int, count: int, late_replies: bool = False) -> None:
    """``count`` approved comments, one in four a reply to an earlier top-level one: to the
    oldest top-level comments, or with ``late_replies`` to the newest (the last pages).

    Bulk INSERTs, so they raise the article's counters and store the comments' fragments
    themselves, as the importers do (what approval does for a comment written by the ORM).
    """
    from sqlalchemy import insert

    from newsroom.comments.fragments import store_fragments
    from newsroom.content.versions import bump_comments
    from newsroom.extensions import db
    from newsroom.models import Comment

    start = datetime.now(timezone.utc) - timedelta(minutes=count + 60)
    replies = count // 4
    roots = db.session.execute(
        insert(Comment).returning(Comment.id, sort_by_parameter_order=True),
        [_row(article_id, n, start) for n in range(count - replies)],
    ).scalars().all()
    written = list(roots)
    if late_replies:
        roots = roots[::-1]
    if replies:
        written += db.session.execute(
            insert(Comment).returning(Comment.id, sort_by_parameter_order=True), [
                {**_row(article_id, count - replies + n, start),
                 "parent_id": roots[n % len(roots)], "thread_id": roots[n % len(roots)]}
                for n in range(replies)
            ]).scalars().all()
    bump_comments([article_id])
    store_fragments(written)


def _row(article_id: int, n: int, start: datetime) -> dict:
    from newsroom.models import CommentStatus

    return {
        "article_id": article_id,
        "status": CommentStatus.APPROVED,
        "author_name": f"Reader {n}",
        "author_email": f"reader{n}@example.com",
        "author_website": "",
        "body": f"<p>Comment number {n} with <em>some</em> text about the ferry.</p>",
        "created_at": start + timedelta(minutes=n),
        "held_reasons": [],
        "is_staff": False,
    }
