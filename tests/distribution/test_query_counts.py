"""Feeds, sitemaps, the API and the article page load in a fixed number of queries."""
from __future__ import annotations

from newsroom.extensions import db

URLS = [
    "/feed.xml", "/atom.xml", "/sections/harbour/feed.xml", "/sections/harbour/atom.xml",
    "/sitemap.xml", "/sitemap-news.xml", "/articles/lead-story/comments.xml",
    "/articles/lead-story",
    "/api/v1/articles", "/api/v1/articles?section=harbour&per_page=100",
    "/api/v1/articles/lead-story", "/api/v1/articles/lead-story/comments",
    "/api/v1/sections", "/api/v1/outlets",
]


def add_stories(make, section, lead, count: int) -> None:
    """``count`` more articles (half syndicated, from several outlets) and comments on ``lead``."""
    parent = None
    for n in range(count):
        if n % 2:
            make.syndicated_article(make.outlet(), section=section)
        else:
            make.article(section=section)
        parent = make.comment(lead, parent=parent if n % 3 else None)
    db.session.commit()


def counts(client, count_queries) -> dict[str, int]:
    found = {}
    for url in URLS:
        with count_queries() as queries:
            assert client.get(url).status_code == 200, url
        found[url] = len(queries)
        # the test's requests share one session: what one page loaded (a feed's stories and
        # their corrections) must not spare the next page its own queries
        db.session.expire_all()
    return found


def test_query_counts_stay_the_same_for_10_and_500_stories(client, make, count_queries):
    section = make.section("Harbour", slug="harbour")
    lead = make.article("Lead story", slug="lead-story", section=section)
    add_stories(make, section, lead, 10)
    small = counts(client, count_queries)
    add_stories(make, section, lead, 490)
    large = counts(client, count_queries)
    assert large == small
    assert max(small.values()) <= 6, small
    print(small)


def test_a_304_costs_one_or_two_queries(client, make, count_queries):
    section = make.section("Harbour", slug="harbour")
    lead = make.article("Lead story", slug="lead-story", section=section)
    add_stories(make, section, lead, 10)
    for url in ("/feed.xml", "/sitemap.xml", "/articles/lead-story",
                "/articles/lead-story/comments.xml"):
        etag = client.get(url).headers["ETag"]
        with count_queries() as queries:
            assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
        assert len(queries) <= 2, (url, queries)


SITE_VERSIONED = [url for url in URLS if "comments.xml" not in url and url != "/articles/lead-story"]


def test_once_built_feeds_sitemaps_and_the_api_cost_one_primary_key_read(
    client, make, count_queries
):
    """Their bytes are kept per site version: a repeat runs no aggregate, whatever the size."""
    section = make.section("Harbour", slug="harbour")
    lead = make.article("Lead story", slug="lead-story", section=section)
    for size in (10, 490):
        add_stories(make, section, lead, size)
        for url in SITE_VERSIONED:
            built = client.get(url)
            db.session.expire_all()
            with count_queries() as queries:
                again = client.get(url)
            assert again.data == built.data, url
            assert len(queries) == 1, (url, queries)
            assert "site_versions" in queries[0] and "count(" not in queries[0].lower(), url
            db.session.expire_all()


def test_a_kept_api_answer_follows_the_next_change_at_once(client, make):
    section = make.section("Harbour", slug="harbour")
    lead = make.article("Lead story", slug="lead-story", section=section)
    db.session.commit()
    assert client.get("/api/v1/articles").json["pagination"]["total"] == 1
    make.article("Second story", slug="second-story", section=section)
    db.session.commit()
    listed = client.get("/api/v1/articles").json
    assert listed["pagination"]["total"] == 2
    assert {item["slug"] for item in listed["items"]} == {"lead-story", "second-story"}
    make.comment(lead, body="A first approved reply.")
    db.session.commit()
    comments = client.get("/api/v1/articles/lead-story/comments").json
    assert ["A first approved reply." in item["body_html"] for item in comments["items"]] == [True]
