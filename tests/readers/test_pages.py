"""Home, section and article pages: what is visible, in what order, and how it is marked up."""
from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import quote

import html5lib
import pytest

from newsroom.extensions import db
from newsroom.models import Licence, SeoPolicy, utcnow

#: HTML's "valid global date and time string": at most three digits of a second's fraction.
HTML_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:\d\d)")


def html_errors(markup: bytes) -> list:
    parser = html5lib.HTMLParser(strict=False)
    parser.parse(markup)
    errors = list(parser.errors)
    for value in re.findall(rb'<time datetime="([^"]*)"', markup):
        if not HTML_DATETIME.fullmatch(value.decode()):
            errors.append(f"bad <time datetime> {value!r}")
    ids = re.findall(rb'\sid="([^"]+)"', markup)
    errors.extend(f"duplicate id {i!r}" for i in set(ids) if ids.count(i) > 1)
    return errors


def test_home_lists_published_articles_newest_first(client, make):
    make.article("Older story", published=utcnow() - timedelta(days=2))
    make.article("Newer story", published=utcnow() - timedelta(hours=2))
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert page.index("Newer story") < page.index("Older story")


def test_home_is_paginated(client, make, app):
    per_page = app.config["ARTICLES_PER_PAGE"]
    for n in range(per_page + 3):
        make.article(f"Numbered story {n:02d}", published=utcnow() - timedelta(hours=n + 1))
    db.session.commit()
    first = client.get("/").get_data(as_text=True)
    second = client.get("/?page=2").get_data(as_text=True)
    assert "Numbered story 00" in first and "Numbered story 00" not in second
    assert f"Numbered story {per_page + 2:02d}" in second
    assert 'rel="next" href="/?page=2"' in first
    assert client.get("/?page=9").status_code == 404


@pytest.mark.parametrize("published", [False, "future"])
def test_drafts_and_scheduled_articles_are_invisible(client, make, published):
    when = utcnow() + timedelta(hours=3) if published == "future" else False
    article = make.article("Hidden story", published=when)
    section = make.section("Hidden things", slug="hidden")
    article.section = section
    db.session.commit()
    assert client.get(f"/articles/{article.slug}").status_code == 404
    assert "Hidden story" not in client.get("/").get_data(as_text=True)
    assert "Hidden story" not in client.get("/sections/hidden").get_data(as_text=True)


def test_section_page_lists_only_its_articles(client, make):
    news = make.section("News", slug="news")
    culture = make.section("Culture", slug="culture")
    make.article("A council vote", section=news)
    make.article("A choir concert", section=culture)
    db.session.commit()
    page = client.get("/sections/news").get_data(as_text=True)
    assert "A council vote" in page and "A choir concert" not in page
    assert client.get("/sections/nowhere").status_code == 404


def test_article_page_shows_the_story(client, make):
    section = make.section("Environment", slug="environment")
    article = make.article(
        "Sea stars return to the reef",
        standfirst="Volunteers counted every one.",
        byline="Priya Lind",
        body="<p>The count is <strong>up</strong>.</p><script>alert(1)</script>",
        section=section,
    )
    db.session.commit()
    response = client.get(f"/articles/{article.slug}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Sea stars return to the reef</h1>" in page
    assert "Volunteers counted every one." in page
    assert "By Priya Lind" in page
    assert f'<time datetime="{article.published_at.isoformat(timespec="seconds")}">' in page
    assert "<strong>up</strong>" in page and "alert(1)" not in page
    assert f'<link rel="canonical" href="https://news.example/articles/{article.slug}">' in page
    assert 'href="/sections/environment"' in page


def test_a_credit_line_that_restates_the_licence_is_shown_once(client, make):
    outlet = make.outlet("Valley Ledger", credit_line="Republished with permission.")
    said_twice = make.syndicated_article(outlet, slug="twice", licence=Licence.PERMISSION)
    own_words = make.syndicated_article(outlet, slug="thanks", licence=Licence.PERMISSION,
                                        credit_line="With thanks to the Ledger.")
    db.session.commit()
    def attribution(slug: str) -> str:
        page = client.get(f"/articles/{slug}").get_data(as_text=True)
        return re.search(r'<aside class="attribution">(.*?)</aside>', page, re.S).group(1)

    assert attribution("twice").count("Republished with permission") == 1
    assert 'class="credit-line"' not in attribution("twice")
    assert "Republished with permission" in attribution("thanks")
    assert "With thanks to the Ledger." in attribution("thanks")


def test_syndicated_article_credits_its_outlet(client, make):
    outlet = make.outlet("Valley Ledger", credit_line="Republished with permission.")
    article = make.syndicated_article(
        outlet, original_url="https://valley.example/stories/frost-fans", original_author="Jo Reyes"
    )
    db.session.commit()
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert (
        'Originally published in <a href="https://valley.example/stories/frost-fans">'
        "<cite>Valley Ledger</cite></a>"
    ) in page
    assert '<link rel="canonical" href="https://valley.example/stories/frost-fans">' in page
    assert "Republished with permission." in page
    assert f'<time datetime="{article.original_published_at.isoformat(timespec="seconds")}">' in page
    assert "noindex" not in page


def test_noindex_outlet_keeps_its_stories_out_of_search(client, make):
    outlet = make.outlet("Quiet Times", seo_policy=SeoPolicy.NOINDEX)
    article = make.syndicated_article(outlet)
    db.session.commit()
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert '<meta name="robots" content="noindex">' in page
    assert f'<link rel="canonical" href="{article.original_url}">' not in page
    assert "Originally published in" in page


def test_share_links_carry_the_encoded_absolute_url(client, make):
    article = make.article("Rates & tides: what's next?", slug="rates-and-tides")
    db.session.commit()
    page = client.get("/articles/rates-and-tides").get_data(as_text=True)
    url = quote("https://news.example/articles/rates-and-tides", safe="")
    title = quote("Rates & tides: what's next?", safe="")
    expected = [
        f"https://www.facebook.com/sharer/sharer.php?u={url}",
        f"https://x.com/intent/post?url={url}&amp;text={title}",
        f"https://wa.me/?text={title}%20{url}",
        f"https://t.me/share/url?url={url}&amp;text={title}",
        f"https://www.linkedin.com/sharing/share-offsite/?url={url}",
        f"https://www.reddit.com/submit?url={url}&amp;title={title}",
        f"mailto:?subject={title}&amp;body={url}",
        'data-copy-url="https://news.example/articles/rates-and-tides"',
    ]
    for link in expected:
        assert link in page
    assert "<script src=\"http" not in page  # no third-party script


def test_share_links_use_the_request_host_without_a_site_url(make_app, make):
    app = make_app(SITE_URL=None, TRUSTED_HOSTS="reader.example")
    with app.app_context():
        make.article("Pier reopens", slug="pier-reopens")
        db.session.commit()
        response = app.test_client().get("/articles/pier-reopens", base_url="http://reader.example")
    page = response.get_data(as_text=True)
    url = quote("http://reader.example/articles/pier-reopens", safe="")
    assert f"https://www.facebook.com/sharer/sharer.php?u={url}" in page
    assert f"mailto:?subject=Pier%20reopens&amp;body={url}" in page
    assert 'data-copy-url="http://reader.example/articles/pier-reopens"' in page
    assert "news.example" not in page


def test_former_slug_redirects_permanently(client, make):
    from newsroom.models import SlugRedirect

    article = make.article("Renamed story", slug="renamed-story")
    db.session.add(SlugRedirect(old_slug="old-name", article=article))
    db.session.commit()
    response = client.get("/articles/old-name")
    assert response.status_code == 301
    assert response.headers["Location"] == "/articles/renamed-story"


REPLY = {"name": "Ada", "email": "ada@example.net", "body": "A fair point."}
VALIDATED_PAGES = {
    "home": lambda client, ids: client.get("/"),
    "section": lambda client, ids: client.get("/sections/news"),
    "article with a thread": lambda client, ids: client.get("/articles/a-story"),
    "reply link followed": lambda client, ids: client.get(f"/articles/a-story?replyto={ids['root']}"),
    "syndicated with an image": lambda client, ids: client.get(f"/articles/{ids['syndicated']}"),
    "comments closed": lambda client, ids: client.get("/articles/closed-story"),
    "not found": lambda client, ids: client.get("/missing"),
    "method not allowed": lambda client, ids: client.get("/articles/a-story/comments"),
    "refused reply": lambda client, ids: client.post(
        "/articles/a-story/comments", data={**REPLY, "email": "nope", "website": "ftp://x", "body": ""}
    ),
    "refused parent": lambda client, ids: client.post(
        "/articles/a-story/comments", data={**REPLY, "parent_id": "999999"}
    ),
    "too large": lambda client, ids: client.post(
        "/articles/a-story/comments", data={**REPLY, "body": "x" * (2 * 1024 * 1024)}
    ),
    "after posting": lambda client, ids: client.post(
        "/articles/a-story/comments", data=REPLY, follow_redirects=True
    ),
}


@pytest.mark.parametrize("name", VALIDATED_PAGES)
def test_pages_are_valid_html5(client, make, name):
    section = make.section("News", slug="news")
    article = make.article("A story", slug="a-story", section=section)
    root = make.comment(article, body="First <em>comment</em>", author_website="https://ada.example")
    make.comment(article, parent=root, body="A reply")
    make.article("Closed story", slug="closed-story", comments_enabled=False)
    syndicated = make.syndicated_article(make.outlet("Valley Ledger", credit_line="With thanks."))
    syndicated.image_url, syndicated.image_caption = "https://img.example/a.jpg", "A pier"
    db.session.commit()
    response = VALIDATED_PAGES[name](client, {"root": root.id, "syndicated": syndicated.slug})
    assert not re.search(rb"reader\d+@example\.com", response.data)  # no stored commenter's email
    if not name.startswith("refused"):  # only a refused form shows the sender what they typed
        assert REPLY["email"].encode() not in response.data
    assert response.data.startswith(b"<!doctype html>")
    assert html_errors(response.data) == []
    assert b'name="viewport"' in response.data and b'<html lang="en">' in response.data
    assert b'<a class="skip-link" href="#main">' in response.data and b'id="main"' in response.data


def test_missing_page_is_a_friendly_404(client):
    response = client.get("/articles/no-such-story")
    assert response.status_code == 404
    assert b"We could not find that page" in response.data
    assert b"Traceback" not in response.data


def test_unexpected_error_shows_no_traceback(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret detail")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert b"Something went wrong" in response.data
    assert b"secret detail" not in response.data and b"Traceback" not in response.data


@pytest.mark.parametrize("path", ["/", "/sections/news"])
def test_story_lists_make_the_same_number_of_queries_for_5_and_50_stories(
    app, client, make, count_queries, path
):
    app.config["ARTICLES_PER_PAGE"] = 50  # every story on one page, so each one is rendered
    news = make.section("News", slug="news")

    def queries_once_there_are(total: int) -> int:
        while len(stories) < total:  # each with its own outlet (and section on the home page)
            section = make.section() if path == "/" and len(stories) % 2 else news
            stories.append(make.syndicated_article(make.outlet(), section=section))
        db.session.commit()
        with count_queries() as statements:
            page = client.get(path).get_data(as_text=True)
        assert page.count('<article class="card">') == total
        return len(statements)

    stories: list = []
    # with the comment counts, and the site version read by primary key for the validator
    assert queries_once_there_are(5) == queries_once_there_are(50) <= 6
