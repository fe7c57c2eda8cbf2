"""Sitemaps for search engines (all stories, and Google News' last two days) and robots.txt."""
from __future__ import annotations

from datetime import datetime, timedelta
from xml.etree import ElementTree as ET

from flask import Response, current_app, url_for

from newsroom.content.articles import navigation_sections
from newsroom.content.caching import share
from newsroom.distribution.blueprint import blueprint
from newsroom.distribution.queries import (
    NEWS_SITEMAP_DAYS,
    NEWS_SITEMAP_MAX_URLS,
    SITEMAP_MAX_URLS,
    sitemap_rows,
)
from newsroom.distribution.xml import child, rfc3339, root, xml_response
from newsroom.models import utcnow
from newsroom.readers import pagecache
from newsroom.readers.versioned import site_validator, versioned
from newsroom.templating import absolute_url

SITEMAP_TYPE = "application/xml"
SITEMAP_CONTENT_TYPE = f"{SITEMAP_TYPE}; charset=utf-8"

#: Staff areas crawlers have no business in.
DISALLOWED = ("/moderation/", "/editor/", "/login")


@blueprint.get("/sitemap.xml")
def sitemap():
    """The home page, every section and every indexable published story, with lastmod."""
    pagecache.offer_to_front()  # the same bytes until the site's counters move
    return share(versioned(site_validator("sitemap"), SITEMAP_CONTENT_TYPE,
                           lambda: _sitemap(utcnow())))


def _sitemap(now: datetime) -> Response:
    """The sitemap document; the newest story dates the home page and the sections."""
    urlset = root("urlset", default="sitemap")
    sections = navigation_sections()
    room = SITEMAP_MAX_URLS - 1 - len(sections)
    stories = [(slug, max(published_at, updated_at))
               for slug, _headline, published_at, updated_at in sitemap_rows(now, limit=room)]
    newest = max((moment for _slug, moment in stories), default=now)
    _url(urlset, absolute_url("readers.home"), newest, "hourly")
    for section in sections:
        _url(urlset, absolute_url("readers.section", slug=section.slug), newest, "hourly")
    for slug, moment in stories:
        _url(urlset, absolute_url("readers.article", slug=slug), moment)
    return xml_response(urlset, SITEMAP_TYPE, _stylesheet())


@blueprint.get("/sitemap-news.xml")
def news_sitemap():
    """A Google News sitemap of the stories published in the last two days."""
    now = utcnow()
    window = now.strftime("%Y%m%d%H")  # the two-day window slides once an hour
    pagecache.offer_to_front(until=now.replace(minute=0, second=0, microsecond=0)
                             + timedelta(hours=1))
    return share(versioned(site_validator("news-sitemap", window), SITEMAP_CONTENT_TYPE,
                           lambda: _news_sitemap(now)))


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
