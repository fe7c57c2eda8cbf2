"""Reading RSS 0.9x/1.0/2.0 and Atom with feedparser into plain, already-safe dataclasses."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin

import feedparser

from newsroom.sanitizing import clean_article
from newsroom.syndication.fetching import is_http_url
from newsroom.syndication.text import plain_text, text_to_html, truncate_words

MAX_HEADLINE = 300
MAX_STANDFIRST = 300
MAX_AUTHOR = 200
MAX_URL = 1000
MAX_IMAGE_URL = 500
MAX_GUID = 1000
UNTITLED = "Untitled story"

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


@dataclass(frozen=True)
class Feed:
    """A parsed feed: its format (e.g. ``rss20``, ``atom10``), title and items."""

    version: str
    title: str
    items: list[FeedItem] = field(default_factory=list)


def parse_feed(
    content: bytes, *, base_url: str | None = None, content_type: str | None = None
) -> Feed:
    """Parse a feed document; relative item links resolve against ``base_url``.

    :raises NotAFeed: an empty document, an HTML page, or XML with nothing recoverable.
    """
    if not content.strip():
        raise NotAFeed("not a feed: the document is empty")
    headers = {"content-type": content_type} if content_type else {}
    # Always bytes: given a str, feedparser would treat it as a URL or file name.
    parsed = feedparser.parse(bytes(content), response_headers=headers)
    entries = parsed.get("entries", [])
    if not entries and not parsed.get("version"):
        raise NotAFeed("not a feed: no RSS or Atom document found")
    if not entries and parsed.get("bozo"):
        raise NotAFeed(f"not a feed: it could not be read ({_problem(parsed)})")
    items = [_item(entry, base_url) for entry in entries]
    return Feed(
        version=parsed.get("version") or "unknown",
        title=plain_text(parsed.get("feed", {}).get("title", "")),
        items=items,
    )


def _problem(parsed) -> str:
    """feedparser's complaint about a document, on one short line."""
    error = parsed.get("bozo_exception")
    if error is None:
        return "malformed"
    return " ".join(f"{type(error).__name__}: {error}".split())[:200]


def _item(entry, base_url: str | None) -> FeedItem:
    link = _absolute_http(entry.get("link"), base_url, MAX_URL)
    body_detail, from_content = _fullest_body(entry)
    bases = ((body_detail or {}).get("base"), link, base_url)
    body_base = next((base for base in bases if base and is_http_url(base)), None)
    body = clean_article(_as_html(body_detail), base_url=body_base) if body_detail else ""
    if body and "<" not in body:
        body = f"<p>{body}</p>"
    summary = plain_text(_as_html(entry.get("summary_detail")))
    standfirst = ""
    if from_content and summary != plain_text(body):
        standfirst = truncate_words(summary, MAX_STANDFIRST)
    title = plain_text(entry.get("title", "")) or truncate_words(plain_text(body), 100)
    return FeedItem(
        title=truncate_words(title or UNTITLED, MAX_HEADLINE),
        link=link,
        guid=_guid(entry.get("id")),
        body=body,
        standfirst=standfirst,
        author=truncate_words(_author(entry), MAX_AUTHOR),
        published=_utc(_own(entry, "published_parsed")) or _utc(_own(entry, "updated_parsed")),
        updated=_utc(_own(entry, "updated_parsed")),
        image_url=_image(entry, link or base_url),
    )


def _fullest_body(entry) -> tuple[dict | None, bool]:
    """The content (``content:encoded``, Atom content) or summary offering the most text."""
    best, best_length, from_content = None, -1, False
    for detail in entry.get("content", []):
        length = len(plain_text(_as_html(detail)))
        if detail.get("value", "").strip() and length > best_length:
            best, best_length, from_content = detail, length, True
    summary = entry.get("summary_detail")
    if summary and summary.get("value", "").strip():
        if len(plain_text(_as_html(summary))) > best_length:
            best, from_content = summary, False
    return best, from_content


def _as_html(detail) -> str:
    """A feedparser text construct as HTML (plain text is escaped into paragraphs)."""
    if not detail:
        return ""
    value = detail.get("value", "") or ""
    if detail.get("type") == "text/plain":
        return text_to_html(value)
    return value


def _own(entry, key: str):
    """``entry[key]`` without feedparser's fallback from "updated" to "published"."""
    return dict.get(entry, key)


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


def _utc(parsed_time) -> datetime | None:
    """feedparser's UTC ``struct_time`` as an aware datetime (None when absent or absurd)."""
    if not parsed_time:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed_time), tz=timezone.utc)
    except (OverflowError, ValueError, OSError, TypeError):
        return None


def _absolute_http(value, base_url: str | None, max_length: int) -> str | None:
    """``value`` made absolute against ``base_url``; None unless it is http(s) and short enough."""
    url = (value or "").strip()
    if not url:
        return None
    if base_url:
        try:
            url = urljoin(base_url, url)
        except ValueError:  # e.g. an unclosed IPv6 host, "http://[::1/"
            return None
    return url if is_http_url(url) and len(url) <= max_length else None


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
        url = _absolute_http(candidate, base_url, MAX_IMAGE_URL)
        if url:
            return url
    return None
