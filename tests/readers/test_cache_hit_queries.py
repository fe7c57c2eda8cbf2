"""SQL on an article-page cache hit: the same few queries whether the thread is 10 or 10,000 long."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert

from newsroom.content.versions import bump_comments
from newsroom.extensions import db
from newsroom.models import Comment, CommentStatus, utcnow


def add_approved_comments(article, count: int) -> None:
    """``count`` approved top-level comments in one bulk INSERT (fast even for 10,000)."""
    start = utcnow() - timedelta(days=1)
    rows = [
        {
            "article_id": article.id,
            "status": CommentStatus.APPROVED,
            "author_name": f"Reader {n}",
            "author_email": f"reader{n}@example.com",
            "author_website": "",
            "body": f"<p>Comment {n} about the ferry.</p>",
            "created_at": start + timedelta(seconds=n),
            "held_reasons": [],
            "is_staff": False,
        }
        for n in range(count)
    ]
    db.session.execute(insert(Comment), rows)
    bump_comments([article.id])  # a bulk INSERT raises the article's counters itself


def queries_on_a_cache_hit(client, count_queries, path: str) -> list[str]:
    assert client.get(path).status_code == 200  # renders and stores the page
    db.session.remove()  # nothing the first request loaded is reused
    with count_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200
    return statements


@pytest.fixture
def hits(client, make, count_queries):
    """The statements of a cache hit on an article with 10, then one with 10,000 comments,
    with the site's counters read for every request (the most a hit ever reads: the tests'
    PAGE_CACHE_CHECK_SECONDS is 0)."""
    short, long = make.article(), make.article()
    add_approved_comments(short, 10)
    add_approved_comments(long, 10_000)
    paths = [f"/articles/{short.slug}", f"/articles/{long.slug}"]
    db.session.commit()
    return [queries_on_a_cache_hit(client, count_queries, path) for path in paths]


def test_a_cache_hit_costs_the_same_queries_for_10_and_10000_comments(hits):
    on_short, on_long = hits
    assert len(on_short) == len(on_long)
    assert len(on_long) <= 1


def test_a_cache_hit_reads_no_aggregate_over_the_comments(hits):
    assert not [statement for statement in hits[1] if "FROM comments" in statement]


def test_a_cache_hit_reads_the_site_counters_by_primary_key(hits):
    [statement] = hits[1]
    assert "FROM site_versions" in statement and "WHERE site_versions.id = " in statement


def test_a_cache_hit_soon_after_a_read_runs_no_query(app, client, make, count_queries):
    """Within PAGE_CACHE_CHECK_SECONDS of its last read a process answers from the counters it
    has read (the default is 0.1 s)."""
    app.config["PAGE_CACHE_CHECK_SECONDS"] = 60
    article = make.article()
    add_approved_comments(article, 10)
    db.session.commit()
    assert queries_on_a_cache_hit(client, count_queries, f"/articles/{article.slug}") == []
