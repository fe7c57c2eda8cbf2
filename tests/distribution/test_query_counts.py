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
