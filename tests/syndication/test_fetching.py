"""Fetching feeds from a local server: 200, 304, timeouts, size cap, redirects, HTTP errors."""
from __future__ import annotations

import socket

import pytest
from sqlalchemy import func, select

from newsroom.extensions import db
from newsroom.models import IngestRun
from newsroom.syndication.fetching import FetchError, FetchSettings, fetch_url
from newsroom.syndication.ingest import fetch_settings, ingest_outlet, ingest_source
from tests.conftest import allow_private_fetches
from tests.syndication.conftest import article_count, fixture_bytes

FEED = fixture_bytes("valley_ledger_rss2.xml")
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}
LAST_MODIFIED = "Wed, 04 Nov 2026 12:00:00 GMT"


def served(feed_server, valley, **answer):
    """Serve ``answer`` at /feed.xml and make it the outlet's feed URL."""
    answer.setdefault("body", FEED)
    answer.setdefault("headers", RSS)
    valley.feed_url = feed_server.route("/feed.xml", **answer)
    db.session.commit()
    return valley.feed_url


def assert_failed_cleanly(run: IngestRun, message: str) -> None:
    db.session.commit()
    assert run.error is not None and message in run.error, run.error
    assert "\n" not in run.error
    assert (run.created, run.updated, run.skipped) == (0, 0, 0)
    assert article_count() == 0
    assert db.session.scalar(select(func.count()).select_from(IngestRun)) == 1


def test_a_feed_is_fetched_with_a_clear_user_agent(app, valley, feed_server):
    headers = {**RSS, "ETag": '"v1"', "Last-Modified": LAST_MODIFIED}
    served(feed_server, valley, headers=headers)
    run = ingest_outlet(valley)
    db.session.commit()
    assert (run.created, run.skipped, run.error, run.not_modified) == (3, 1, None, False)
    [(path, sent)] = feed_server.requests
    assert sent["User-Agent"] == "Newsroom/0.1 (+https://news.example)"
    assert "application/rss+xml" in sent["Accept"]
    assert "If-None-Match" not in sent and "If-Modified-Since" not in sent
    assert (valley.feed_etag, valley.feed_last_modified) == ('"v1"', LAST_MODIFIED)


def test_the_user_agent_without_a_site_url(make_app):
    with make_app(SITE_URL=None).app_context():
        assert fetch_settings().user_agent == "Newsroom/0.1"


def test_an_unchanged_feed_answers_304_by_etag(app, valley, feed_server):
    served(feed_server, valley, etag='"v1"')
    valley.feed_etag = '"v1"'
    db.session.commit()
    run = ingest_outlet(valley)
    db.session.commit()
    assert run.not_modified and run.error is None
    assert (run.created, run.updated, run.skipped) == (0, 0, 0)
    assert feed_server.requests[0][1]["If-None-Match"] == '"v1"'
    assert "If-Modified-Since" not in feed_server.requests[0][1]
    assert article_count() == 0 and valley.feed_etag == '"v1"'


def test_an_unchanged_feed_answers_304_by_last_modified(app, valley, feed_server):
    served(feed_server, valley, last_modified=LAST_MODIFIED)
    valley.feed_last_modified = LAST_MODIFIED
    db.session.commit()
    run = ingest_outlet(valley)
    assert run.not_modified and article_count() == 0
    assert feed_server.requests[0][1]["If-Modified-Since"] == LAST_MODIFIED


def test_the_second_fetch_sends_the_validators_of_the_first(app, valley, feed_server):
    served(feed_server, valley, headers={**RSS, "ETag": '"v2"'}, etag='"v2"')
    assert ingest_outlet(valley).created == 3
    db.session.commit()
    second = ingest_outlet(valley)
    db.session.commit()
    assert second.not_modified and len(feed_server.requests) == 2
    assert feed_server.requests[1][1]["If-None-Match"] == '"v2"'


def test_validators_too_long_to_keep_are_not_kept(app, valley, feed_server):
    long_etag = '"' + "e" * 400 + '"'
    served(feed_server, valley, headers={**RSS, "ETag": long_etag, "Last-Modified": "x" * 200})
    run = ingest_outlet(valley)
    db.session.commit()  # on PostgreSQL an over-long value would fail here
    assert run.created == 3 and valley.feed_etag is None and valley.feed_last_modified is None


def test_a_manual_ingest_of_another_url_leaves_the_validators_alone(app, valley, feed_server):
    valley.feed_etag = '"old"'
    url = feed_server.route("/other.xml", body=FEED, headers={**RSS, "ETag": '"new"'})
    run = ingest_source(url, valley)
    assert run.created == 3 and valley.feed_etag == '"old"'
    assert "If-None-Match" not in feed_server.requests[0][1]


def test_a_server_slower_than_the_timeout(app, valley, feed_server):
    app.config["SYNDICATION_FETCH_TIMEOUT"] = 0.5
    served(feed_server, valley, delay=30)
    assert_failed_cleanly(ingest_outlet(valley), "timed out after 0.5 s")


def test_a_server_dripping_the_feed_hits_the_overall_deadline(app, valley, feed_server):
    app.config["SYNDICATION_FETCH_TIMEOUT"] = 0.2
    served(feed_server, valley, body=FEED[:400], drip=0.02)
    assert_failed_cleanly(ingest_outlet(valley), "timed out after 0.6 s reading the feed")


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "streamed"])
def test_an_answer_above_the_size_cap(app, valley, feed_server, chunked):
    app.config["SYNDICATION_MAX_FEED_BYTES"] = 1000
    served(feed_server, valley, chunked=chunked)
    assert_failed_cleanly(ingest_outlet(valley), "the feed is larger than 1,000 bytes")


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_to_http_is_followed(app, valley, feed_server, status):
    target = feed_server.route("/feed.xml", body=FEED, headers=RSS)
    valley.feed_url = feed_server.route("/old-feed", status=status, headers={"Location": target})
    run = ingest_outlet(valley)
    assert (run.created, run.error) == (3, None)
    assert [path for path, _ in feed_server.requests] == ["/old-feed", "/feed.xml"]
    assert feed_server.requests[1][1]["User-Agent"].startswith("Newsroom/0.1")


@pytest.mark.parametrize(
    "location",
    ["file:///etc/passwd", "ftp://files.example/feed.xml", "data:text/xml,<rss/>", "javascript:x"],
)
def test_a_redirect_to_another_scheme_is_refused(app, valley, feed_server, location):
    served(feed_server, valley, status=302, body=b"", headers={"Location": location})
    run = ingest_outlet(valley)
    assert_failed_cleanly(run, "refused a redirect to a non-http(s) address")
    assert location[:10] in run.error


def test_redirects_are_limited(app, valley, feed_server):
    app.config["SYNDICATION_MAX_REDIRECTS"] = 3
    for hop in range(5):
        next_hop = feed_server.url(f"/hop{hop + 1}")
        feed_server.route(f"/hop{hop}", status=302, headers={"Location": next_hop})
    feed_server.route("/hop5", body=FEED, headers=RSS)
    valley.feed_url = feed_server.url("/hop0")
    assert_failed_cleanly(ingest_outlet(valley), "too many redirects (more than 3)")
    assert len(feed_server.requests) == 4


def test_a_redirect_loop_ends(app, valley, feed_server):
    valley.feed_url = feed_server.route("/loop", status=302, headers={"Location": "/loop"})
    assert_failed_cleanly(ingest_outlet(valley), "too many redirects (more than 5)")


def test_an_html_page_is_not_a_feed(app, valley, feed_server):
    page = fixture_bytes("not_a_feed.html")
    served(feed_server, valley, body=page, headers={"Content-Type": "text/html"})
    assert_failed_cleanly(ingest_outlet(valley), "not a feed: no RSS or Atom document found")


@pytest.mark.parametrize(
    "status, reason", [(404, "Not Found"), (500, "Internal Server Error"), (403, "Forbidden")]
)
def test_http_errors(app, valley, feed_server, status, reason):
    served(feed_server, valley, status=status, body=b"<html>oops</html>")
    assert_failed_cleanly(ingest_outlet(valley), f"the server answered HTTP {status} {reason}")


def test_an_unreachable_port(app, valley):
    allow_private_fetches(app)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    valley.feed_url = f"http://127.0.0.1:{port}/feed.xml"
    assert_failed_cleanly(ingest_outlet(valley), "the feed could not be fetched")


def test_fetch_url_refuses_other_schemes_outright():
    settings = FetchSettings(user_agent="test")
    for url in ("file:///etc/passwd", "ftp://files.example/", "http:///no-host", "data:,x"):
        with pytest.raises(FetchError, match="not an http"):
            fetch_url(url, settings)
