"""The trash: hidden everywhere with 410 on the story's URL, restorable, purged after 30 days."""
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from newsroom.editors.trash import (
    EMPTY_TRASH,
    TRASH_DAYS,
    empty_trash,
    queue_empty_trash,
    trash,
)
from newsroom.extensions import db
from newsroom.models import Article, ArticleRevision, Comment, Job, Role, utcnow
from tests import factories


@pytest.fixture
def editor(login_as):
    return login_as(Role.EDITOR, name="Mara Inkwell")


def _public_pages(client, slug):
    return {
        path: client.get(path).text
        for path in ("/", "/feed.xml", "/atom.xml", "/sitemap.xml", "/sitemap-news.xml",
                     "/api/v1/articles")
    }


def test_deleting_asks_first_and_the_form_works_without_javascript(client, editor, make):
    article = make.article("Pier closes", slug="pier-closes")
    db.session.commit()
    asked = client.get(f"/editor/articles/{article.id}/trash")
    assert asked.status_code == 200
    assert "Move “Pier closes” to the trash?" in asked.text
    assert f'action="/editor/articles/{article.id}/trash"' in asked.text
    db.session.expire_all()
    assert db.session.get(Article, article.id).deleted_at is None  # asking changed nothing


def test_a_trashed_story_is_hidden_everywhere_and_answers_410(client, editor, make):
    article = make.article("Pier closes", slug="pier-closes")
    db.session.commit()
    assert all("pier-closes" in text for text in _public_pages(client, "pier-closes").values())
    response = client.post(f"/editor/articles/{article.id}/trash")
    assert response.status_code == 302
    gone = client.get("/articles/pier-closes")
    assert gone.status_code == 410
    assert "This story has been removed." in gone.text and "<html" in gone.text
    assert "no-cache" in gone.headers["Cache-Control"]  # restorable: browsers ask again
    for path, text in _public_pages(client, "pier-closes").items():
        assert "pier-closes" not in text, path
    assert client.get("/api/v1/articles/pier-closes").status_code == 404
    desk = client.get("/editor/?state=trash")
    assert "Pier closes" in desk.text
    assert "Pier closes" not in client.get("/editor/?state=published").text
    actions = db.session.scalars(
        select(ArticleRevision.action).where(ArticleRevision.article_id == article.id))
    assert list(actions) == ["trashed"]


def test_anonymous_readers_see_the_trashing_on_their_next_request(make_app, make):
    app = make_app(PAGE_CACHE_ENABLED=True)
    article = factories.article("Cached pier", slug="cached-pier")
    editor = factories.user(Role.EDITOR)
    db.session.commit()
    reader = app.test_client()
    assert reader.get("/articles/cached-pier").status_code == 200
    assert reader.get("/articles/cached-pier").status_code == 200  # now from the page cache
    trash(db.session.get(Article, article.id), editor, utcnow())
    db.session.commit()
    assert reader.get("/articles/cached-pier").status_code == 410


def test_restore_brings_the_story_back_as_it_was(client, editor, make):
    article = make.article("Pier closes", slug="pier-closes")
    db.session.commit()
    client.post(f"/editor/articles/{article.id}/trash")
    page = client.get(f"/editor/articles/{article.id}")
    assert "In the trash since" in page.text and "Restore from trash" in page.text
    response = client.post(f"/editor/articles/{article.id}/restore")
    assert response.status_code == 302
    assert client.get("/articles/pier-closes").status_code == 200
    assert "pier-closes" in client.get("/feed.xml").text


def test_the_periodic_job_purges_only_stories_trashed_over_30_days_ago(app, make):
    old = make.article("Old news", slug="old-news")
    recent = make.article("Recent news", slug="recent-news")
    kept = make.article("Kept news", slug="kept-news")
    db.session.flush()
    factories.comment(old)
    now = utcnow()
    old.deleted_at = now - timedelta(days=TRASH_DAYS, minutes=1)
    recent.deleted_at = now - timedelta(days=TRASH_DAYS - 1)
    db.session.commit()
    queue_empty_trash(now)
    db.session.commit()
    assert db.session.scalar(select(Job.name).where(Job.key == EMPTY_TRASH)) == EMPTY_TRASH
    queue_empty_trash(now)  # one is waiting already: no second one
    db.session.commit()
    assert len(db.session.scalars(select(Job).where(Job.name == EMPTY_TRASH)).all()) == 1
    assert empty_trash({}).startswith("deleted 1 ")
    db.session.expire_all()
    remaining = set(db.session.scalars(select(Article.slug)))
    assert "old-news" not in remaining and {"recent-news", "kept-news"} <= remaining
    assert db.session.scalar(select(Comment).where(Comment.article_id == old.id)) is None


def test_bulk_actions_say_how_many_and_skip_what_does_not_fit(client, editor, make):
    drafts = [make.article(f"Draft {n}", published=False) for n in range(3)]
    outlet_story = make.article("Uncredited", published=False, outlet_id=factories.outlet().id)
    db.session.commit()
    ids = [str(a.id) for a in drafts] + [str(outlet_story.id)]
    response = client.post("/editor/articles/bulk",
                           data={"action": "publish", "article_id": ids, "state": "drafts"},
                           follow_redirects=True)
    assert "3 stories published. 1 left as they were" in response.text
    db.session.expire_all()
    assert all(db.session.get(Article, a.id).published_at for a in drafts)
    assert db.session.get(Article, outlet_story.id).published_at is None
    response = client.post("/editor/articles/bulk",
                           data={"action": "unpublish", "article_id": ids[:2], "state": "published"},
                           follow_redirects=True)
    assert "2 stories unpublished." in response.text
    response = client.post("/editor/articles/bulk",
                           data={"action": "trash", "article_id": ids[:1], "state": "drafts"},
                           follow_redirects=True)
    assert "1 story moved to the trash." in response.text
    db.session.expire_all()
    assert db.session.get(Article, drafts[0].id).deleted_at is not None


def test_bulk_without_stories_or_action_says_so(client, editor, make):
    make.article("Draft", published=False)
    db.session.commit()
    nothing = client.post("/editor/articles/bulk", data={"action": "trash"}, follow_redirects=True)
    assert "Tick at least one story first." in nothing.text
    bad = client.post("/editor/articles/bulk", data={"action": "explode", "article_id": "1"},
                      follow_redirects=True)
    assert "Choose an action" in bad.text


def test_unpublishing_a_live_story_asks_first(client, editor, make):
    article = make.article("Live story", slug="live-story")
    db.session.commit()
    page = client.get(f"/editor/articles/{article.id}")
    assert f'href="/editor/articles/{article.id}/unpublish"' in page.text
    asked = client.get(f"/editor/articles/{article.id}/unpublish")
    assert asked.status_code == 200 and "This story is live" in asked.text
    assert f'method="post" action="/editor/articles/{article.id}/unpublish"' in asked.text
    assert client.get("/articles/live-story").status_code == 200
