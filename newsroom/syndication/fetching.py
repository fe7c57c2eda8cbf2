"""Fetching feeds over HTTP(S) through the outbound guard: public addresses only, timeout,
size cap, conditional GET, redirects checked hop by hop."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from newsroom import outbound

ALLOWED_SCHEMES = frozenset({"http", "https"})
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
)


class FetchError(Exception):
    """The feed could not be fetched; the message is one line for an editor."""


@dataclass(frozen=True)
class FetchSettings:
    """How politely and how far a fetch may go."""

    user_agent: str
    timeout: float = 10.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    #: Which addresses and ports may be reached (public ones on 80/443 unless configured).
    policy: outbound.AddressPolicy = field(default_factory=outbound.AddressPolicy)


@dataclass(frozen=True)
class Fetched:
    """A feed document as received (``content`` is empty when ``not_modified``)."""

    url: str
    content: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


def is_http_url(value: str) -> bool:
    """True for an absolute http:// or https:// URL with a host."""
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError:  # e.g. "http://[::1/" (an unclosed IPv6 host)
        return False
    return parts.scheme.lower() in ALLOWED_SCHEMES and bool(parts.hostname)


def fetch_url(
    url: str,
    settings: FetchSettings,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Fetched:
    """GET ``url`` through the outbound guard; given validators, a 304 is ``not_modified``.

    :raises FetchError: not public, unreachable, timed out, an HTTP error, a bad redirect,
        too large.
    """
    if not is_http_url(url):
        raise FetchError(f"not an http(s) URL: {url[:200]}")
    try:
        response = outbound.get(
            url,
            policy=settings.policy,
            headers=_request_headers(settings, etag, last_modified),
            limits=outbound.Limits(settings.timeout, settings.max_bytes, settings.max_redirects),
            subject="the feed",
        )
    except outbound.OutboundError as error:
        raise FetchError(str(error)) from None
    if response.status == 304:
        return Fetched(url=url, not_modified=True, etag=etag, last_modified=last_modified)
    headers = response.headers
    return Fetched(
        url=response.url,
        content=response.body,
        content_type=headers.get("Content-Type"),
        etag=headers.get("ETag"),
        last_modified=headers.get("Last-Modified"),
    )


def _request_headers(settings: FetchSettings, etag: str | None, last_modified: str | None):
    headers = {"User-Agent": settings.user_agent, "Accept": ACCEPT, "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def read_file(path: str, settings: FetchSettings) -> Fetched:
    """Read a feed from a local file, with the same size cap as a download."""
    file = Path(path)
    try:
        if file.stat().st_size > settings.max_bytes:
            raise FetchError(_too_large(settings))
        return Fetched(url=str(file), content=file.read_bytes())
    except FileNotFoundError:
        raise FetchError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise FetchError(f"not a file: {path}") from None
    except OSError as error:
        raise FetchError(f"could not read {path}: {error.strerror or error}") from None


def _too_large(settings: FetchSettings) -> str:
    return f"the feed is larger than {settings.max_bytes:,} bytes"
