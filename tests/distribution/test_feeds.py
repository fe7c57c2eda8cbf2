"""RSS and Atom feeds: absolute links, full content, credits for syndicated stories."""
from __future__ import annotations

import feedparser
import pytest

from newsroom.extensions import db
from newsroom.models import CommentStatus

FEEDS = ["/feed.xml", "/atom.xml"]


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype in ("application/rss+xml", "application/atom+xml")
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def entry(feed, headline):
    return next(item for item in feed.entries if item.title == headline)


@pytest.mark.parametrize("url", FEEDS)
def test_site_feed_lists_published_stories_with_full_fields(client, newsroom, url):
    feed = parse(client, url)
    titles = [item.title for item in feed.entries]
    assert titles[:2] == ["Tide gauge gets a new home", "Orchard frost fans tested"]
    assert "Unfinished draft story" not in titles
    assert "Scheduled future story" not in titles
    own = entry(feed, "Tide gauge gets a new home")
    assert own.link == "https://news.example/articles/tide-gauge"
    assert own.author == "Mira Holt"
    assert own.summary == "The old gauge moves to the north pier."
    assert own.published_parsed is not None
    assert "<strong>moves</strong> on Monday &amp; stays." in own.content[0].value
    assert own.tags[0].term in ("Harbour", "harbour")


@pytest.mark.parametrize("url", FEEDS)
def test_syndicated_story_is_credited_with_a_link_to_the_original(client, newsroom, url):
    story = entry(parse(client, url), "Orchard frost fans tested")
    content = story.content[0].value
    assert "Originally published in" in content
    assert 'href="https://ledger.example/stories/frost-fans"' in content
    assert "Valley Ledger" in content
    assert story.author == "Ada Quill"
    assert story.source.title == "Valley Ledger"


def test_rss_source_element_names_the_outlet(client, newsroom):
    body = client.get("/feed.xml").get_data(as_text=True)
    assert '<source url="https://ledger.example/feed">Valley Ledger</source>' in body
    assert "http://purl.org/rss/1.0/modules/content/" in body


@pytest.mark.parametrize("url", ["/sections/harbour/feed.xml", "/sections/harbour/atom.xml"])
def test_section_feed_holds_only_that_section(client, newsroom, url):
    feed = parse(client, url)
    titles = {item.title for item in feed.entries}
    assert "Tide gauge gets a new home" in titles
    assert "Orchard frost fans tested" not in titles
    assert feed.feed.title.startswith("Harbour")


@pytest.mark.parametrize("url", ["/sections/nowhere/feed.xml", "/sections/nowhere/atom.xml",
                                 "/articles/draft-story/comments.xml"])
def test_unknown_section_or_unpublished_article_is_404(client, newsroom, url):
    assert client.get(url).status_code == 404


def test_feed_escapes_hostile_headlines(client, make):
    make.article("Ampersands & <angle> \"quotes\" ]]> end", slug="hostile")
    db.session.commit()
    for url in FEEDS:
        feed = parse(client, url)
        assert feed.entries[0].title == "Ampersands & <angle> \"quotes\" ]]> end"


def test_feed_is_capped_at_thirty_stories(client, make):
    for n in range(35):
        make.article(f"Capped story {n}")
    db.session.commit()
    assert len(parse(client, "/feed.xml").entries) == 30


def test_comments_feed_lists_approved_comments_with_names_only(client, newsroom, make):
    shown = make.comment(newsroom.own, author_name="Lena Shore", author_email="lena@mail.example",
                         author_website="https://lena.example", body="Lovely gauge.")
    make.comment(newsroom.own, status=CommentStatus.PENDING, author_name="Pending Pat",
                 body="Waiting reply.")
    reply = make.comment(newsroom.own, parent=shown, author_name="Ravi Dock", body="Agreed.")
    rejected = make.comment(newsroom.own, status=CommentStatus.REJECTED, author_name="Rex")
    make.comment(newsroom.own, parent=rejected, author_name="Orphan Reply")
    db.session.commit()
    feed = parse(client, "/articles/tide-gauge/comments.xml")
    assert [item.author for item in feed.entries] == ["Ravi Dock", "Lena Shore"]
    assert feed.entries[1].link == f"https://news.example/articles/tide-gauge#comment-{shown.id}"
    assert feed.entries[0].link.endswith(f"#comment-{reply.id}")
    assert "Lovely gauge." in feed.entries[1].summary
    body = client.get("/articles/tide-gauge/comments.xml").get_data(as_text=True)
    assert "lena@mail.example" not in body and "lena.example" not in body
    assert "Pending Pat" not in body and "Orphan Reply" not in body


def test_links_use_the_request_host_when_no_site_url_is_set(make_app, make):
    app = make_app(SITE_URL=None, TRUSTED_HOSTS="harbour.example,localhost")
    with app.app_context():
        make.article("Hostless story", slug="hostless")
        db.session.commit()
        client = app.test_client()
        feed = feedparser.parse(client.get("/feed.xml", base_url="http://harbour.example").data)
        assert feed.entries[0].link == "http://harbour.example/articles/hostless"
        robots = client.get("/robots.txt", base_url="http://harbour.example").get_data(as_text=True)
        assert "Sitemap: http://harbour.example/sitemap.xml" in robots
        spec = client.get("/api/v1/openapi.json").json
        assert spec["servers"] == [{"url": "/api/v1"}]


def test_comments_feed_links_to_the_comment_page_that_shows_each_comment(app, client, newsroom,
                                                                         make):
    app.config["COMMENTS_PER_PAGE"] = 2
    first, second, third = (make.comment(newsroom.own, author_name=name)
                            for name in ("First", "Second", "Third"))
    reply = make.comment(newsroom.own, parent=third, author_name="Replier")
    db.session.commit()
    feed = parse(client, "/articles/tide-gauge/comments.xml")
    links = {item.author: item.link for item in feed.entries}
    base = "https://news.example/articles/tide-gauge"
    assert links["First"] == f"{base}#comment-{first.id}"
    assert links["Second"] == f"{base}#comment-{second.id}"
    assert links["Third"] == f"{base}?cpage=2#comment-{third.id}"
    assert links["Replier"] == f"{base}?cpage=2#comment-{reply.id}"
    page = client.get("/articles/tide-gauge?cpage=2").get_data(as_text=True)
    assert f'id="comment-{reply.id}"' in page and f'id="comment-{third.id}"' in page
    guids = {item.author: item.id for item in feed.entries}
    assert guids["Third"].startswith("tag:news.example,") and guids["Third"].endswith(
        f":comment-{third.id}")


def test_comments_feed_leaves_out_replies_in_a_thread_the_page_hides(client, newsroom, make):
    """A reply to an approved reply whose top-level comment was rejected is not on the page."""
    top = make.comment(newsroom.own, status=CommentStatus.REJECTED, author_name="Gone Top")
    middle = make.comment(newsroom.own, parent=top, author_name="Middle")
    make.comment(newsroom.own, parent=middle, author_name="Deep Reply")
    make.comment(newsroom.own, author_name="Visible")
    db.session.commit()
    feed = parse(client, "/articles/tide-gauge/comments.xml")
    assert [item.author for item in feed.entries] == ["Visible"]
    assert "Deep Reply" not in client.get("/articles/tide-gauge").get_data(as_text=True)


def test_feed_content_makes_relative_links_and_images_absolute(client, make):
    make.article("Linking story", slug="linking", body=(
        '<p>See <a href="/sections/harbour">the harbour</a> and <a href="tide-gauge">the gauge'
        '</a>.<img src="/static/pier.jpg" alt="Pier"></p>'))
    db.session.commit()
    for url in FEEDS:
        content = parse(client, url).entries[0].content[0].value
        assert 'href="https://news.example/sections/harbour"' in content
        assert 'href="https://news.example/articles/tide-gauge"' in content
        assert 'src="https://news.example/static/pier.jpg"' in content


def test_noindex_stories_stay_in_the_feeds(client, newsroom):
    """Deliberate: noindex speaks to search engines; subscribers still get every story."""
    for url in FEEDS:
        assert "Quiet outlet story" in {item.title for item in parse(client, url).entries}


@pytest.mark.parametrize("url", FEEDS)
def test_a_story_without_standfirst_is_summarised_from_its_body(client, make, url):
    make.article("No standfirst here", slug="no-standfirst", standfirst="",
                 body="<p>Harbour <em>pilots</em> &amp; tug crews met on Friday.</p>"
                      + "<p>" + "More words follow here. " * 30 + "</p>")
    db.session.commit()
    summary = parse(client, url).entries[0].summary
    assert summary.startswith("Harbour pilots & tug crews met on Friday. More words")
    assert summary.endswith("…") and len(summary) <= 200 and "<" not in summary


def test_comments_feed_leaves_out_replies_under_a_withdrawn_reply(client, newsroom, make):
    """As on the page: a reply under a rejected reply goes, however deep it sits."""
    top = make.comment(newsroom.own, author_name="Top")
    rejected = make.comment(newsroom.own, parent=top, status=CommentStatus.REJECTED,
                            author_name="Withdrawn")
    child = make.comment(newsroom.own, parent=rejected, author_name="Child")
    make.comment(newsroom.own, parent=child, author_name="Grandchild")
    kept = make.comment(newsroom.own, parent=top, author_name="Kept")
    make.comment(newsroom.own, parent=kept, author_name="Kept Deeper")
    db.session.commit()
    feed = parse(client, "/articles/tide-gauge/comments.xml")
    assert [item.author for item in feed.entries] == ["Kept Deeper", "Kept", "Top"]
    page = client.get("/articles/tide-gauge").get_data(as_text=True)
    assert "Kept Deeper" in page and "Grandchild" not in page
