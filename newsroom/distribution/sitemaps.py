"""Sitemaps for search engines (all stories, and Google News' last two days) and robots.txt."""
from __future__ import annotations

from datetime import datetime, timedelta
from xml.etree import ElementTree as ET

from flask import Response, current_app, url_for

from newsroom.content.articles import navigation_sections
from newsroom.content.caching import respond
from newsroom.distribution.blueprint import blueprint
from newsroom.distribution.queries import (
    NEWS_SITEMAP_DAYS,
    NEWS_SITEMAP_MAX_URLS,
    SITEMAP_MAX_URLS,
    articles_validator,
    sitemap_rows,
)
from newsroom.distribution.xml import child, rfc3339, root, xml_response
from newsroom.models import utcnow
from newsroom.templating import absolute_url

SITEMAP_TYPE = "application/xml"

#: Staff areas crawlers have no business in.
DISALLOWED = ("/moderation/", "/editor/", "/login")


@blueprint.get("/sitemap.xml")
def sitemap():
    """The home page, every section and every indexable published story, with lastmod."""
    now = utcnow()
    validator = articles_validator(now, "sitemap")
    return respond(validator, lambda: _sitemap(now, validator.last_modified or now))


def _sitemap(now: datetime, newest: datetime) -> Response:
    """The sitemap document; ``newest`` dates the home page and the sections."""
    urlset = root("urlset", default="sitemap")
    _url(urlset, absolute_url("readers.home"), newest, "hourly")
    sections = navigation_sections()
    for section in sections:
        _url(urlset, absolute_url("readers.section", slug=section.slug), newest, "hourly")
    room = SITEMAP_MAX_URLS - 1 - len(sections)
    for slug, _headline, published_at, updated_at in sitemap_rows(now, limit=room):
        _url(urlset, absolute_url("readers.article", slug=slug), max(published_at, updated_at))
    return xml_response(urlset, SITEMAP_TYPE, _stylesheet())


@blueprint.get("/sitemap-news.xml")
def news_sitemap():
    """A Google News sitemap of the stories published in the last two days."""
    now = utcnow()
    return respond(articles_validator(now, "news-sitemap"), lambda: _news_sitemap(now))


def _news_sitemap(now: datetime) -> Response:
    """The news sitemap document: the last NEWS_SITEMAP_DAYS of stories."""
    urlset = root("urlset", default="sitemap")
    since = now - timedelta(days=NEWS_SITEMAP_DAYS)
    site = current_app.config["SITE_NAME"]
    for slug, headline, published_at, _updated in sitemap_rows(now, since, NEWS_SITEMAP_MAX_URLS):
        url = child(urlset, "url")
        child(url, "loc", absolute_url("readers.article", slug=slug))
        news = child(url, "news:news")
        publication = child(news, "news:publication")
        child(publication, "news:name", site)
        child(publication, "news:language", "en")
        child(news, "news:publication_date", rfc3339(published_at))
        child(news, "news:title", headline)
    return xml_response(urlset, SITEMAP_TYPE, _stylesheet())


@blueprint.get("/robots.txt")
def robots():
    """Crawl rules: keep out of staff areas; where the sitemaps are."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), ""]
    lines += [
        f"Sitemap: {absolute_url('distribution.sitemap')}",
        f"Sitemap: {absolute_url('distribution.news_sitemap')}",
    ]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


def _url(urlset: ET.Element, loc: str, lastmod, changefreq: str | None = None) -> None:
    url = child(urlset, "url")
    child(url, "loc", loc)
    child(url, "lastmod", rfc3339(lastmod))
    if changefreq:
        child(url, "changefreq", changefreq)


def _stylesheet() -> str:
    """Where a browser finds the sitemap's CSS (a relative URL: crawlers ignore it)."""
    return url_for("static", filename="css/sitemap.css")
