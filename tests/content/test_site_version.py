"""The site-wide version: every public change raises it in its own transaction, so the home
page, section pages and every page's navigation are cached by one primary-key read."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from newsroom.extensions import db
from newsroom.models import Article, CommentStatus, SiteVersion, utcnow


@pytest.fixture
def harbour(make):
    section = make.section("Harbour", slug="harbour")
    article = make.article(headline="Slipway repairs", slug="slipway", section=section)
    db.session.commit()
    return section, article


PAGES = ["/", "/sections/harbour", "/articles/slipway"]


def read_all(client) -> list[str]:
    pages = [client.get(path) for path in PAGES]
    assert all(page.status_code == 200 for page in pages)
    return [page.get_data(as_text=True) for page in pages]


def test_a_section_rename_is_seen_on_the_next_request_everywhere(client, harbour):
    section, _ = harbour
    read_all(client)
    read_all(client)  # served from the page cache now
    feed = client.get("/sections/harbour/feed.xml").get_data(as_text=True)
    section.name = "Quayside"
    db.session.commit()
    assert all(">Quayside<" in page and ">Harbour<" not in page for page in read_all(client))
    assert "Harbour" in feed
    assert "Quayside" in client.get("/sections/harbour/feed.xml").get_data(as_text=True)


@pytest.mark.parametrize("change", ["edit", "unpublish", "trash", "publish", "outlet"])
def test_a_change_to_a_story_is_seen_on_the_next_request(client, make, harbour, change):
    section, article = harbour
    other = make.article(headline="Tide tables", section=section, published=False)
    outlet = make.outlet("Valley Ledger")
    syndicated = make.syndicated_article(outlet, headline="From the valley", section=section)
    db.session.commit()
    before = client.get("/sections/harbour").get_data(as_text=True)
    client.get("/sections/harbour")
    if change == "edit":
        article.headline, gone, shown = "Slipway reopened", "Slipway repairs", "Slipway reopened"
    elif change == "unpublish":
        article.published_at, gone, shown = None, "Slipway repairs", None
    elif change == "trash":
        article.deleted_at, gone, shown = utcnow(), "Slipway repairs", None
    elif change == "publish":
        other.published_at, gone, shown = utcnow() - timedelta(minutes=1), None, "Tide tables"
    else:
        outlet.name, gone, shown = "Valley Herald", "Valley Ledger", "Valley Herald"
    db.session.commit()
    after = client.get("/sections/harbour").get_data(as_text=True)
    assert syndicated.headline in after
    if gone:
        assert gone in before and gone not in after
    if shown:
        assert shown not in before and shown in after


def test_an_approved_comment_raises_the_lists_comment_count(client, make, harbour):
    _, article = harbour
    waiting = make.comment(article, status=CommentStatus.PENDING)
    db.session.commit()
    before = client.get("/").headers["ETag"]
    waiting.status = CommentStatus.APPROVED
    db.session.commit()
    after = client.get("/")
    assert after.headers["ETag"] != before and "1 comment" in after.get_data(as_text=True)


def test_a_scheduled_story_appears_once_its_time_has_come(client, make, harbour):
    section, _ = harbour
    later = make.article(headline="Evening ferry", section=section,
                         published=utcnow() + timedelta(hours=1))
    db.session.commit()
    assert db.session.get(SiteVersion, 1).next_publish_at == later.published_at
    assert "Evening ferry" not in client.get("/").get_data(as_text=True)
    client.get("/")  # cached
    # The hour passes: moved back without the ORM, as the clock would, with no write at all.
    past = utcnow() - timedelta(seconds=1)
    db.session.execute(update(Article).where(Article.id == later.id).values(published_at=past)
                       .execution_options(synchronize_session=False))
    db.session.execute(update(SiteVersion).values(next_publish_at=past))
    db.session.commit()
    assert "Evening ferry" in client.get("/").get_data(as_text=True)
    assert db.session.get(SiteVersion, 1).next_publish_at is None


@pytest.mark.parametrize("path", ["/", "/sections/news", "/feed.xml", "/sections/news/atom.xml"])
def test_a_list_cache_hit_is_one_primary_key_read_for_5_or_50_stories(
    app, client, make, count_queries, path
):
    app.config["ARTICLES_PER_PAGE"] = 50
    news = make.section("News", slug="news")
    counts = []
    for total in (5, 50):
        while db.session.query(Article).count() < total:
            make.syndicated_article(make.outlet(), section=news)
        db.session.commit()
        assert client.get(path).status_code == 200  # renders and stores the page
        db.session.remove()
        with count_queries() as statements:
            assert client.get(path).status_code == 200
        counts.append(statements)
    assert [len(statements) for statements in counts] == [1, 1]
    assert "site_versions" in counts[1][0]
