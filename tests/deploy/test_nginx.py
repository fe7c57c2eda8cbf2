"""deploy/nginx.conf, rendered and run by Debian's nginx in front of a live Newsroom server."""
from __future__ import annotations

import gzip
import http.client
import json
import os
import time
from collections import Counter
from urllib.parse import urlencode, urlsplit

import pytest
from flask import make_response, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.serving import make_server

from benchmarks import nginx
from newsroom.extensions import db
from tests.helpers import in_thread

pytestmark = pytest.mark.skipif(
    not os.access(nginx.NGINX, os.X_OK),
    reason=f"nginx not found at {nginx.NGINX} (apt-get install nginx)",
)

HOST = "news.example"


def add_probe_routes(app) -> None:
    """Answers of each kind a cache must tell apart, on the test app only."""

    @app.get("/probe/public")
    def public():
        response = make_response(f"public {request.query_string.decode()}")
        response.headers["Cache-Control"] = "public, s-maxage=30"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    served_once = set()

    @app.get("/probe/failing-after-once")
    def failing_after_once():
        """A good answer already expired when stored (X-Accel-Expires in 1970), then errors."""
        if served_once:
            return "the app is failing", 500
        served_once.add(True)
        return "the good answer", 200, {"X-Accel-Expires": "@1"}

    @app.get("/probe/<kind>")
    def personal(kind: str):
        response = make_response(f"for one reader: {kind}")
        response.headers["Cache-Control"] = {
            "private": "private, s-maxage=30",
            "no-store": "no-store",
        }.get(kind, "public, s-maxage=30")
        if kind == "sets-cookie":
            response.set_cookie("chosen", "yes")
        return response

    @app.get("/probe/headers")
    def seen_headers():
        return {
            "remote_addr": request.remote_addr,
            "scheme": request.scheme,
            "host": request.host,
            "forwarded_for": request.headers.get("X-Forwarded-For"),
            "forwarded_proto": request.headers.get("X-Forwarded-Proto"),
            "forwarded_host": request.headers.get("X-Forwarded-Host"),
        }


class CountingApp:
    """WSGI middleware counting the paths that reach the app."""

    def __init__(self, app):
        self.app = app
        self.paths: Counter[str] = Counter()

    def __call__(self, environ, start_response):
        self.paths[environ["PATH_INFO"]] += 1
        return self.app(environ, start_response)


@pytest.fixture
def stack(make_app, tmp_path):
    """The app (with ProxyFix, as NEWSROOM_PROXY_FIX=1 sets) served in a thread, nginx in front."""
    app = make_app(WTF_CSRF_ENABLED=True)
    add_probe_routes(app)
    counted = CountingApp(ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1))
    app.wsgi_app = counted
    with in_thread(make_server("127.0.0.1", 0, app, threaded=True)) as server:
        values = nginx.local_values(tmp_path, f"127.0.0.1:{server.server_port}")
        with nginx.running(tmp_path, values) as url:
            yield Stack(app, counted.paths, url, tmp_path / "media")


class Stack:
    def __init__(self, app, hits, url, media):
        self.app, self.hits, self.media = app, hits, media
        self.address = urlsplit(url).netloc

    def request(self, method, path, headers=None, body=None, host=HOST):
        connection = http.client.HTTPConnection(self.address, timeout=10)
        try:
            connection.request(method, path, body=body, headers={"Host": host, **(headers or {})})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def get(self, path, **headers):
        return self.request("GET", path, headers)


def cache_status(stack, path, **headers) -> str:
    return stack.get(path, **headers)[1]["X-Cache-Status"]


def test_static_files_and_media_are_served_by_nginx_not_the_app(stack):
    status, headers, body = stack.get("/static/css/site.css")
    assert status == 200
    assert body == (nginx.ROOT / "static" / "css" / "site.css").read_bytes()
    assert headers["Content-Type"].startswith("text/css")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert int(headers["Cache-Control"].removeprefix("max-age=")) >= 7 * 24 * 3600
    digest = "ab" * 32  # the app's layout: <sha256>/<width>.<ext>
    (stack.media / digest).mkdir(parents=True)
    (stack.media / digest / "480.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (stack.media / digest / "480.webp").write_bytes(b"RIFF" + bytes(64))
    status, headers, body = stack.get(f"/media/{digest}/480.png")
    assert (status, headers["Content-Type"]) == (200, "image/png")
    assert body.startswith(b"\x89PNG") and headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert stack.get(f"/media/{digest}/480.webp")[1]["Content-Type"] == "image/webp"
    assert stack.get(f"/media/{digest}/missing.png")[0] == 404
    assert not [path for path in stack.hits if path.startswith(("/static", "/media"))]


def test_only_the_image_upload_admits_a_body_over_one_mebibyte(stack):
    body = b"x" * (3 * 1024 * 1024)
    headers = {"Content-Type": "application/octet-stream"}
    assert stack.request("POST", "/editor/articles/new", headers, body)[0] == 413
    assert stack.request("POST", "/editor/media/upload", headers, body)[0] != 413


def test_an_anonymous_answer_is_served_from_the_microcache(stack):
    assert cache_status(stack, "/probe/public?n=1") == "MISS"
    status, headers, body = stack.get("/probe/public?n=1")
    assert (status, headers["X-Cache-Status"], body) == (200, "HIT", b"public n=1")
    assert stack.hits["/probe/public"] == 1
    # The app's own headers pass through once, not doubled by nginx.
    assert headers.get_all("X-Frame-Options") == ["DENY"]


def test_an_expired_copy_is_served_while_the_app_is_asked_again_and_kept_while_it_fails(stack):
    assert cache_status(stack, "/probe/failing-after-once") == "MISS"
    answers = [stack.get("/probe/failing-after-once") for _ in range(3)]
    # Each refresh gets the app's 500, which replaces nothing (proxy_cache_use_stale
    # http_500), so every reader keeps the good answer.
    assert answers[0][1]["X-Cache-Status"] == "STALE"
    for status, headers, body in answers:
        assert (status, body) == (200, b"the good answer")
        assert headers["X-Cache-Status"] in {"STALE", "UPDATING"}


def test_a_reader_with_a_session_cookie_bypasses_the_cache_and_is_not_stored(stack):
    assert cache_status(stack, "/probe/public?n=2", Cookie="session=abc.def") == "BYPASS"
    assert cache_status(stack, "/probe/public?n=2", Cookie="session=abc.def") == "BYPASS"
    assert cache_status(stack, "/probe/public?n=2") == "MISS"  # the reader's answer was not kept
    assert cache_status(stack, "/probe/public?n=2", Cookie="theme=dark") == "HIT"
    assert cache_status(stack, "/probe/public?n=2", Cookie="session=abc.def") == "BYPASS"
    assert stack.hits["/probe/public"] == 4


@pytest.mark.parametrize("kind", ["sets-cookie", "private", "no-store"])
def test_an_answer_for_one_reader_is_never_stored(stack, kind):
    assert [cache_status(stack, f"/probe/{kind}") for _ in range(3)] == ["MISS"] * 3
    assert stack.hits[f"/probe/{kind}"] == 3


def test_newsroom_s_anonymous_pages_are_shared_by_every_reader(stack, make):
    with stack.app.app_context():
        section = make.section("Harbour", slug="harbour")
        article = make.article(headline="Ferry timetable changes", section=section)
        db.session.commit()
        path = f"/articles/{article.slug}"
    for page in (path, "/", "/sections/harbour"):
        first, second = stack.get(page), stack.get(page)  # two readers, no cookies
        assert [answer[1]["X-Cache-Status"] for answer in (first, second)] == ["MISS", "HIT"]
        assert first[0] == second[0] == 200 and first[2] == second[2]
        assert "Set-Cookie" not in first[1]
        assert first[1]["Cache-Control"].startswith("public, max-age=0, s-maxage=1")
        assert stack.hits[page] == 1
    assert b"Ferry timetable changes" in stack.get(path)[2]


def test_a_personal_page_is_never_stored_nor_served_from_the_cache(stack, make):
    with stack.app.app_context():
        article = make.article(headline="Ferry timetable changes")
        db.session.commit()
        path = f"/articles/{article.slug}"
    assert cache_status(stack, path) == "MISS"  # the shared copy is in the cache now
    status, headers, body = stack.get(f"/session/form?article={article.id}")
    assert status == 200 and headers["X-Cache-Status"] == "MISS"
    assert "no-store" in headers["Cache-Control"]
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    tokens = json.loads(body)
    form = urlencode({"name": "Mira Quell", "email": "mira.nginx@example.net",
                      "body": "Does the 7:10 still run?", **tokens})
    status, headers, _ = stack.request("POST", f"{path}/comments", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    assert status == 303
    cookie = next(value.split(";", 1)[0] for value in headers.get_all("Set-Cookie")
                  if value.startswith("session="))
    for _ in range(2):  # the notice, then their own pending comment: theirs alone
        status, headers, body = stack.get(path, Cookie=cookie)
        assert (status, headers["X-Cache-Status"]) == (200, "BYPASS")
        assert b"Does the 7:10 still run?" in body and "no-store" in headers["Cache-Control"]
    status, headers, body = stack.get(path)  # anybody else: the shared copy, never theirs
    assert headers["X-Cache-Status"] in {"HIT", "MISS", "EXPIRED", "STALE", "UPDATING"}
    assert b"Does the 7:10 still run?" not in body
    answers = [stack.get("/login") for _ in range(2)]
    assert [headers["X-Cache-Status"] for _, headers, _ in answers] == ["MISS", "MISS"]


def test_a_change_is_seen_through_the_cache_within_a_second(stack, make):
    with stack.app.app_context():
        article = make.article(headline="Ferry timetable changes")
        db.session.commit()
        path = f"/articles/{article.slug}"
    assert cache_status(stack, path) == "MISS"
    stored = time.monotonic()
    with stack.app.app_context():
        db.session.get(type(article), article.id).headline = "Ferry timetable restored"
        db.session.commit()
    seen, statuses = None, []
    while seen is None and time.monotonic() < stored + 5:
        _, headers, body = stack.get(path)
        statuses.append(headers["X-Cache-Status"])
        if b"Ferry timetable restored" in body:
            seen = time.monotonic() - stored
        else:
            time.sleep(0.05)
    assert "HIT" in statuses  # the old copy was served from the cache meanwhile...
    # ...for the second it is kept (s-maxage=1). nginx counts whole seconds, so "1 s" ends at
    # the end of the next whole second: 1 to 2 s, then the one background refresh.
    assert seen is not None and seen < 2.5


def test_the_health_check_always_reaches_the_app(stack):
    answers = [stack.get("/healthz") for _ in range(2)]
    assert [headers["X-Cache-Status"] for _, headers, _ in answers] == [None, None]
    assert stack.hits["/healthz"] == 2


def test_the_app_sees_the_reader_through_x_forwarded_headers(stack):
    status, _, body = stack.get("/probe/headers", **{"X-Forwarded-For": "203.0.113.9"})
    seen = json.loads(body)
    assert status == 200
    # nginx replaced the client's own X-Forwarded-For: the app trusts what nginx saw.
    assert seen == {
        "remote_addr": "127.0.0.1", "scheme": "http", "host": HOST,
        "forwarded_for": "127.0.0.1", "forwarded_proto": "http", "forwarded_host": HOST,
    }


def test_another_host_name_never_reaches_the_app(stack):
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
        stack.request("GET", "/probe/headers", host="attacker.example")
    assert stack.hits["/probe/headers"] == 0


def test_a_body_over_one_mebibyte_is_refused_by_nginx(stack, make):
    status, _, _ = stack.request(
        "POST", "/articles/any/comments", body=b"x" * (1024 * 1024 + 1),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 413
    assert stack.hits["/articles/any/comments"] == 0
    status, _, _ = stack.request("POST", "/articles/any/comments", body=b"body=short",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status != 413 and stack.hits["/articles/any/comments"] == 1


def test_text_is_compressed_for_clients_that_ask(stack):
    status, headers, body = stack.get("/static/css/site.css", **{"Accept-Encoding": "gzip"})
    assert (status, headers["Content-Encoding"]) == (200, "gzip")
    assert gzip.decompress(body) == (nginx.ROOT / "static" / "css" / "site.css").read_bytes()
