"""The Host header never changes what other readers get (issue 9, point 4).

Absolute URLs come from NEWSROOM_SITE_URL when it is set; otherwise only NEWSROOM_TRUSTED_HOSTS
are served (others get a clean 400) and the page cache keeps each host's pages apart.
"""
from __future__ import annotations

import pytest

from newsroom.extensions import db

#: Everything that carries absolute URLs: the article page (canonical, og:url, JSON-LD, share
#: links), feeds, sitemaps, robots.txt and the API.
PATHS = ["/", "/articles/ferry-timetable", "/feed.xml", "/atom.xml", "/sitemap.xml",
         "/sitemap-news.xml", "/robots.txt", "/articles/ferry-timetable/comments.xml",
         "/api/v1/articles", "/api/v1/articles/ferry-timetable"]


@pytest.fixture
def story(make):
    def create(app):
        with app.app_context():
            article = make.article("Ferry timetable", slug="ferry-timetable")
            make.comment(article, author_name="Ines Harrow")
            db.session.commit()
    return create


def served(client, host: str) -> dict[str, str]:
    pages = {}
    for path in PATHS:
        response = client.get(path, headers={"Host": host})
        assert response.status_code == 200, (host, path, response.status_code)
        pages[path] = response.get_data(as_text=True)
    return pages


def test_an_untrusted_host_gets_a_clean_400_and_poisons_nothing(make_app, story):
    app = make_app(SITE_URL=None, PAGE_CACHE_ENABLED=True)
    story(app)
    client = app.test_client()
    for _ in range(6):
        response = client.get("/articles/ferry-timetable", headers={"Host": "evil.example"})
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert "Bad Request" in page and "Traceback" not in page
        assert "evil.example" not in page
        assert response.headers["Content-Security-Policy"]
    pages = served(app.test_client(), "localhost")
    for path, page in pages.items():
        assert "evil.example" not in page, path
    assert 'href="http://localhost/articles/ferry-timetable"' in pages["/articles/ferry-timetable"]


@pytest.mark.parametrize("host", ["evil.example", "localhost.evil.example", "bad host", "a@b"])
def test_hosts_outside_the_default_local_names_are_refused(make_app, host):
    response = make_app(SITE_URL=None).test_client().get("/", headers={"Host": host})
    assert response.status_code == 400


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "localhost:5000", "127.0.0.1:8000"])
def test_local_names_are_served_by_default(make_app, host):
    response = make_app(SITE_URL=None).test_client().get("/", headers={"Host": host})
    assert response.status_code == 200


def test_with_a_site_url_every_host_is_answered_with_the_site_s_urls(make_app, story):
    app = make_app(SITE_URL="https://news.example", PAGE_CACHE_ENABLED=True)
    story(app)
    client = app.test_client()
    for _ in range(6):
        response = client.get("/articles/ferry-timetable", headers={"Host": "evil.example"})
        assert response.status_code == 200
    for path, page in served(app.test_client(), "localhost").items():
        assert "evil.example" not in page, path
        assert "localhost" not in page, path
    page = client.get("/articles/ferry-timetable").get_data(as_text=True)
    assert '<link rel="canonical" href="https://news.example/articles/ferry-timetable">' in page


def test_each_trusted_host_gets_its_own_urls_through_the_page_cache(make_app, story):
    app = make_app(SITE_URL=None, TRUSTED_HOSTS="courier.example, ledger.example",
                   PAGE_CACHE_ENABLED=True)
    story(app)
    client = app.test_client()
    for _ in range(3):  # alternate, so each host's page is served from the cache too
        for host, other in (("courier.example", "ledger.example"),
                            ("ledger.example", "courier.example")):
            pages = served(client, host)
            for path, page in pages.items():
                assert other not in page, (host, path)
            article = pages["/articles/ferry-timetable"]
            url = f"http://{host}/articles/ferry-timetable"
            assert f'<link rel="canonical" href="{url}">' in article
            assert f'<meta property="og:url" content="{url}">' in article
            assert f'"url": "{url}"' in article or f'"url":"{url}"' in article
            assert f"http%3A%2F%2F{host}%2Farticles%2Fferry-timetable" in article  # share links
            assert f"<link>{url}</link>" in pages["/feed.xml"]
            assert f"<loc>{url}</loc>" in pages["/sitemap.xml"]
    assert client.get("/", headers={"Host": "localhost"}).status_code == 400


def test_etags_differ_by_host_without_a_site_url(make_app, story):
    app = make_app(SITE_URL=None, TRUSTED_HOSTS="courier.example,ledger.example")
    story(app)
    client = app.test_client()
    first = client.get("/feed.xml", headers={"Host": "courier.example"})
    again = client.get("/feed.xml", headers={"Host": "ledger.example",
                                             "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert "ledger.example" in again.get_data(as_text=True)


def test_trusted_hosts_setting_is_parsed_from_a_comma_separated_string(make_app):
    app = make_app(SITE_URL=None, TRUSTED_HOSTS=" a.example ,B.example,, ")
    assert app.config["TRUSTED_HOSTS"] == ["a.example", "b.example"]
    assert make_app(SITE_URL=None).config["TRUSTED_HOSTS"] == ["localhost", "127.0.0.1"]
    assert make_app(SITE_URL="https://news.example").config["TRUSTED_HOSTS"] is None
