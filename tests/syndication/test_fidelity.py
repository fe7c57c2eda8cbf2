"""Ingest stays faithful to the source: identity, headlines, original URLs, bases, dates, content.

Each test reproduces one class of loss the outside corpus showed (issue 12), with our own
fictional feeds in tests/fixtures/feeds/.
"""
from __future__ import annotations

import gzip
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import Article, Outlet
from newsroom.syndication.ingest import run_ingest
from newsroom.syndication.parsing import NotAFeed, parse_feed
from newsroom.syndication.text import plain_text
from tests.syndication.conftest import article_count, fixture_bytes, fixture_path


ROOT = Path(__file__).resolve().parents[2]


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def ingest(runner, *args):
    return runner.invoke(args=["syndication", "ingest", *args])


def stories() -> list[Article]:
    return list(db.session.scalars(select(Article).order_by(Article.id)))


def rss(items: str, channel_link: str = "https://fixture.example/") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>Fixture</title><link>{channel_link}</link>{items}</channel></rss>"
    ).encode()


# Identity: the guid when there is one, the link only for items without one.


def test_items_sharing_a_link_are_told_apart_by_their_guids(app, make):
    outlet = make.outlet("Harbour Radio", homepage_url="https://harbour-radio.example/")
    report = run_ingest(outlet, fixture_path("harbour_radio_podcast.xml"))
    db.session.commit()
    run = report.run
    assert (run.created, run.updated, run.skipped) == (4, 0, 2)
    assert [(s.feed_guid, s.headline) for s in stories()] == [
        ("tide-talk-0001", "Episode 1: The pilot boats"),
        ("tide-talk-0002", "Episode 2: Gulls and their grudges"),
        ("tide-talk-0003", "Episode 3: The lock keeper's logbook"),
        (None, "Show notes: winter schedule"),
    ]
    assert report.warnings == [
        "skipped “Episode 3 (repeated by the feed)”: a duplicate of an earlier item with the "
        "same guid (tide-talk-0003)",
        "skipped “Show notes: winter schedule (again, no guid)”: a duplicate of an earlier "
        "item with the same link and no guid (https://harbour-radio.example/tide-talk/winter)",
    ]


def test_the_alternate_link_wins_over_an_enclosure(app, make):
    outlet = make.outlet("Harbour Radio", homepage_url="https://harbour-radio.example/")
    run_ingest(outlet, fixture_path("harbour_radio_podcast.xml"))
    urls = {story.original_url for story in stories()}
    assert urls == {
        "https://harbour-radio.example/tide-talk",
        "https://harbour-radio.example/tide-talk/winter",
    }


def test_an_atom_enclosure_link_listed_first_is_not_the_original():
    feed = parse_feed(
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>E</title>'
        b"<id>urn:uuid:0b0e7c1a-2f55-4a8e-b6e4-8f0c3c0e9d11</id>"
        b'<link rel="enclosure" type="audio/mpeg" href="https://cdn.fixture.example/e.mp3"/>'
        b'<link rel="alternate" href="https://fixture.example/episode"/></entry></feed>'
    )
    assert feed.items[0].link == "https://fixture.example/episode"


def test_re_ingesting_the_podcast_changes_nothing(app, make):
    outlet = make.outlet("Harbour Radio", homepage_url="https://harbour-radio.example/")
    run_ingest(outlet, fixture_path("harbour_radio_podcast.xml"))
    db.session.commit()
    again = run_ingest(outlet, fixture_path("harbour_radio_podcast.xml")).run
    assert (again.created, again.updated, again.skipped) == (0, 0, 6)
    assert article_count() == 4


def test_a_story_without_a_guid_adopts_the_guid_its_item_gains(app, make, tmp_path):
    outlet = make.outlet("Harbour Radio", homepage_url="https://harbour-radio.example/")
    run_ingest(outlet, fixture_path("harbour_radio_podcast.xml"))
    db.session.commit()
    winter = db.session.scalars(select(Article).where(Article.feed_guid.is_(None))).one()
    path = tmp_path / "winter.xml"
    path.write_bytes(rss(
        "<item><title>Show notes: winter schedule</title>"
        "<link>https://harbour-radio.example/tide-talk/winter</link>"
        "<guid isPermaLink='false'>tide-talk-notes-1</guid></item>"
    ))
    run = run_ingest(outlet, str(path)).run
    db.session.commit()
    assert (run.created, run.updated) == (0, 1)
    assert winter.feed_guid == "tide-talk-notes-1" and article_count() == 4


# Headlines are text, decoded as the feed's type says.


@pytest.mark.parametrize(
    "name, index, title",
    [
        ("bytes_and_bolts_titles_atom.xml", 0, "History of the <blink> tag"),
        ("bytes_and_bolts_titles_atom.xml", 1, "Why we prefer std::vector<int> over arrays"),
        ("bytes_and_bolts_titles_atom.xml", 2, "Templates: Map<K, V> & friends"),
        ("bytes_and_bolts_titles_atom.xml", 3, "Tag soup, explained"),
        ("bytes_and_bolts_titles_atom.xml", 4, "Styling without tears"),
        ("bytes_and_bolts_titles_rss.xml", 0, "History of the <blink> tag"),
        ("bytes_and_bolts_titles_rss.xml", 1, "prefer std::vector<int> over arrays"),
        ("bytes_and_bolts_titles_rss.xml", 2, "Bold moves & quiet ones"),
        ("bytes_and_bolts_titles_rss.xml", 3, "Tides and times"),
        ("bytes_and_bolts_escaped_atom03.xml", 0, "History of the <blink> tag revisited"),
    ],
)
def test_headlines_keep_every_character_a_reader_should_see(name, index, title):
    assert parse_feed(fixture_bytes(name)).items[index].title == title


def test_a_headline_about_markup_is_stored_and_shown_as_written(app, make, client):
    outlet = make.outlet("Bytes & Bolts", homepage_url="https://bytes-and-bolts.example/")
    run_ingest(outlet, fixture_path("bytes_and_bolts_titles_atom.xml"), publish=True)
    db.session.commit()
    story = db.session.scalar(select(Article).where(Article.headline.contains("blink")))
    assert story.headline == "History of the <blink> tag"
    page = client.get(f"/articles/{story.slug}")
    assert page.status_code == 200
    assert "History of the &lt;blink&gt; tag" in page.get_data(as_text=True)


# Script and style never become visible text, whatever the encoding trick.

SCRIPT_TRICKS = [
    "<title><![CDATA[<script>steal()</script>Harbour news]]></title>",
    "<title>&amp;lt;script&amp;gt;steal()&amp;lt;/script&amp;gt;Harbour news</title>",
    "<title>Harbour news&lt;SCRIPT\n\n&gt;steal()&lt;/SCRIPT&gt;</title>",
    "<title>Harbour news</title><description>&lt;script\n\n\n&gt;steal()&lt;/script\n&gt;"
    "Tide at noon</description>",
    "<title>Harbour news</title><description>&lt;!-- &lt;script&gt; --&gt;&lt;script&gt;"
    "function steal() {}&lt;/script&gt;Tide at noon</description>",
    "<title>Harbour news</title><description>&lt;style&gt;p{content:'steal()'}&lt;/style&gt;"
    "Tide at noon</description>",
    "<title>Harbour news</title><content:encoded><![CDATA[<ScRiPt SRC=x><!--\nsteal()\n//-->"
    "</sCrIpT><svg><script>steal()</script></svg><p>Tide at noon</p>]]></content:encoded>",
    "<title>Harbour news</title><description>&amp;lt;script&amp;gt;steal()&amp;lt;/script"
    "&amp;gt;Tide at noon</description>",
]


@pytest.mark.parametrize("markup", SCRIPT_TRICKS)
def test_script_and_style_source_is_never_visible_text(markup):
    item = parse_feed(rss(f"<item>{markup}<link>https://fixture.example/s</link></item>")).items[0]
    visible = " ".join((item.title, item.standfirst, plain_text(item.body)))
    assert "steal" not in visible and "content:" not in visible
    assert item.title == "Harbour news"


# The fullest content wins; a description becomes the standfirst.


def test_content_encoded_wins_over_a_longer_description():
    item = parse_feed(fixture_bytes("fullest_content.xml")).items[0]
    assert item.body == "<p>Volunteers restored the <em>cider press</em>.</p>"
    assert item.standfirst.startswith("The cider press in the old barn has been restored")
    assert item.standfirst.endswith("…") and len(item.standfirst) <= 300


def test_atom_content_wins_over_a_longer_summary():
    feed = parse_feed(
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>E</title>'
        b'<id>tag:fixture.example,2026:e</id><link href="https://fixture.example/e"/>'
        b"<summary>A summary that goes on for rather longer than the content does.</summary>"
        b'<content type="html">&lt;p&gt;Short body.&lt;/p&gt;</content></entry></feed>'
    )
    item = feed.items[0]
    assert item.body == "<p>Short body.</p>"
    assert item.standfirst == "A summary that goes on for rather longer than the content does."


# Only a real web address is an original URL; otherwise the item is skipped, saying why.


def test_items_without_a_web_address_are_skipped_with_their_reason(runner, app):
    result = ingest(
        runner, fixture_path("quayside_links.xml"), "--outlet", "Quayside Weekly",
        "--outlet-url", "https://quayside.example/",
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "warning: skipped “Permalink that is not a URL”: the item has no link and its "
        "permalink guid “foo” is not a URL",
        "warning: skipped “Placeholder link”: its link “insert value here” is not a web address",
        "warning: skipped “Only a tag URI”: the item has no link and its only id is a tag: URI",
        "warning: skipped “Only a URN”: the item has no link and its only id is a urn: URI",
        "2 created, 0 updated, 4 skipped",
    ]
    db.session.rollback()
    assert [story.original_url for story in stories()] == [
        "https://quayside-weekly.example/2026/real-permalink",
        "https://quayside-weekly.example/2026/relative",  # the channel link, not --outlet-url
    ]


# Relative links in a file resolve against the feed's own address first.


def test_a_file_feed_resolves_relative_links_against_its_self_link(runner, app):
    result = ingest(
        runner, fixture_path("tidewater_relative_atom.xml"), "--outlet", "Tidewater Times",
        "--outlet-url", "https://elsewhere.example/",
    )
    assert result.exit_code == 0, result.output
    db.session.rollback()
    found = {story.headline: story for story in stories()}
    assert {headline: story.original_url for headline, story in found.items()} == {
        "Sandbar moves north": "https://tidewater-times.example/stories/sandbar.html",
        "Ferry timetable": "https://tidewater-times.example/timetables/ferry",
        "From the archive": "https://archive.tidewater-times.example/2026/storm.html",
    }
    assert 'href="https://tidewater-times.example/maps/sandbar.html"' in (
        found["Sandbar moves north"].body
    )


def test_a_file_feed_resolves_relative_links_against_its_channel_link(runner, app):
    result = ingest(
        runner, fixture_path("lakeside_relative_rss.xml"), "--outlet", "Lakeside Post",
        "--outlet-url", "https://elsewhere.example/",
    )
    assert result.exit_code == 0, result.output
    db.session.rollback()
    assert [story.original_url for story in stories()] == [
        "https://lakeside-post.example/news/2026/boathouse",
        "https://lakeside-post.example/2026/swans",
    ]


def test_without_a_declared_address_the_outlet_url_is_the_base():
    feed = parse_feed(
        b'<rss version="2.0"><channel><title>t</title><item><title>x</title>'
        b"<link>/2026/x</link></item></channel></rss>",
        fallback_url="https://outlet.example/",
    )
    assert feed.items[0].link == "https://outlet.example/2026/x"


def test_over_http_the_feed_address_is_the_base(app, valley, feed_server):
    url = feed_server.route(
        "/feeds/lakeside.xml", body=fixture_bytes("lakeside_relative_rss.xml"),
        headers={"Content-Type": "application/rss+xml"},
    )
    run_ingest(valley, url)
    assert [story.original_url for story in stories()] == [
        feed_server.url("/feeds/2026/boathouse"),
        feed_server.url("/2026/swans"),
    ]


# Dates: localized names are read; implausible dates are treated as missing.


@pytest.mark.parametrize(
    "index, published",
    [
        (0, utc(2018, 9, 24, 13)),  # Portuguese, -0300
        (1, utc(2018, 9, 24, 8)),  # Spanish
        (2, utc(2018, 9, 24, 8)),  # French
        (3, utc(2018, 9, 24, 8)),  # German
        (4, utc(2018, 9, 24, 8)),  # Italian
        (5, utc(2018, 9, 24, 8)),  # Dutch
        (6, utc(2018, 9, 24, 8)),  # English, read by feedparser itself
    ],
)
def test_localized_dates_are_read(index, published):
    assert parse_feed(fixture_bytes("almanac_dates.xml")).items[index].published == published


def test_implausible_dates_are_missing_with_a_warning(app, make):
    outlet = make.outlet("The Almanac", homepage_url="https://almanac.example/")
    report = run_ingest(outlet, fixture_path("almanac_dates.xml"))
    db.session.commit()
    assert report.warnings == [
        "“Year 103”: ignored its published date “Mon, 24 Sep 0103 10:00:00 +0000” (before 1990)",
        "“Year 1776”: ignored its published date “Thu, 04 Jul 1776 10:00:00 +0000” "
        "(before 1990)",
        "“Year 2103”: ignored its published date “Mon, 24 Sep 2103 10:00:00 +0000” "
        "(more than a day in the future)",
    ]
    dates = {story.headline: story.original_published_at for story in stories()}
    assert dates["Year 103"] is dates["Year 1776"] is dates["Year 2103"] is None
    assert dates["Portuguese"] == utc(2018, 9, 24, 13)


def test_a_date_a_few_hours_ahead_is_kept():
    soon = datetime.now(timezone.utc).replace(microsecond=0)  + timedelta(hours=3)
    stamp = soon.strftime("%a, %d %b %Y %H:%M:%S +0000")
    feed = parse_feed(rss(f"<item><title>x</title><link>https://f.example/x</link>"
                          f"<pubDate>{stamp}</pubDate></item>"))
    assert feed.items[0].published == soon and feed.items[0].warnings == ()


def test_dateparser_is_loaded_only_when_a_localized_date_needs_it(tmp_path):
    """Loading the app (as ``flask --app wsgi`` does) must not pay for dateparser."""
    code = (
        "import sys; import wsgi; from newsroom.syndication.parsing import parse_feed;"
        "assert 'dateparser' not in sys.modules, 'loaded at start-up';"
        "parse_feed(open(sys.argv[1], 'rb').read());"
        "assert 'dateparser' in sys.modules, 'never used'"
    )
    env = {**os.environ, "NEWSROOM_SECRET_KEY": "test-only", "NEWSROOM_DATABASE_URL":
           f"sqlite:///{tmp_path}/start.db"}
    subprocess.run(
        [sys.executable, "-c", code, fixture_path("almanac_dates.xml")],
        check=True, timeout=60, env=env, cwd=ROOT,
    )


# Not a feed; compressed files; malformed XML.


def test_a_kml_file_is_refused_and_no_outlet_is_saved(runner, app):
    path = fixture_path("cartography_club.kml")
    result = ingest(runner, path, "--outlet", "Cartography Club", "--outlet-url",
                    "https://cartography-club.example/")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: could not ingest {path}: not a feed: no RSS or Atom document found "
        "(the document is <kml>)"
    ]
    db.session.rollback()
    assert article_count() == 0
    assert db.session.scalar(select(Outlet).where(Outlet.name == "Cartography Club")) is None


def test_a_gzip_compressed_feed_file_is_read(runner, valley, tmp_path):
    path = tmp_path / "valley.xml.gz"
    path.write_bytes(gzip.compress(fixture_bytes("valley_ledger_rss2.xml")))
    result = ingest(runner, str(path), "--outlet", "Valley Ledger")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "3 created, 0 updated, 1 skipped"


def test_a_gzip_file_that_inflates_past_the_cap_is_refused(app, valley, tmp_path):
    app.config["SYNDICATION_MAX_FEED_BYTES"] = 10_000
    path = tmp_path / "bomb.xml.gz"
    path.write_bytes(gzip.compress(rss("<!-- padding -->" + " " * 50_000)))
    run = run_ingest(valley, str(path)).run
    assert run.error == "the feed is larger than 10,000 bytes uncompressed"
    assert article_count() == 0


def test_a_damaged_gzip_file_fails_on_one_line(app, valley, tmp_path):
    path = tmp_path / "cut.xml.gz"
    path.write_bytes(gzip.compress(fixture_bytes("valley_ledger_rss2.xml"))[:200])
    run = run_ingest(valley, str(path)).run
    assert run.error == f"could not decompress {path}: the gzip data is cut short"


def test_undefined_entities_get_a_plain_message(runner, app):
    result = ingest(runner, fixture_path("undefined_entity.xml"), "--outlet", "Millbrook",
                    "--outlet-url", "https://millbrook-courier.example/")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "warning: the feed is not well-formed XML: undefined entity on line 8; "
        "ingested what could be read",
        "1 created, 0 updated, 0 skipped",
    ]
    db.session.rollback()
    assert "The mill race runs again" in stories()[0].body


def test_a_malformed_feed_with_nothing_to_read_is_refused_plainly():
    with pytest.raises(NotAFeed) as raised:
        parse_feed(b'<?xml version="1.0"?>\n<rss version="2.0">\n<channel>\n'
                   b"<title>A &bogus; title</title>\n</channel>\n</rss>")
    assert str(raised.value) == (
        "not a feed: the feed is not well-formed XML: undefined entity on line 4"
    )
