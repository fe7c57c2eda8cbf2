"""``flask --app wsgi demo`` loads an original demo newsroom, once."""
from sqlalchemy import func, select

from newsroom.extensions import db
from newsroom.models import Article, Comment, CommentStatus, Outlet, Section, utcnow


def counts() -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Outlet, Section, Article, Comment)
    }


def test_demo_loads_a_complete_newsroom(runner, client):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "created" in result.output
    loaded = counts()
    assert loaded["outlets"] >= 2 and loaded["sections"] >= 2 and loaded["articles"] >= 6
    articles = list(db.session.scalars(select(Article)))
    now = utcnow()
    published = [a for a in articles if a.is_published(now)]
    assert len(published) >= 6
    assert any(a.outlet_id for a in published) and any(not a.outlet_id for a in published)
    statuses = set(db.session.scalars(select(Comment.status)))
    assert {CommentStatus.APPROVED, CommentStatus.PENDING} <= statuses
    assert db.session.scalar(select(func.count()).where(Comment.parent_id.is_not(None))) >= 2
    for article in published:
        assert client.get(f"/articles/{article.slug}").status_code == 200


def test_demo_twice_changes_nothing(runner):
    runner.invoke(args=["demo"])
    before = counts()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0
    assert "nothing changed" in result.output
    assert counts() == before


def test_demo_threads_show_nested_on_the_article(runner, client):
    runner.invoke(args=["demo"])
    page = client.get("/articles/ferry-timetable-changes-as-pier-repairs-begin").get_data(as_text=True)
    assert 'class="comment-replies"' in page
    assert "Six weeks seems optimistic" not in page  # pending
    assert "@example" not in page  # no commenter email
