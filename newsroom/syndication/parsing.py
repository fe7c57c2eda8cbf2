"""Reading RSS 0.9x/1.0/2.0 and Atom with feedparser into plain, already-safe dataclasses.

``read_feed`` reads a document into ``SourceItem``s: each item's identity, original URL (or
why it has none) and a fingerprint of its raw fields, cheap enough to compare on every
fetch. ``SourceItem.clean()`` then does the costly part (sanitising, text extraction) for
the items that are new or changed; ``parse_feed`` does both for every item.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property


from newsroom.sanitizing import clean_article
from newsroom.syndication import dates
from newsroom.syndication.documents import not_a_feed_reason, xml_problem
from newsroom.syndication.links import original_url, web_url
from newsroom.syndication.text import literal_text, plain_text, text_to_html, truncate_words

MAX_HEADLINE = 300
MAX_STANDFIRST = 300
MAX_AUTHOR = 200
MAX_IMAGE_URL = 500
MAX_GUID = 1000
UNTITLED = "Untitled story"
#: Part of every fingerprint: raise it when cleaning changes, so stored stories are redone.
FINGERPRINT_VERSION = 1

_EMAIL_AND_NAME = re.compile(r"^[^\s()<>]+@[^\s()<>]+\s*\((.+)\)$")
_BARE_EMAIL = re.compile(r"^(mailto:)?[^\s()<>]+@[^\s()<>]+$")



class NotAFeed(Exception):
    """The document is not an RSS or Atom feed; the message is one line."""


@dataclass(frozen=True)
class FeedItem:
    """One story as the feed offers it: plain-text fields and sanitised HTML."""

    title: str
    link: str | None
    guid: str | None
    #: Sanitised with the article allowlist, links and images absolute.
    body: str
    standfirst: str
    author: str
    published: datetime | None
    updated: datetime | None
    image_url: str | None
    #: Why the item cannot become a story (it has no web address to credit); None if it can.
    problem: str | None = None
    #: What was dropped on the way (an implausible date), for whoever ran the ingest.
    warnings: tuple[str, ...] = ()
    fingerprint: str = ""


@dataclass(frozen=True)
class SourceItem:
    """An item as read, before cleaning: identity, original URL and raw-field fingerprint."""

    entry: dict
    base_url: str | None
    guid: str | None
    link: str | None
    problem: str | None

    @cached_property
    def fingerprint(self) -> str:
        """A hash of everything the feed says about the item (and where it resolves from)."""
        raw = json.dumps(
            [FINGERPRINT_VERSION, self.base_url, self.entry],
            sort_keys=True, ensure_ascii=False, default=str,
        )
        return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()

    @cached_property
    def title(self) -> str:
        """The headline as plain text (empty when the item has none)."""
        detail = self.entry.get("title_detail") or {}
        value = self.entry.get("title", "")
        text = literal_text(value) if detail.get("type") == "text/plain" else plain_text(value)
        return truncate_words(text, MAX_HEADLINE)

    def clean(self, now: datetime | None = None) -> FeedItem:
        """The item's fields made safe: sanitised body, plain texts, checked dates."""
        return _clean(self, now or datetime.now(timezone.utc))


@dataclass(frozen=True)
class Feed:
    """A parsed feed: its format (e.g. ``rss20``, ``atom10``), title and items."""

    version: str
    title: str
    items: list[FeedItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SourceFeed:
    """A feed read but not cleaned: its items as ``SourceItem``s."""

    version: str
    title: str
    sources: list[SourceItem] = field(default_factory=list)
    #: About the document as a whole (e.g. recovered from malformed XML).
    warnings: list[str] = field(default_factory=list)


def parse_feed(
    content: bytes,
    *,
    base_url: str | None = None,
    fallback_url: str | None = None,
    content_type: str | None = None,
) -> Feed:
    """Read a feed and clean every item (see ``read_feed``)."""
    read = read_feed(
        content, base_url=base_url, fallback_url=fallback_url, content_type=content_type
    )
    now = datetime.now(timezone.utc)
    items = [source.clean(now) for source in read.sources]
    return Feed(version=read.version, title=read.title, items=items, warnings=read.warnings)


def read_feed(
    content: bytes,
    *,
    base_url: str | None = None,
    fallback_url: str | None = None,
    content_type: str | None = None,
) -> SourceFeed:
    """Read a feed document without cleaning its items.

    Relative links resolve against ``base_url`` (where the document was fetched from), else
    the address the feed declares for itself (Atom ``rel="self"``, the channel link), else
    ``fallback_url`` (the outlet's homepage).

    :raises NotAFeed: an empty document, an HTML page or other XML, or nothing recoverable.
    """
    if not content.strip():
        raise NotAFeed("not a feed: the document is empty")
    refusal = not_a_feed_reason(content)
    if refusal:
        raise NotAFeed(f"not a feed: {refusal}")
    headers = {"content-type": content_type} if content_type else {}
    # Always bytes: given a str, feedparser would treat it as a URL or file name. Its own
    # sanitiser and link rewriting are off: every field we keep goes through our cleaner,
    # which also makes links absolute (against the element's xml:base, which feedparser
    # still reports), and its sanitiser let a mangled <script>'s source through as text.
    import feedparser  # imported on first use: ~0.05 s off every command's start-up

    dates.register()  # feedparser learns the localized date forms (once)
    parsed = feedparser.parse(
        bytes(content), response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )
    entries = parsed.get("entries", [])
    problem = xml_problem(parsed.get("bozo_exception"), content)
    if not entries and not parsed.get("version"):
        raise NotAFeed("not a feed: no RSS or Atom document found")
    if not entries and parsed.get("bozo"):
        raise NotAFeed(f"not a feed: {problem or f'it could not be read ({_problem(parsed)})'}")
    feed = parsed.get("feed", {})
    base = base_url or _declared_address(feed) or fallback_url
    return SourceFeed(
        version=parsed.get("version") or "unknown",
        title=plain_text(feed.get("title", "")),
        sources=[_source(entry, base) for entry in entries],
        warnings=[f"{problem}; ingested what could be read"] if problem else [],
    )


def _problem(parsed) -> str:
    """feedparser's complaint about a document, on one short line."""
    error = parsed.get("bozo_exception")
    if error is None:
        return "malformed"
    return " ".join(f"{type(error).__name__}: {error}".split())[:200]


def _declared_address(feed) -> str | None:
    """The address a feed gives for itself (Atom ``rel="self"``), else its site's (channel link)."""
    selves = [link.get("href") for link in feed.get("links", []) if link.get("rel") == "self"]
    for candidate in (*selves, feed.get("link")):
        url = web_url(candidate, None)
        if url:
            return url
    return None


def _source(entry, base_url: str | None) -> SourceItem:
    guid = _guid(entry.get("id"))
    link, problem = original_url(entry, guid, base_url)
    return SourceItem(entry=entry, base_url=base_url, guid=guid, link=link, problem=problem)


def _clean(source: SourceItem, now: datetime) -> FeedItem:
    entry, link = source.entry, source.link
    body_detail, from_content = _fullest_body(entry)
    bases = ((body_detail or {}).get("base"), link, source.base_url)
    body_base = next((base for base in bases if web_url(base, None)), None)
    body = clean_article(_as_html(body_detail), base_url=body_base) if body_detail else ""
    if body and "<" not in body:
        body = f"<p>{body}</p>"
    body_text = plain_text(body) if body and (from_content or not source.title) else ""
    standfirst = ""
    if from_content:
        summary = plain_text(_as_html(entry.get("summary_detail")))
        if summary != body_text:
            standfirst = truncate_words(summary, MAX_STANDFIRST)
    title = source.title or truncate_words(body_text, 100) or UNTITLED
    warnings: list[str] = []
    published = _date(entry, "published", title, now, warnings)
    updated = _date(entry, "updated", title, now, warnings)
    return FeedItem(
        title=truncate_words(title, MAX_HEADLINE),
        link=link,
        guid=source.guid,
        body=body,
        standfirst=standfirst,
        author=truncate_words(_author(entry), MAX_AUTHOR),
        published=published or updated,
        updated=updated,
        image_url=_image(entry, link or source.base_url),
        problem=source.problem,
        warnings=tuple(warnings),
        fingerprint=source.fingerprint,
    )


def _fullest_body(entry) -> tuple[dict | None, bool]:
    """The full content (``content:encoded``, Atom content) if any, else the summary.

    A full-content element wins even over a longer description: the description is then
    the standfirst. Among several content elements the one with the most text wins.
    """
    contents = [detail for detail in entry.get("content", []) if detail.get("value", "").strip()]
    if len(contents) > 1:
        return max(contents, key=lambda detail: len(plain_text(_as_html(detail)))), True
    if contents:
        return contents[0], True
    summary = entry.get("summary_detail")
    if summary and summary.get("value", "").strip():
        return summary, False
    return None, False


def _as_html(detail) -> str:
    """A feedparser text construct as HTML (plain text is escaped into paragraphs)."""
    if not detail:
        return ""
    value = detail.get("value", "") or ""
    if detail.get("type") == "text/plain":
        return text_to_html(value)
    return value


def _date(entry, key: str, title: str, now: datetime, warnings: list[str]):
    """The item's ``published`` or ``updated`` date, None when missing or implausible."""
    # dict.get: feedparser's own get() falls back from "updated" to "published".
    value = dates.to_utc(dict.get(entry, f"{key}_parsed"))
    why = dates.implausible(value, now) if value else None
    if why:
        raw = " ".join(str(dict.get(entry, key) or value.isoformat()).split())[:60]
        warnings.append(f"“{title[:80]}”: ignored its {key} date “{raw}” ({why})")
        return None
    return value


def _author(entry) -> str:
    """The author's name; RSS's "email (Name)" gives the name, a bare email gives nothing."""
    raw = plain_text(entry.get("author") or "")
    named = _EMAIL_AND_NAME.match(raw)
    if named:
        return named.group(1).strip()
    name = plain_text((entry.get("author_detail") or {}).get("name") or "") or raw
    return "" if _BARE_EMAIL.match(name) else name


def _guid(value) -> str | None:
    guid = (value or "").strip()
    return guid if guid and len(guid) <= MAX_GUID else None


def _image(entry, base_url: str | None) -> str | None:
    """The item's picture: media:content image, an image enclosure, or media:thumbnail."""
    candidates = [
        media.get("url")
        for media in entry.get("media_content", [])
        if media.get("medium") == "image" or str(media.get("type", "")).startswith("image/")
    ]
    candidates += [
        enclosure.get("href")
        for enclosure in entry.get("enclosures", [])
        if str(enclosure.get("type", "")).startswith("image/")
    ]
    candidates += [thumbnail.get("url") for thumbnail in entry.get("media_thumbnail", [])]
    for candidate in candidates:
        url = web_url(candidate, base_url, MAX_IMAGE_URL)
        if url:
            return url
    return None
