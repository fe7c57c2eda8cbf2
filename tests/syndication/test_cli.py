"""``flask syndication ingest|refresh``: outputs, exit codes, and nothing written on failure."""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from newsroom.extensions import db
from newsroom.models import Article, IngestRun, Outlet
from tests.syndication.conftest import article_count, fixture_bytes, fixture_path

RSS2 = fixture_path("valley_ledger_rss2.xml")
RSS1 = fixture_bytes("riverside_rss1.rdf")
RSS = {"Content-Type": "application/rss+xml"}
CREATE = ("--outlet", "Valley Ledger", "--outlet-url", "https://valley-ledger.example/")


def ingest(runner, *args):
    return runner.invoke(args=["syndication", "ingest", *args])


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def one_line_error(result, exit_code: int = 1) -> str:
    assert result.exit_code == exit_code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    return lines[0]


def test_ingest_a_file_for_a_known_outlet(runner, valley):
    result = ingest(runner, RSS2, "--outlet", "Valley Ledger")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "warning: skipped “A notice with nowhere to link”: the item has no link",
        "3 created, 0 updated, 1 skipped",
    ]
    db.session.rollback()
    assert article_count() == 3
    assert all(a.published_at is None for a in db.session.scalars(select(Article)))


def test_ingest_again_reports_skipped(runner, valley):
    ingest(runner, RSS2, "--outlet", "Valley Ledger")
    result = ingest(runner, RSS2, "--outlet", "Valley Ledger")
    assert result.output.splitlines()[-1] == "0 created, 0 updated, 4 skipped"
    assert article_count() == 3


def test_publish_flag(runner, valley):
    result = ingest(runner, RSS2, "--outlet", "Valley Ledger", "--publish")
    assert result.exit_code == 0
    db.session.rollback()
    assert all(a.published_at is not None for a in db.session.scalars(select(Article)))


def test_an_unknown_outlet_needs_its_url(runner, app):
    line = one_line_error(ingest(runner, RSS2, "--outlet", "Nobody"))
    assert "no outlet named 'Nobody'; give --outlet-url to create it" in line
    assert count(Outlet) == 0 and article_count() == 0


def test_outlet_url_creates_the_outlet(runner, app):
    result = ingest(runner, RSS2, *CREATE)
    assert result.exit_code == 0, result.output
    db.session.rollback()
    outlet = db.session.scalars(select(Outlet)).one()
    assert (outlet.name, outlet.slug, outlet.homepage_url) == (
        "Valley Ledger", "valley-ledger", "https://valley-ledger.example/",
    )
    assert outlet.feed_url is None  # a file is no feed URL to refresh from
    assert {a.outlet_id for a in db.session.scalars(select(Article))} == {outlet.id}


def test_an_outlet_created_from_a_url_keeps_it_as_its_feed(runner, app, feed_server):
    url = feed_server.route("/feed.xml", body=fixture_bytes("valley_ledger_rss2.xml"), headers=RSS)
    result = ingest(runner, url, *CREATE)
    assert result.output.splitlines()[-1] == "3 created, 0 updated, 1 skipped"
    db.session.rollback()
    assert db.session.scalars(select(Outlet)).one().feed_url == url


def test_a_feed_url_too_long_to_keep_is_not_kept(runner, app, feed_server):
    url = feed_server.route(
        "/" + "f" * 600 + ".xml", body=fixture_bytes("valley_ledger_rss2.xml"), headers=RSS
    )
    result = ingest(runner, url, *CREATE)
    assert result.exit_code == 0, result.output
    db.session.rollback()
    assert db.session.scalars(select(Outlet)).one().feed_url is None


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)", "valley-ledger.example", "ftp://x.example/", "http://[::1/",
        "https://", "https://valley.example/" + "x" * 500,
    ],
)
def test_outlet_url_must_be_http(runner, app, url):
    line = one_line_error(ingest(runner, RSS2, "--outlet", "New", "--outlet-url", url))
    assert "--outlet-url must be an http(s) URL" in line
    assert count(Outlet) == 0


def test_not_a_feed_with_a_new_outlet_writes_nothing(runner, app):
    result = ingest(
        runner, fixture_path("not_a_feed.html"), "--outlet", "Valley Ledger",
        "--outlet-url", "https://valley-ledger.example/",
    )
    line = one_line_error(result)
    assert line == (
        f"Error: could not ingest {fixture_path('not_a_feed.html')}: "
        "not a feed: no RSS or Atom document found (the document is <html>)"
    )
    db.session.rollback()
    assert (count(Outlet), count(IngestRun), article_count()) == (0, 0, 0)


def test_not_a_feed_for_a_known_outlet_records_the_failed_run(runner, valley, caplog):
    caplog.set_level(logging.INFO, logger="newsroom.syndication")
    one_line_error(ingest(runner, fixture_path("not_a_feed.html"), "--outlet", "Valley Ledger"))
    # Nothing at WARNING or above, which an unconfigured logger would print beside the error.
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert "not a feed" in caplog.text
    db.session.rollback()
    [run] = db.session.scalars(select(IngestRun)).all()
    assert run.error == "not a feed: no RSS or Atom document found (the document is <html>)"
    assert article_count() == 0


@pytest.mark.parametrize(
    "source, message",
    [
        ("/nowhere/feed.xml", "no such file"),
        ("file:///etc/passwd", "not an http(s) URL or a file path"),
        ("http://[::1/feed.xml", "not an http(s) URL or a file path"),
        ("http://valley.example:99999/feed.xml", "not an http(s) URL or a file path"),
    ],
)
def test_unusable_sources_fail_on_one_line(runner, valley, source, message):
    assert message in one_line_error(ingest(runner, source, "--outlet", "Valley Ledger"))
    assert article_count() == 0


def test_an_http_failure_fails_on_one_line(runner, valley, feed_server):
    url = feed_server.route("/feed.xml", status=500, body=b"broken")
    line = one_line_error(ingest(runner, url, "--outlet", "Valley Ledger"))
    assert line.endswith("the server answered HTTP 500 Internal Server Error")
    assert article_count() == 0


def test_refresh_ingests_every_outlet_with_a_feed(runner, make, feed_server):
    feed = fixture_bytes("valley_ledger_rss2.xml")
    make.outlet("Alpha", feed_url=feed_server.route("/a.xml", body=feed, headers=RSS))
    make.outlet("Beta", feed_url=feed_server.route("/b.xml", body=RSS1))
    make.outlet("Gamma")  # no feed: left out
    db.session.commit()
    result = runner.invoke(args=["syndication", "refresh"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Alpha: 3 created, 0 updated, 1 skipped",
        "Beta: 2 created, 0 updated, 0 skipped",
    ]
    assert [path for path, _ in feed_server.requests] == ["/a.xml", "/b.xml"]


def test_refresh_goes_on_after_a_failure_and_exits_non_zero(runner, make, feed_server):
    make.outlet("Alpha", feed_url=feed_server.route("/a.xml", status=500))
    make.outlet("Beta", feed_url=feed_server.route("/b.xml", body=RSS1))
    db.session.commit()
    result = runner.invoke(args=["syndication", "refresh"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Alpha: failed: the server answered HTTP 500 Internal Server Error",
        "Beta: 2 created, 0 updated, 0 skipped",
        "Error: 1 of 2 outlets failed",
    ]
    db.session.rollback()
    assert article_count() == 2 and count(IngestRun) == 2


def test_refresh_reports_unchanged_feeds(runner, make, feed_server):
    url = feed_server.route("/a.xml", body=fixture_bytes("riverside_rss1.rdf"), etag='"same"')
    make.outlet("Alpha", feed_url=url, feed_etag='"same"')
    db.session.commit()
    result = runner.invoke(args=["syndication", "refresh"])
    assert result.output.splitlines() == ["Alpha: not modified"]
    assert article_count() == 0


def test_refresh_without_outlets(runner, make):
    make.outlet("No feed")
    db.session.commit()
    result = runner.invoke(args=["syndication", "refresh"])
    assert (result.exit_code, result.output) == (0, "No outlet has a feed URL.\n")
