"""A feed server on 127.0.0.1 for the tests that fetch feeds (syndication, the desk's "Fetch now").

Each path answers as the test says (:class:`Route`); every request is recorded.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from flask import current_app

from tests.conftest import allow_private_fetches
from tests.helpers import in_thread

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "editor_desk_feed.xml"


@dataclass
class Route:
    """What the server answers on one path."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    #: Seconds to wait before answering (cut short when the test ends).
    delay: float = 0
    #: Send the body in this many pieces, waiting ``drip`` seconds between them.
    drip: float = 0
    #: Leave out Content-Length (the body then ends when the connection closes).
    chunked: bool = False
    #: Answer 304 when the request carries this If-None-Match / If-Modified-Since value.
    etag: str | None = None
    last_modified: str | None = None
    #: What a HEAD request gets instead of ``status`` (e.g. 405 for a server refusing HEAD).
    head_status: int | None = None


class FeedHandler(BaseHTTPRequestHandler):
    """Answers each GET (and HEAD) as its FeedServer's route says, recording the request."""

    protocol_version = "HTTP/1.0"

    def do_HEAD(self):
        """The GET's status and headers without its body (``head_status`` if the route says)."""
        feed: FeedServer = self.server.feed
        feed.methods.append(("HEAD", self.path))
        feed.requests.append((self.path, dict(self.headers.items())))
        route = feed.routes.get(self.path, Route(status=404, body=b"missing"))
        self.send_response(route.head_status or route.status)
        for name, value in route.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()

    def do_GET(self):
        feed: FeedServer = self.server.feed
        feed.methods.append(("GET", self.path))
        feed.requests.append((self.path, dict(self.headers.items())))
        route = feed.routes.get(self.path, Route(status=404, body=b"missing"))
        if route.delay and feed.stopping.wait(route.delay):
            return
        if self._not_modified(route):
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(route.status)
        for name, value in route.headers.items():
            self.send_header(name, value)
        if not route.chunked:
            self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        self._send_body(route, feed.stopping)

    def _not_modified(self, route: Route) -> bool:
        etag = self.headers.get("If-None-Match")
        since = self.headers.get("If-Modified-Since")
        return bool(
            (route.etag and etag == route.etag)
            or (route.last_modified and since == route.last_modified)
        )

    def _send_body(self, route: Route, stopping: threading.Event) -> None:
        if not route.drip:
            self.wfile.write(route.body)
            return
        for byte in route.body:
            if stopping.wait(route.drip):
                return
            self.wfile.write(bytes([byte]))
            self.wfile.flush()

    def log_message(self, *args):
        pass


class FeedServer:
    """An HTTP server in a thread whose answers tests set path by path."""

    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        #: (method, path) of every request, in order.
        self.methods: list[tuple[str, str]] = []
        self.stopping = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
        self.httpd.feed = self
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.httpd.handle_error = lambda request, address: None  # a client that gave up

    def __enter__(self) -> FeedServer:
        self._serving = in_thread(self.httpd, poll_interval=0.05)
        self._serving.__enter__()
        return self

    def __exit__(self, *exc_info):
        self.stopping.set()  # slow answers give up first, so shutting down does not wait
        return self._serving.__exit__(*exc_info)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}{path}"

    def route(self, path: str, **answer) -> str:
        self.routes[path] = Route(**answer)
        return self.url(path)


@contextmanager
def serving_feed(body: bytes | None = None, content_type: str = "application/rss+xml"):
    """Serve ``body`` (default: the desk's fixture feed) at ``/feed.xml``; yields its URL.

    The current app may then fetch from 127.0.0.1 (the private-network switch is turned on).
    """
    allow_private_fetches(current_app)
    payload = FIXTURE.read_bytes() if body is None else body
    with FeedServer() as server:
        yield server.route("/feed.xml", body=payload, headers={"Content-Type": content_type})
