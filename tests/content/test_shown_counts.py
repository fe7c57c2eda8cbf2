"""The article's shown-comment counts, kept with its comments version, and an uncached page
that reads no aggregate and only the comments it shows, however long the thread."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, insert, select

from newsroom.content.versions import bump_comments
from newsroom.extensions import db
from newsroom.models import Article, Comment, CommentStatus, Role, utcnow


def counts(article_id: int) -> tuple[int, int, int]:
    db.session.expire_all()
    return db.session.execute(
        select(Article.shown_comments, Article.shown_threads, Article.shown_picks)
        .where(Article.id == article_id)
    ).one()


def test_the_counts_follow_every_public_change(client, make, login_as):
    article = make.article()
    root = make.comment(article)
    reply = make.comment(article, parent=root)
    waiting = make.comment(article, status=CommentStatus.PENDING)
    db.session.commit()
    assert counts(article.id) == (2, 1, 0)
    login_as(Role.MODERATOR)
    client.post(f"/moderation/comments/{waiting.id}/approve")
    assert counts(article.id) == (3, 2, 0)
    client.post(f"/moderation/comments/{root.id}/feature")
    assert counts(article.id) == (3, 2, 1)
    hidden = db.session.get(Comment, reply.id)
    hidden.hidden_at = utcnow()  # hidden pending review after readers' reports
    db.session.commit()
    assert counts(article.id) == (2, 2, 1)
    client.post(f"/moderation/comments/{root.id}/reject")  # no pick any more, either
    assert counts(article.id) == (1, 1, 0)
    client.post(f"/moderation/comments/{waiting.id}/delete")
    assert counts(article.id) == (0, 0, 0)


def add_threads(article_id: int, count: int) -> None:
    """``count`` approved top-level comments, each with one approved reply (bulk INSERTs)."""
    start = utcnow() - timedelta(days=1)

    def row(n: int, **fields) -> dict:
        return {"article_id": article_id, "status": CommentStatus.APPROVED, "author_name": f"R{n}",
                "author_email": f"r{n}@example.com", "author_website": "", "held_reasons": [],
                "body": f"<p>Comment {n}.</p>", "created_at": start + timedelta(seconds=n),
                "is_staff": False, **fields}

    roots = db.session.scalars(insert(Comment).returning(Comment.id, sort_by_parameter_order=True),
                               [row(n) for n in range(count)]).all()
    db.session.execute(insert(Comment), [row(count + n, parent_id=root, thread_id=root)
                                         for n, root in enumerate(roots)])
    bump_comments([article_id])
    db.session.commit()


@pytest.fixture
def app(make_app):
    app = make_app(PAGE_CACHE_ENABLED=False, COMMENTS_PER_PAGE=20)
    with app.app_context():
        yield app


def test_an_uncached_page_reads_the_same_few_rows_for_10_and_1000_threads(app, make, count_queries):
    short, long = make.article(), make.article()
    slugs = [short.slug, long.slug]
    db.session.commit()
    add_threads(short.id, 20)
    add_threads(long.id, 1_000)
    rows: dict[str, int] = {}
    statements = {}
    for slug in slugs:
        db.session.remove()
        with count_queries() as queries:
            response = app.test_client().get(f"/articles/{slug}")
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        rows[slug] = page.count('class="comment depth-')
        statements[slug] = queries
    assert rows[slugs[0]] == rows[slugs[1]] == 40  # 20 threads of two, on either page
    assert len(statements[slugs[0]]) == len(statements[slugs[1]]) <= 4
    for queries in statements.values():
        assert not [q for q in queries if "count(" in q.lower()], queries  # counts are stored
    assert '<h2 id="comments-heading">2000 comments</h2>' in page  # the long one's, stored


def test_the_page_and_its_replies_are_read_by_their_indexes(app, make, count_queries):
    """The top-level comments and the replies each by their own index, not by walking every
    comment of the article (which SQLite's planner prefers when the replies are ordered)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the query plans checked are SQLite's")
    article = make.article()
    slug = article.slug
    db.session.commit()
    add_threads(article.id, 50)
    db.session.remove()
    plans = []

    def explain(conn, cursor, statement, parameters, context, executemany):
        if "FROM comments" in statement:
            driver = cursor.connection  # the sqlite3 connection: no listener hears this
            rows = driver.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()
            plans.append(" ".join(row[-1] for row in rows))

    event.listen(db.engine, "before_cursor_execute", explain)
    try:
        assert app.test_client().get(f"/articles/{slug}").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", explain)
    assert len(plans) == 2, plans
    assert "ix_comments_article_roots" in plans[0]
    assert "ix_comments_thread_shown" in plans[1]
