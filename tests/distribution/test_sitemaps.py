"""Sitemaps follow the protocol and list only indexable stories; robots.txt points at them."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from lxml import etree

from newsroom.extensions import db
from newsroom.models import utcnow

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
      "news": "http://www.google.com/schemas/sitemap-news/0.9"}
SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "schemas" / "sitemap.xsd")))


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    document = etree.fromstring(response.data)
    SCHEMA.assertValid(document)
    return document


def locs(document):
    return document.xpath("//s:url/s:loc/text()", namespaces=NS)


def test_sitemap_lists_home_sections_and_indexable_published_stories(client, newsroom):
    document = fetch(client, "/sitemap.xml")
    urls = locs(document)
    assert urls[0] == "https://news.example/"
    assert "https://news.example/sections/harbour" in urls
    assert "https://news.example/sections/culture" in urls
    assert "https://news.example/articles/tide-gauge" in urls
    assert "https://news.example/articles/orchard-frost-fans" in urls
    for hidden in ("draft-story", "future-story", "quiet-story"):
        assert f"https://news.example/articles/{hidden}" not in urls
    assert len(document.xpath("//s:url[not(s:lastmod)]", namespaces=NS)) == 0


def test_news_sitemap_holds_the_last_two_days_with_news_fields(client, newsroom, make):
    make.article("Old story from last week", slug="old-story",
                 published=utcnow() - timedelta(days=7))
    db.session.commit()
    document = fetch(client, "/sitemap-news.xml")
    urls = locs(document)
    assert "https://news.example/articles/tide-gauge" in urls
    assert "https://news.example/articles/old-story" not in urls
    for hidden in ("draft-story", "future-story", "quiet-story"):
        assert f"https://news.example/articles/{hidden}" not in urls
    entry = document.xpath("//s:url[s:loc='https://news.example/articles/tide-gauge']/news:news",
                           namespaces=NS)[0]
    name = entry.xpath("news:publication/news:name/text()", namespaces=NS)
    assert name == ["The Harbour Courier"]
    assert entry.xpath("news:publication/news:language/text()", namespaces=NS) == ["en"]
    assert entry.xpath("news:title/text()", namespaces=NS) == ["Tide gauge gets a new home"]
    assert entry.xpath("news:publication_date/text()", namespaces=NS)[0].startswith("20")


def test_sitemap_escapes_hostile_headlines(client, make):
    make.article("Fish & <chips>", slug="fish-and-chips")
    db.session.commit()
    document = fetch(client, "/sitemap-news.xml")
    assert document.xpath("//news:title/text()", namespaces=NS) == ["Fish & <chips>"]


def test_robots_points_at_both_sitemaps_and_keeps_crawlers_out_of_staff_areas(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert "User-agent: *" in lines
    for path in ("/moderation/", "/editor/", "/login"):
        assert f"Disallow: {path}" in lines
    assert "Sitemap: https://news.example/sitemap.xml" in lines
    assert "Sitemap: https://news.example/sitemap-news.xml" in lines


@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap-news.xml"])
def test_empty_site_still_has_valid_sitemaps(client, url):
    fetch(client, url)


def test_the_schema_really_checks_the_news_fields(client, newsroom):
    """The news sitemap's schema is strict: a news entry without its title is refused."""
    document = fetch(client, "/sitemap-news.xml")
    title = document.xpath("//news:title", namespaces=NS)[0]
    title.getparent().remove(title)
    assert not SCHEMA.validate(document)
