"""Conditional GET: ETag and Last-Modified on feeds, sitemaps, article pages and the API; 304s."""
from __future__ import annotations

import pytest

from newsroom.extensions import db
from newsroom.models import CommentStatus

DATA_URLS = [
    "/feed.xml", "/atom.xml", "/sections/harbour/feed.xml", "/sections/harbour/atom.xml",
    "/sitemap.xml", "/sitemap-news.xml", "/articles/tide-gauge/comments.xml",
    "/articles/tide-gauge",
]
API_URLS = [
    "/api/v1/articles", "/api/v1/articles/tide-gauge", "/api/v1/articles/tide-gauge/comments",
    "/api/v1/sections", "/api/v1/outlets", "/api/v1/openapi.json",
]


def revalidate(client, url, response):
    return client.get(url, headers={"If-None-Match": response.headers["ETag"]})


@pytest.mark.parametrize("url", DATA_URLS + API_URLS)
def test_matching_etag_answers_304_without_a_body(client, newsroom, url):
    first = client.get(url)
    assert first.status_code == 200
    assert first.headers["ETag"]
    second = revalidate(client, url, first)
    assert second.status_code == 304
    assert second.data == b""
    assert second.headers["ETag"] == first.headers["ETag"]


@pytest.mark.parametrize("url", DATA_URLS)
def test_last_modified_is_sent(client, newsroom, url):
    assert client.get(url).last_modified is not None


@pytest.mark.parametrize("url", ["/feed.xml", "/sections/culture/atom.xml", "/sitemap.xml"])
def test_if_modified_since_alone_never_hides_a_section_change(client, newsroom, url):
    """Sections carry no timestamp: a rename moves no Last-Modified, so only ETags give 304s."""
    first = client.get(url)
    newsroom.other_section.slug, newsroom.other_section.name = "history", "History"  # same sizes
    db.session.commit()
    url = url.replace("culture", "history")
    since = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 200
    assert b"history" in since.data.lower()
    assert revalidate(client, url, first).status_code == 200


def test_a_section_description_edit_changes_its_feed(client, newsroom):
    first = client.get("/sections/harbour/feed.xml")
    newsroom.section.description = "Quays, boats and tides."
    db.session.commit()
    second = revalidate(client, "/sections/harbour/feed.xml", first)
    assert second.status_code == 200
    assert b"Quays, boats and tides." in second.data


def test_a_new_section_changes_the_sitemap(client, newsroom, make):
    first = client.get("/sitemap.xml")
    make.section("Weather", slug="weather")
    db.session.commit()
    second = revalidate(client, "/sitemap.xml", first)
    assert second.status_code == 200
    assert b"https://news.example/sections/weather" in second.data


def test_article_page_needs_the_etag_for_a_304(client, newsroom):
    """A rejection leaves no newer timestamp, so If-Modified-Since alone never gives a 304."""
    first = client.get("/articles/tide-gauge")
    second = client.get("/articles/tide-gauge",
                        headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert second.status_code == 200
    assert first.headers["ETag"].startswith('W/"')


@pytest.mark.parametrize("url", ["/feed.xml", "/atom.xml", "/sitemap.xml", "/sitemap-news.xml",
                                 "/sections/harbour/feed.xml"])
def test_a_newly_published_story_changes_the_feeds(client, newsroom, url):
    first = client.get(url)
    newsroom.scheduled.published_at = newsroom.own.published_at
    db.session.commit()
    second = revalidate(client, url, first)
    assert second.status_code == 200
    assert "future-story" in second.get_data(as_text=True)


def test_an_edit_changes_the_feed(client, newsroom):
    first = client.get("/atom.xml")
    newsroom.own.headline = "Tide gauge moved"
    db.session.commit()
    assert revalidate(client, "/atom.xml", first).status_code == 200


def test_unpublishing_changes_the_sitemap(client, newsroom):
    first = client.get("/sitemap.xml")
    newsroom.own.published_at = None
    db.session.commit()
    second = revalidate(client, "/sitemap.xml", first)
    assert second.status_code == 200
    assert b"tide-gauge" not in second.data


COMMENT_SURFACES = ["/articles/tide-gauge", "/articles/tide-gauge/comments.xml",
                    "/api/v1/articles/tide-gauge/comments"]


@pytest.mark.parametrize("url", COMMENT_SURFACES)
def test_approving_a_comment_changes_the_etag(client, newsroom, make, url):
    comment = make.comment(newsroom.own, status=CommentStatus.PENDING, body="Held for review.")
    db.session.commit()
    first = client.get(url)
    assert revalidate(client, url, first).status_code == 304
    comment.status = CommentStatus.APPROVED
    db.session.commit()
    second = revalidate(client, url, first)
    assert second.status_code == 200
    assert "Held for review." in second.get_data(as_text=True)


@pytest.mark.parametrize("change", ["reject", "delete"])
@pytest.mark.parametrize("url", COMMENT_SURFACES)
def test_rejecting_or_deleting_an_approved_comment_changes_the_etag(
    client, newsroom, make, url, change
):
    comment = make.comment(newsroom.own, body="Soon to be withdrawn.")
    db.session.commit()
    first = client.get(url)
    if change == "reject":
        comment.status = CommentStatus.REJECTED
    else:
        db.session.delete(comment)
    db.session.commit()
    second = revalidate(client, url, first)
    assert second.status_code == 200
    assert "Soon to be withdrawn." not in second.get_data(as_text=True)


def test_swapping_which_comment_is_approved_changes_the_etag(client, newsroom, make):
    one = make.comment(newsroom.own, body="First.")
    two = make.comment(newsroom.own, status=CommentStatus.PENDING, body="Second.")
    db.session.commit()
    first = client.get("/articles/tide-gauge")
    one.status, two.status = CommentStatus.REJECTED, CommentStatus.APPROVED
    db.session.commit()
    assert revalidate(client, "/articles/tide-gauge", first).status_code == 200


def test_article_page_varies_with_the_reply_target(client, newsroom, make):
    comment = make.comment(newsroom.own)
    db.session.commit()
    plain = client.get("/articles/tide-gauge")
    replying = client.get(f"/articles/tide-gauge?replyto={comment.id}",
                          headers={"If-None-Match": plain.headers["ETag"]})
    assert replying.status_code == 200
    assert replying.headers["ETag"] != plain.headers["ETag"]
    assert "Cookie" in plain.headers["Vary"]


def test_a_flashed_message_is_never_swallowed_by_a_304(client, newsroom):
    plain = client.get("/articles/tide-gauge")
    posted = client.post("/articles/tide-gauge/comments", data={
        "name": "Nia", "email": "nia@mail.example", "body": "A first reply.", "form_token": ""})
    assert posted.status_code == 303
    with_message = revalidate(client, "/articles/tide-gauge", plain)
    assert with_message.status_code == 200
    assert b"awaiting moderation" in with_message.data
    # the page that carried the message is not revived later either
    again = revalidate(client, "/articles/tide-gauge", with_message)
    assert again.status_code == 200
    assert b"will appear once approved" not in again.data  # the notice; their comment stays


def test_signing_in_changes_the_article_etag(client, newsroom, login_as):
    from newsroom.models import Role

    anonymous = client.get("/articles/tide-gauge")
    login_as(Role.MODERATOR)
    assert revalidate(client, "/articles/tide-gauge", anonymous).status_code == 200


def test_api_etag_changes_with_the_data(client, newsroom):
    first = client.get("/api/v1/articles/tide-gauge")
    newsroom.own.standfirst = "A new standfirst."
    db.session.commit()
    second = revalidate(client, "/api/v1/articles/tide-gauge", first)
    assert second.status_code == 200
    assert second.json["standfirst"] == "A new standfirst."


def test_renaming_a_section_changes_the_feeds(client, newsroom):
    first = client.get("/feed.xml")
    newsroom.other_section.name = "Arts"
    db.session.commit()
    second = revalidate(client, "/feed.xml", first)
    assert second.status_code == 200
    assert b"<category>Arts</category>" in second.data


def test_an_outlet_turning_noindex_changes_the_sitemap(client, newsroom):
    from newsroom.models import SeoPolicy

    first = client.get("/sitemap.xml")
    newsroom.outlet.seo_policy = SeoPolicy.NOINDEX
    db.session.commit()
    second = revalidate(client, "/sitemap.xml", first)
    assert second.status_code == 200
    assert b"orchard-frost-fans" not in second.data


@pytest.mark.parametrize("action, shown", [("approve", True), ("reject", False)])
def test_a_moderator_decision_reaches_the_cached_page_and_its_304s(
    app, client, newsroom, make, login_as, action, shown
):
    """Through the desk: one reader revalidates, another reads the rendered-page cache."""
    from newsroom.models import Role

    approved = make.comment(newsroom.own, status=CommentStatus.APPROVED, body="Already shown.")
    held = make.comment(newsroom.own, status=CommentStatus.PENDING, body="Waiting for a desk.")
    db.session.commit()
    target = held if action == "approve" else approved
    text = "Waiting for a desk." if action == "approve" else "Already shown."
    keeper, newcomer = app.test_client(), app.test_client()
    store = app.extensions["newsroom_page_cache"]
    first = keeper.get("/articles/tide-gauge")
    assert (text in newcomer.get("/articles/tide-gauge").get_data(as_text=True)) is not shown
    assert len(store._entries) == 1  # the second reader got the stored page
    assert revalidate(keeper, "/articles/tide-gauge", first).status_code == 304
    login_as(Role.MODERATOR)
    with app.app_context():  # a context of its own, so Flask-Login does not reuse the reader
        decided = client.post(f"/moderation/comments/{target.id}/{action}")
    assert decided.status_code == 302 and "/login" not in decided.headers["Location"]
    again = revalidate(keeper, "/articles/tide-gauge", first)
    assert again.status_code == 200 and again.headers["ETag"] != first.headers["ETag"]
    fresh = newcomer.get("/articles/tide-gauge").get_data(as_text=True)
    assert (text in again.get_data(as_text=True)) is shown
    assert (text in fresh) is shown
    assert len(store._entries) == 2  # a new version, stored under its new key
    assert revalidate(keeper, "/articles/tide-gauge", again).status_code == 304
