"""The read-only JSON API: shapes, pagination, filters, threaded comments, errors and CORS."""
from __future__ import annotations

import pytest

from newsroom.extensions import db
from newsroom.models import CommentStatus


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.data
    assert response.mimetype == "application/json"
    return response.json


def test_articles_lists_published_stories_newest_first(client, newsroom):
    data = get(client, "/api/v1/articles")
    slugs = [item["slug"] for item in data["items"]]
    assert slugs == ["tide-gauge", "orchard-frost-fans", "quiet-story"]
    assert data["pagination"] == {"page": 1, "per_page": 20, "total": 3, "pages": 1,
                                  "prev": None, "next": None}
    own = data["items"][0]
    assert own["url"] == "https://news.example/articles/tide-gauge"
    assert own["api_url"] == "https://news.example/api/v1/articles/tide-gauge"
    assert own["section"] == {"slug": "harbour", "name": "Harbour"}
    assert own["outlet"] is None
    assert "body_html" not in own


def test_articles_paginate_with_links(client, make):
    for n in range(5):
        make.article(f"Paged story {n}")
    db.session.commit()
    data = get(client, "/api/v1/articles?per_page=2&page=2")
    assert [item["headline"] for item in data["items"]] == ["Paged story 2", "Paged story 1"]
    assert data["pagination"]["pages"] == 3
    assert data["pagination"]["prev"] == "https://news.example/api/v1/articles?page=1&per_page=2"
    assert data["pagination"]["next"] == "https://news.example/api/v1/articles?page=3&per_page=2"
    assert get(client, "/api/v1/articles?per_page=2&page=9")["items"] == []


def test_per_page_is_capped(client, make):
    for n in range(3):
        make.article()
    db.session.commit()
    assert get(client, "/api/v1/articles?per_page=5000")["pagination"]["per_page"] == 100


@pytest.mark.parametrize("query", ["page=0", "page=abc", "page=-1", "page=1.5", "per_page=0",
                                   "per_page=x", "page=100001", "page=" + "9" * 5000])
def test_bad_paging_is_a_json_400(client, query):
    data = get(client, f"/api/v1/articles?{query}", 400)
    assert data["error"]["status"] == 400
    assert data["error"]["code"] == "bad_request"
    assert "must be a whole number" in data["error"]["message"]


def test_filters_by_section_and_outlet(client, newsroom):
    by_section = get(client, "/api/v1/articles?section=harbour")
    assert [item["slug"] for item in by_section["items"]] == ["tide-gauge", "quiet-story"]
    by_outlet = get(client, "/api/v1/articles?outlet=valley-ledger")
    assert [item["slug"] for item in by_outlet["items"]] == ["orchard-frost-fans"]
    both = get(client, "/api/v1/articles?outlet=valley-ledger&section=harbour")
    assert both["items"] == [] and both["pagination"]["total"] == 0
    assert get(client, "/api/v1/articles?section=nowhere")["items"] == []


@pytest.mark.parametrize("query", ["outlet=valley%11ledger", "section=harbour%00", "outlet=%7F",
                                   "section=%09harbour"])
def test_a_filter_with_a_control_character_is_a_json_400(client, newsroom, query):
    """Stripping the character would ask for another slug (schemathesis' negative case)."""
    data = get(client, f"/api/v1/articles?{query}", 400)
    assert data["error"]["message"] == "Malformed slug."


def test_filters_are_kept_in_the_page_links(client, make, newsroom):
    for n in range(3):
        make.article(section=newsroom.section)
    db.session.commit()
    data = get(client, "/api/v1/articles?section=harbour&per_page=2")
    assert "section=harbour" in data["pagination"]["next"]


def test_article_carries_body_and_attribution(client, newsroom):
    data = get(client, "/api/v1/articles/orchard-frost-fans")
    assert data["body_html"] == "<p>Fans spun all night.</p>"
    assert data["attribution"] == {
        "outlet": {"slug": "valley-ledger", "name": "Valley Ledger",
                   "homepage_url": "https://ledger.example/"},
        "original_url": "https://ledger.example/stories/frost-fans",
        "original_author": "Ada Quill",
        "original_published_at": newsroom.syndicated.original_published_at.isoformat(),
    }
    assert data["comments_url"] == (
        "https://news.example/api/v1/articles/orchard-frost-fans/comments")
    assert get(client, "/api/v1/articles/tide-gauge")["attribution"] is None


@pytest.mark.parametrize("slug", ["draft-story", "future-story", "no-such-story"])
def test_unpublished_or_unknown_article_is_a_json_404(client, newsroom, slug):
    for url in (f"/api/v1/articles/{slug}", f"/api/v1/articles/{slug}/comments"):
        data = get(client, url, 404)
        assert data["error"]["code"] == "not_found"
        assert data["error"]["status"] == 404


def test_unknown_api_route_and_wrong_method_answer_json(client):
    assert get(client, "/api/v1/nothing-here", 404)["error"]["code"] == "not_found"
    response = client.post("/api/v1/articles")
    assert response.status_code == 405
    assert response.json["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_comments_are_approved_only_threaded_and_allowlisted(client, newsroom, make):
    top = make.comment(newsroom.own, author_name="Lena", author_website="https://lena.example",
                       body="Top <b>level</b>.")
    reply = make.comment(newsroom.own, parent=top, author_name="Ravi", body="A reply.")
    make.comment(newsroom.own, parent=reply, author_name="Tom", body="Deeper.")
    make.comment(newsroom.own, status=CommentStatus.PENDING, author_name="Pending Pat")
    make.comment(newsroom.own, status=CommentStatus.SPAM, author_name="Spammer")
    db.session.commit()
    data = get(client, "/api/v1/articles/tide-gauge/comments")
    [thread] = data["items"]
    assert set(thread) == {"id", "parent_id", "author_name", "author_website", "body_html",
                           "created_at", "featured", "replies"}
    assert thread["author_name"] == "Lena" and thread["parent_id"] is None
    assert thread["body_html"] == "Top <b>level</b>."
    assert thread["replies"][0]["author_name"] == "Ravi"
    assert thread["replies"][0]["parent_id"] == top.id
    assert thread["replies"][0]["replies"][0]["author_name"] == "Tom"
    assert data["pagination"]["total"] == 3
    assert "Pending Pat" not in str(data) and "Spammer" not in str(data)


def test_sections_and_outlets(client, newsroom):
    sections = get(client, "/api/v1/sections")["items"]
    assert {section["slug"] for section in sections} == {"harbour", "culture"}
    harbour = next(section for section in sections if section["slug"] == "harbour")
    assert harbour == {"slug": "harbour", "name": "Harbour", "description": "News from the quays.",
                       "url": "https://news.example/sections/harbour",
                       "feed_url": "https://news.example/sections/harbour/feed.xml"}
    outlets = get(client, "/api/v1/outlets")["items"]
    assert outlets[1] == {"slug": "valley-ledger", "name": "Valley Ledger",
                          "homepage_url": "https://ledger.example/"}
    assert [outlet["name"] for outlet in outlets] == ["Quiet Post", "Valley Ledger"]


@pytest.mark.parametrize("url", ["/api/v1/articles", "/api/v1/articles/tide-gauge",
                                 "/api/v1/nothing", "/api/v1/openapi.json"])
def test_cors_on_every_answer(client, newsroom, url):
    response = client.get(url)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]


def test_cors_preflight(client, newsroom):
    response = client.options("/api/v1/articles", headers={
        "Origin": "https://reader.example", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "If-None-Match"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response.headers["Access-Control-Allow-Methods"]
    assert "If-None-Match" in response.headers["Access-Control-Allow-Headers"]


def test_html_pages_keep_html_errors(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_an_unexpected_failure_is_a_json_500_without_details(client, newsroom, monkeypatch):
    from newsroom.distribution import api

    def broken(section):
        raise RuntimeError("secret detail from deep inside")

    monkeypatch.setattr(api, "section_json", broken)
    response = client.get("/api/v1/sections")
    assert response.status_code == 500
    assert response.json == {"error": {"status": 500, "code": "internal_error",
                                       "message": "Something went wrong on our side."}}
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" not in response.headers
    assert b"secret detail" not in response.data
