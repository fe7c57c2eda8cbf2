"""An item's original URL: the web address a republished story credits, or why it has none."""
from __future__ import annotations

import re
from urllib.parse import urljoin

from newsroom.syndication.fetching import is_http_url

MAX_URL = 1000
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
#: Characters no URL holds unescaped (RFC 3986): a "link" with them is prose, a placeholder.
_NOT_IN_URLS = re.compile(r"[\s<>\"{}|\\^`\x00-\x1f\x7f]")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def web_url(value, base_url: str | None, max_length: int = MAX_URL) -> str | None:
    """``value`` as an absolute http(s) URL, a relative reference resolved against ``base_url``.

    None for anything else: another scheme, words with spaces, a relative reference with no
    base, an unparseable host, or longer than ``max_length``.
    """
    url = (value or "").strip() if isinstance(value, str) else ""
    if not url or _NOT_IN_URLS.search(url):
        return None
    if base_url and not _SCHEME.match(url):
        try:
            url = urljoin(base_url, url)
        except ValueError:  # e.g. an unclosed IPv6 host, "http://[::1/"
            return None
    return url if is_http_url(url) and len(url) <= max_length else None


def original_url(entry, guid: str | None, base_url: str | None) -> tuple[str | None, str | None]:
    """The item's original URL and None, or None and why the item has none.

    The alternate link wins (an HTML one first) over everything else; enclosures (a podcast's
    audio) never count. Without a link, a permalink guid counts only if it is itself an
    absolute http(s) URL: "foo" is not joined to the outlet's address.
    """
    links = [
        link for link in entry.get("links", [])
        if link.get("rel", "alternate") == "alternate" and link.get("href")
    ]
    links.sort(key=lambda link: link.get("type") not in _HTML_TYPES)
    for link in links:
        url = web_url(link["href"], base_url)
        if url:
            return url, None
    if guid and entry.get("guidislink") and web_url(guid, None):
        return guid, None
    if links:
        return None, f"its link “{_short(links[0]['href'])}” is not a web address"
    return None, _no_link_reason(entry, guid)


def _no_link_reason(entry, guid: str | None) -> str:
    if not guid:
        return "the item has no link"
    scheme = _SCHEME.match(guid)
    if scheme and scheme.group(1).lower() in ("tag", "urn"):
        return f"the item has no link and its only id is a {scheme.group(1).lower()}: URI"
    if entry.get("guidislink"):
        return f"the item has no link and its permalink guid “{_short(guid)}” is not a URL"
    return "the item has no link"


def _short(value: str) -> str:
    return " ".join(value.split())[:80]
