"""A tiny HTTP server on 127.0.0.1 serving one feed, for the desk's "Fetch now" tests."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from flask import current_app

from tests.conftest import allow_private_fetches

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "editor_desk_feed.xml"


@contextmanager
def serving_feed(body: bytes | None = None, content_type: str = "application/rss+xml"):
    """Serve ``body`` (default: the desk's fixture feed) at ``/feed.xml``; yields its URL.

    The current app may then fetch from 127.0.0.1 (the private-network switch is turned on).
    """
    allow_private_fetches(current_app)
    payload = FIXTURE.read_bytes() if body is None else body

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server name
            if self.path != "/feed.xml":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):  # keep the test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/feed.xml"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
