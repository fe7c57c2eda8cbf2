"""RSS 2.0 and Atom 1.0 feeds: the whole site, each section, and each article's comments."""
from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from flask import Response, abort, current_app, request
from markupsafe import Markup
from sqlalchemy import select

from newsroom.content.caching import latest, respond, share
from newsroom.content.pages import article_validator, load_article
from newsroom.distribution.blueprint import blueprint
from newsroom.content.corrections import public_corrections
from newsroom.dates import show_day
from newsroom.distribution.metadata import (
    credit_html,
    credited_to,
    original_link,
    summary_text,
)
from newsroom.distribution.queries import feed_articles, feed_comments
from newsroom.distribution.xml import child, rfc822, rfc3339, root, xml_response
from newsroom.extensions import db
from newsroom.models import Article, Comment, Section, utcnow
from newsroom.readers import pagecache
from newsroom.readers.versioned import site_validator, versioned
from newsroom.sanitizing import clean_article
from newsroom.templating import absolute_url

#: An href or src without a scheme, as the sanitiser writes attributes (double-quoted).
RELATIVE_REFERENCE = re.compile(r'\s(?:href|src)="(?![a-zA-Z][a-zA-Z0-9+.\-]*:)')

#: An editors' pick's item in a comments feed carries ``<category domain=…>featured</category>``
#: (RSS 2.0's own element; its domain, a plain name, says whose vocabulary); others carry none.
FEATURED_CATEGORY = "featured"
FEATURED_DOMAIN = "newsroom-comment-flags"

RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"


@blueprint.get("/feed.xml")
def rss():
    """The newest stories as RSS 2.0."""
    return _story_feed(_rss_document, "rss")


@blueprint.get("/atom.xml")
def atom():
    """The newest stories as Atom 1.0."""
    return _story_feed(_atom_document, "atom")


@blueprint.get("/sections/<slug>/feed.xml")
def section_rss(slug: str):
    """One section's newest stories as RSS 2.0."""
    return _story_feed(_rss_document, "rss", slug)


@blueprint.get("/sections/<slug>/atom.xml")
def section_atom(slug: str):
    """One section's newest stories as Atom 1.0."""
    return _story_feed(_atom_document, "atom", slug)


@blueprint.get("/articles/<slug>/comments.xml")
def comments_rss(slug: str):
    """An article's newest approved comments as RSS 2.0 (the author's name only)."""
    loaded = load_article(slug) or abort(404)
    article = loaded.article
    validator = article_validator(article, loaded.comments, "comments-rss")
    return respond(validator, lambda: _comments_document(article, feed_comments(article)))


def _section_or_404(slug: str) -> Section:
    return db.one_or_404(select(Section).where(Section.slug == slug))


def _story_feed(build, kind: str, slug: str | None = None):
    """Answer 304 from the site version alone, else the document (from the page cache if kept)."""
    def render() -> Response:
        now = utcnow()
        section = _section_or_404(slug) if slug else None
        articles = feed_articles(now, section)
        updated = latest(*(moment for article in articles
                           for moment in (article.updated_at, article.published_at))) or now
        return build(articles, section, updated)

    mimetype = RSS_TYPE if kind == "rss" else ATOM_TYPE
    pagecache.offer_to_front()  # the same bytes until the site's counters move
    return share(versioned(site_validator("feed", kind, slug), f"{mimetype}; charset=utf-8", render))


def _titles(section: Section | None) -> tuple[str, str, str]:
    """The feed's title, description and HTML page."""
    site = current_app.config["SITE_NAME"]
    if section is None:
        return site, f"The latest stories from {site}.", absolute_url("readers.home")
    return (
        f"{section.name} · {site}",
        section.description or f"The latest {section.name} stories from {site}.",
        absolute_url("readers.section", slug=section.slug),
    )


def _story_id(article: Article) -> str:
    """A permanent id that survives slug changes (RFC 4151 tag URI)."""
    host = urlsplit(absolute_url("readers.home")).hostname
    return f"tag:{host},{article.created_at:%Y-%m-%d}:article-{article.id}"


def _content(article: Article) -> str:
    """The full sanitised body with every link and image absolute, plus a syndicated credit.

    A feed item travels away from this site, so a relative link in the body (an editor's
    ``/sections/harbour``) is resolved against the story's own page.
    """
    body = article.body
    if RELATIVE_REFERENCE.search(body):  # sanitising again is slow: only when it has work to do
        body = clean_article(
            body,
            base_url=absolute_url("readers.article", slug=article.slug),
            media_base=absolute_url("readers.home"),
        )
    # Bandit B704 judged safe: the body is bleach-sanitised on the way in.
    return str(Markup(body) + corrections_html(article) + credit_html(article))  # nosec B704


def corrections_html(article: Article) -> Markup:
    """The story's live corrections, dated, as the page shows them above the body (escaped)."""
    notes = [
        Markup("<p><strong>{}, {}:</strong> {}</p>").format(
            correction.kind.label, show_day(correction.created_at), correction.text)
        for correction in public_corrections(article)
    ]
    if not notes:
        return Markup("")
    return Markup('<aside class="corrections">') + Markup("").join(notes) + Markup("</aside>")


def _rss_document(articles: list[Article], section: Section | None, updated: datetime):
    title, description, page = _titles(section)
    rss = root("rss", version="2.0")
    channel = child(rss, "channel")
    child(channel, "title", title)
    child(channel, "link", page)
    child(channel, "description", description)
    child(channel, "language", "en")
    child(channel, "lastBuildDate", rfc822(updated))
    child(channel, "atom:link", href=absolute_url(request.endpoint, **request.view_args),
          rel="self", type=RSS_TYPE)
    for article in articles:
        _rss_item(child(channel, "item"), article)
    return xml_response(rss, RSS_TYPE)


def _rss_item(item: ET.Element, article: Article) -> None:
    url = absolute_url("readers.article", slug=article.slug)
    child(item, "title", article.headline)
    child(item, "link", url)
    child(item, "guid", _story_id(article), isPermaLink="false")
    child(item, "pubDate", rfc822(article.published_at))
    child(item, "dc:creator", credited_to(article))
    if article.section:
        child(item, "category", article.section.name)
    child(item, "description", summary_text(article))
    child(item, "content:encoded", _content(article))
    child(item, "comments", f"{url}#comments")
    if article.outlet:
        source_url = article.outlet.feed_url or article.outlet.homepage_url
        child(item, "source", article.outlet.name, url=source_url)


def _atom_document(articles: list[Article], section: Section | None, updated: datetime):
    title, description, page = _titles(section)
    self_url = absolute_url(request.endpoint, **request.view_args)
    feed = root("feed", default="atom")
    child(feed, "title", title)
    child(feed, "subtitle", description)
    child(feed, "id", self_url)
    child(feed, "updated", rfc3339(updated))
    child(feed, "link", href=self_url, rel="self", type=ATOM_TYPE)
    child(feed, "link", href=page, rel="alternate", type="text/html")
    author = child(feed, "author")
    child(author, "name", current_app.config["SITE_NAME"])
    for article in articles:
        _atom_entry(child(feed, "entry"), article)
    return xml_response(feed, ATOM_TYPE)


def _atom_entry(entry: ET.Element, article: Article) -> None:
    child(entry, "title", article.headline)
    child(entry, "link", href=absolute_url("readers.article", slug=article.slug),
          rel="alternate", type="text/html")
    child(entry, "id", _story_id(article))
    child(entry, "published", rfc3339(article.published_at))
    child(entry, "updated", rfc3339(max(article.updated_at, article.published_at)))
    child(child(entry, "author"), "name", credited_to(article))
    if article.section:
        child(entry, "category", term=article.section.slug, label=article.section.name)
    summary = summary_text(article)
    if summary:
        child(entry, "summary", summary, type="text")
    child(entry, "content", _content(article), type="html")
    if article.outlet:
        child(entry, "link", href=original_link(article), rel="via", type="text/html")
        source = child(entry, "source")
        child(source, "id", article.outlet.feed_url or article.outlet.homepage_url)
        child(source, "title", article.outlet.name)
        child(source, "link", href=article.outlet.homepage_url, rel="alternate")


def _comments_document(article: Article, comments: list[tuple[Comment, int]]):
    url = absolute_url("readers.article", slug=article.slug)
    rss = root("rss", version="2.0")
    channel = child(rss, "channel")
    child(channel, "title", f"Comments on “{article.headline}”")
    child(channel, "link", f"{url}#comments")
    child(channel, "description", f"Readers' comments on {article.headline}.")
    child(channel, "atom:link", href=absolute_url("distribution.comments_rss", slug=article.slug),
          rel="self", type=RSS_TYPE)
    host = urlsplit(url).hostname
    for comment, page in comments:
        item = child(channel, "item")
        cpage = page if page > 1 else None
        link = absolute_url("readers.article", slug=article.slug, cpage=cpage,
                            _anchor=f"comment-{comment.id}")
        child(item, "title", f"Comment by {comment.author_name}")
        child(item, "link", link)
        # the link moves when earlier threads leave the page; the guid never does
        child(item, "guid", f"tag:{host},{comment.created_at:%Y-%m-%d}:comment-{comment.id}",
              isPermaLink="false")
        child(item, "pubDate", rfc822(comment.created_at))
        child(item, "dc:creator", comment.author_name)
        if comment.featured_at is not None:
            child(item, "category", FEATURED_CATEGORY, domain=FEATURED_DOMAIN)
        child(item, "description", comment.body)
    return xml_response(rss, RSS_TYPE)
