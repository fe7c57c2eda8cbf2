"""A GET that connects only to vetted addresses, follows redirects hop by hop, and caps the answer.

Built on urllib3 (already what ``requests`` stands on, and well kept): each hop gets its own
connection pool whose connection class resolves the host, vets every address and connects to
the vetted address itself. urllib3 is imported on the first request, not with the app
(it costs ~0.1 s of every command's start-up, and most never fetch anything). Nothing resolves the name a second time, so a resolver that answers
"public" to a check and "private" to the connection (DNS rebinding) has no second chance. The
TLS handshake and the Host header still use the name, so certificates are checked as usual.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from newsroom.outbound import addresses
from newsroom.outbound.addresses import AddressPolicy, AddressRefused

log = logging.getLogger(__name__)

REDIRECTS = frozenset({301, 302, 303, 307, 308})
CHUNK_BYTES = 64 * 1024


class OutboundError(Exception):
    """A server-side request failed; the message is one line, safe to show to staff."""


class Unreachable(OutboundError):
    """Refused, not public, not resolvable, not answering HTTP: told apart by nobody outside."""

    def __init__(self, subject: str) -> None:
        super().__init__(f"{subject} could not be fetched")


class TimedOut(OutboundError):
    """No answer (or no complete answer) in time."""


class TooLarge(OutboundError):
    """The answer is larger than the cap."""


class BadRedirect(OutboundError):
    """A redirect to something other than an http(s) URL."""


class TooManyRedirects(OutboundError):
    """More redirects than allowed (or a loop)."""


class HTTPStatusError(OutboundError):
    """The server answered with an error status."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"the server answered HTTP {status} {reason}".rstrip())
        self.status = status


@dataclass(frozen=True)
class Response:
    """A complete answer: the final URL after redirects, status, headers and body."""

    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


def open_socket(address: tuple[str, int], timeout, socket_options, source_address):
    """Connect to an already vetted address (a seam for tests)."""
    from urllib3.util import connection as urllib3_connection

    return urllib3_connection.create_connection(
        address, timeout, source_address=source_address, socket_options=socket_options
    )


class _PinnedConnection:
    """Mixin: connect to the first vetted address of the host instead of resolving it again."""

    policy: AddressPolicy

    def _new_conn(self):
        from urllib3.exceptions import NewConnectionError

        last_error: OSError | None = None
        for address in addresses.vetted_addresses(self.host, self.port, self.policy):
            try:
                return open_socket((address, self.port), self.timeout, self.socket_options,
                                   self.source_address)
            except OSError as error:
                last_error = error
        raise NewConnectionError(self, f"could not connect: {last_error}")


def _pool(scheme: str, host: str, port: int, policy: AddressPolicy, timeout: float):
    import urllib3
    from urllib3.connection import HTTPConnection, HTTPSConnection

    base = HTTPSConnection if scheme == "https" else HTTPConnection
    pool_class = (
        urllib3.HTTPSConnectionPool if scheme == "https" else urllib3.HTTPConnectionPool
    )
    pool = pool_class(host, port, timeout=urllib3.Timeout(connect=timeout, read=timeout),
                      retries=False, maxsize=1)
    pool.ConnectionCls = type("PinnedConnection", (_PinnedConnection, base), {"policy": policy})
    return pool


@dataclass(frozen=True)
class Limits:
    """How long and how much: ``timeout`` per connect and read, ``deadline_factor`` × it overall."""

    timeout: float = 10.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    deadline_factor: float = 3


def get(url: str, *, policy: AddressPolicy, headers: dict[str, str], limits: Limits,
        subject: str = "the answer") -> Response:
    """GET ``url`` through the guard, following at most ``max_redirects`` http(s) redirects.

    A 304 comes back as a Response (status 304); any other status of 400 or more raises.
    ``subject`` names what is fetched in error messages ("the feed could not be fetched").

    :raises OutboundError: one of its subclasses, each with a one-line message.
    """
    return request("GET", url, policy=policy, headers=headers, limits=limits, subject=subject)


def request(method: str, url: str, *, policy: AddressPolicy, headers: dict[str, str],
            limits: Limits, subject: str = "the answer", read_body: bool = True) -> Response:
    """``get`` with another method (HEAD), or without reading the body (``read_body=False``:
    only the status and headers matter, as when checking that a page still exists)."""
    for _hop in range(limits.max_redirects + 1):
        response, location = _one_hop(
            url, policy, headers, limits, subject, (method, read_body and method != "HEAD")
        )
        if location is None:
            return response
        if not _is_http_url(location):
            raise BadRedirect(f"refused a redirect to a non-http(s) address: {location[:200]}")
        url = location
    raise TooManyRedirects(f"too many redirects (more than {limits.max_redirects})")


def _one_hop(url: str, policy: AddressPolicy, headers: dict[str, str], limits: Limits,
             subject: str, how: tuple[str, bool] = ("GET", True)):
    """One request: (the response, None) or (None, the absolute URL it redirects to)."""
    from urllib3.exceptions import HTTPError as Urllib3Error
    from urllib3.exceptions import ReadTimeoutError

    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), parts.hostname or ""
    port = parts.port or (443 if scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    pool = _pool(scheme, host, port, policy, limits.timeout)
    try:
        method, read_body = how
        answer = pool.urlopen(method, path, headers=headers, redirect=False, retries=False,
                              preload_content=False, assert_same_host=False)
        try:
            location = answer.headers.get("Location")
            if answer.status in REDIRECTS and location:
                return None, urljoin(url, location.strip())
            if answer.status >= 400:
                raise HTTPStatusError(answer.status, answer.reason or "")
            body = _read_capped(answer, limits, subject) if read_body else b""
            return Response(url, answer.status, dict(answer.headers.items()), body), None
        finally:
            answer.release_conn()
    except AddressRefused as refused:
        log.warning("outbound request to %s refused: %s", host, refused)
        raise Unreachable(subject) from None
    except ReadTimeoutError:  # a connect timeout is "unreachable", like a refused connection
        raise TimedOut(f"timed out after {limits.timeout:g} s") from None
    except (Urllib3Error, OSError, ValueError) as error:
        log.info("outbound request to %s failed: %s", host, " ".join(str(error).split())[:300])
        raise Unreachable(subject) from None
    finally:
        pool.close()


def _read_capped(answer, limits: Limits, subject: str) -> bytes:
    """Read the body in chunks, stopping at the size cap and the overall deadline."""
    max_bytes, seconds = limits.max_bytes, limits.timeout * limits.deadline_factor
    too_large = f"{subject} is larger than {max_bytes:,} bytes"
    declared = answer.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(too_large)
    deadline = time.monotonic() + seconds
    chunks: list[bytes] = []
    size = 0
    while chunk := answer.read1(CHUNK_BYTES, decode_content=False):
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge(too_large)
        if time.monotonic() > deadline:
            raise TimedOut(f"timed out after {seconds:g} s reading {subject}")
        chunks.append(chunk)
    return b"".join(chunks)


def _is_http_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
