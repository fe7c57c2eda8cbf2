"""Share metadata: Open Graph, X card and JSON-LD NewsArticle on articles; defaults elsewhere."""
from __future__ import annotations

import json

import extruct
from lxml import html

from newsroom.extensions import db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def meta(document: str) -> dict[str, str]:
    tree = html.fromstring(document)
    found = {}
    for element in tree.xpath("//head/meta[@property or @name]"):
        found[element.get("property") or element.get("name")] = element.get("content")
    return found


def json_ld(document: str) -> list[dict]:
    found = extruct.extract(document, base_url="https://news.example/", syntaxes=["json-ld"])
    return found["json-ld"]


def test_article_page_has_open_graph_and_x_card(client, newsroom):
    tags = meta(page(client, "/articles/tide-gauge"))
    assert tags["og:type"] == "article"
    assert tags["og:title"] == "Tide gauge gets a new home"
    assert tags["og:description"] == "The old gauge moves to the north pier."
    assert tags["og:url"] == "https://news.example/articles/tide-gauge"
    assert tags["og:image"] == "https://img.example/gauge.jpg"
    assert tags["og:site_name"] == "The Harbour Courier"
    assert tags["article:section"] == "Harbour"
    assert tags["article:published_time"] == newsroom.own.published_at.isoformat()
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["twitter:image"] == "https://img.example/gauge.jpg"


def test_article_without_image_gets_a_summary_card(client, newsroom):
    tags = meta(page(client, "/articles/orchard-frost-fans"))
    assert tags["twitter:card"] == "summary"
    assert "og:image" not in tags


def test_json_ld_news_article_for_own_story(client, newsroom):
    [data] = json_ld(page(client, "/articles/tide-gauge"))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Tide gauge gets a new home"
    assert data["datePublished"] == newsroom.own.published_at.isoformat()
    assert data["dateModified"] == newsroom.own.updated_at.isoformat()
    assert data["author"] == [{"@type": "Person", "name": "Mira Holt"}]
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == "The Harbour Courier"
    assert data["image"] == ["https://img.example/gauge.jpg"]
    assert data["mainEntityOfPage"]["@id"] == "https://news.example/articles/tide-gauge"
    assert "isBasedOn" not in data and "sourceOrganization" not in data


def test_json_ld_credits_the_original_of_a_syndicated_story(client, newsroom):
    [data] = json_ld(page(client, "/articles/orchard-frost-fans"))
    assert data["isBasedOn"] == "https://ledger.example/stories/frost-fans"
    assert data["sourceOrganization"] == {
        "@type": "Organization", "name": "Valley Ledger", "url": "https://ledger.example/"}
    assert data["author"] == [{"@type": "Person", "name": "Ada Quill"}]
    assert data["datePublished"] == newsroom.syndicated.original_published_at.isoformat()


def test_json_ld_survives_a_headline_that_closes_the_script(client, make):
    hostile = 'Breaking </script><script>alert("x")</script> & more'
    make.article(hostile, slug="hostile-headline", byline="<b>Eve</b>")
    db.session.commit()
    document = page(client, "/articles/hostile-headline")
    assert '</script><script>alert' not in document
    script = html.fromstring(document).xpath("//script[@type='application/ld+json']")[0].text
    assert "<" not in script and ">" not in script
    data = json.loads(script)
    assert data["headline"] == hostile
    assert data["author"][0]["name"] == "<b>Eve</b>"
    assert json_ld(document)[0]["headline"] == hostile


def test_article_page_keeps_one_description_and_its_canonical(client, newsroom):
    document = page(client, "/articles/orchard-frost-fans")
    tree = html.fromstring(document)
    assert len(tree.xpath("//meta[@property='og:type']")) == 1
    assert len(tree.xpath("//meta[@name='description']")) == 1
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    assert canonical == ["https://ledger.example/stories/frost-fans"]


def test_other_pages_get_default_metadata_and_feed_links(client, newsroom):
    tags = meta(page(client, "/"))
    assert tags["og:type"] == "website"
    assert tags["og:site_name"] == "The Harbour Courier"
    assert tags["og:url"] == "https://news.example/"
    assert tags["description"]
    section = page(client, "/sections/harbour")
    tags = meta(section)
    assert tags["description"] == "News from the quays."
    assert tags["og:title"] == "Harbour · The Harbour Courier"
    assert 'href="/sections/harbour/feed.xml"' in section
    assert 'type="application/atom+xml"' in section


def test_a_story_without_standfirst_still_has_a_description(client, make):
    make.article("Bare story", slug="bare-story", standfirst="",
                 body="<p>The ferry <strong>timetable</strong> changes in spring.</p>")
    db.session.commit()
    document = page(client, "/articles/bare-story")
    tags = meta(document)
    assert tags["og:description"] == "The ferry timetable changes in spring."
    assert tags["twitter:description"] == "The ferry timetable changes in spring."
    assert json_ld(document)[0]["description"] == "The ferry timetable changes in spring."
