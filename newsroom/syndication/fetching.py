"""Fetching feeds over HTTP(S): timeout, size cap, conditional GET, safe redirects."""
from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from http.client import HTTPException
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ALLOWED_SCHEMES = frozenset({"http", "https"})
CHUNK_BYTES = 64 * 1024
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


class _SafeRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a limited number of redirects, and only to http(s) URLs."""

    def __init__(self, max_redirects: int):
        super().__init__()
        self.max_redirections = max_redirects
        self.max_repeats = max_redirects

    def http_error_302(self, req, fp, code, msg, headers):
        location = headers.get("Location") or headers.get("URI")
        if location and not is_http_url(urljoin(req.full_url, location.strip())):
            fp.close()
            raise FetchError(f"refused a redirect to a non-http(s) address: {location[:200]}")
        visited = getattr(req, "redirect_dict", {})
        if sum(visited.values()) >= self.max_redirections:
            fp.close()
            raise FetchError(f"too many redirects (more than {self.max_redirections})")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener(settings: FetchSettings) -> urllib.request.OpenerDirector:
    """An opener that speaks only HTTP(S): no file:, ftp: or data: handlers at all."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
        _SafeRedirects(settings.max_redirects),
    ):
        opener.add_handler(handler)
    return opener


def fetch_url(
    url: str,
    settings: FetchSettings,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Fetched:
    """GET ``url``; with validators, a 304 answer comes back as ``not_modified``.

    :raises FetchError: unreachable, timed out, an HTTP error, a bad redirect, too large.
    """
    if not is_http_url(url):
        raise FetchError(f"not an http(s) URL: {url[:200]}")
    request = urllib.request.Request(url, headers=_request_headers(settings, etag, last_modified))
    try:
        with _opener(settings).open(request, timeout=settings.timeout) as response:
            return _read_response(response, settings)
    except urllib.error.HTTPError as error:
        error.close()
        if error.code == 304:
            return Fetched(url=url, not_modified=True, etag=etag, last_modified=last_modified)
        raise FetchError(f"the server answered HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise FetchError(f"timed out after {settings.timeout:g} s") from None
        raise FetchError(f"could not reach {urlsplit(url).netloc}: {error.reason}") from None
    except TimeoutError:
        raise FetchError(f"timed out after {settings.timeout:g} s") from None
    except (OSError, HTTPException, ValueError) as error:
        raise FetchError(f"could not fetch the feed: {_one_line(error)}") from None


def _request_headers(settings: FetchSettings, etag: str | None, last_modified: str | None):
    headers = {"User-Agent": settings.user_agent, "Accept": ACCEPT, "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _read_response(response, settings: FetchSettings) -> Fetched:
    """Read the body in chunks, stopping at the size cap and the overall deadline."""
    headers: Message = response.headers
    declared = headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > settings.max_bytes:
        raise FetchError(_too_large(settings))
    deadline = time.monotonic() + 3 * settings.timeout
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read1(CHUNK_BYTES):
        size += len(chunk)
        if size > settings.max_bytes:
            raise FetchError(_too_large(settings))
        if time.monotonic() > deadline:
            raise FetchError(f"timed out after {3 * settings.timeout:g} s reading the feed")
        chunks.append(chunk)
    return Fetched(
        url=response.geturl(),
        content=b"".join(chunks),
        content_type=headers.get("Content-Type"),
        etag=headers.get("ETag"),
        last_modified=headers.get("Last-Modified"),
    )


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


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:300]
