"""Parsing our own fixture feeds: every field mapping, sanitised bodies, absolute links, Unicode."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from newsroom.syndication.parsing import NotAFeed, parse_feed
from newsroom.syndication.text import plain_text, text_to_html, truncate_words
from tests.syndication.conftest import fixture_bytes

FORBIDDEN = ("<script", "<iframe", "<form", "<input", "javascript:", "onclick", "onerror", "style=")


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def rss2():
    return parse_feed(fixture_bytes("valley_ledger_rss2.xml"), base_url="https://feeds.example/vl")


@pytest.fixture(scope="module")
def atom():
    return parse_feed(fixture_bytes("northshore_atom.xml"), base_url="https://feeds.example/ng")


def test_rss2_feed_level(rss2):
    assert rss2.version == "rss20"
    assert rss2.title == "The Valley Ledger — Nachrichten & News"
    assert len(rss2.items) == 4


def test_rss2_item_with_content_encoded(rss2):
    item = rss2.items[0]
    assert item.title == "Ferry «Søren» returns as the café on Pier 4 reopens"
    assert item.link == "https://valley-ledger.example/news/2026/ferry-soren-returns"
    assert item.guid == "valley-ledger-2026-0001"
    assert item.author == "Marta Łukasiewicz"
    assert item.published == utc(2026, 11, 3, 7, 30)  # +0100 in the feed
    assert item.updated == utc(2026, 11, 4, 12, 0)
    assert item.image_url == "https://cdn.valley-ledger.example/img/ferry-large.jpg"
    # The fullest body is content:encoded; the description becomes the plain standfirst.
    assert "<h2>Back on the water</h2>" in item.body
    assert item.standfirst == "The ferry is back, and so is the café’s smørrebrød."
    assert "Grüße from the crew, 乗客の皆さん歓迎." in item.body


def test_rss2_relative_links_become_absolute_against_the_item_url(rss2):
    body = rss2.items[0].body
    assert 'href="https://valley-ledger.example/news/2026/dry-dock"' in body
    assert 'href="https://valley-ledger.example/news/2026/timetable.html"' in body
    assert 'src="https://valley-ledger.example/news/2026/images/ferry.jpg"' in body
    assert "<figure>" in body and "<figcaption>Freshly painted.</figcaption>" in body


@pytest.mark.parametrize("index", range(4))
def test_rss2_hostile_markup_never_survives(rss2, index):
    item = rss2.items[index]
    for value in (item.title, item.body, item.standfirst, item.author):
        for bad in FORBIDDEN:
            assert bad not in value.lower()
    assert "document.cookie" not in item.body and "steal()" not in item.body


def test_rss2_title_script_is_removed_and_entities_unescaped(rss2):
    item = rss2.items[1]
    assert item.title == "Orchard & apiary open day"
    assert "alert" not in item.title


def test_rss2_item_with_description_only(rss2):
    item = rss2.items[1]
    assert item.guid is None
    assert item.author == "Tomás Ó Briain"  # from "email (Name)"; the email is dropped
    assert item.standfirst == ""  # the description is the body
    assert 'href="https://valley-ledger.example/events/open-day"' in item.body
    assert item.image_url == "https://cdn.valley-ledger.example/img/orchard.jpg"  # enclosure
    assert item.updated is None


def test_rss2_item_without_link(rss2):
    assert rss2.items[2].link is None
    assert rss2.items[2].title == "A notice with nowhere to link"


def test_rss2_image_must_be_http_or_https(rss2):
    # media:content is javascript:, the enclosure ftp:, so the thumbnail wins.
    assert rss2.items[3].image_url == "https://cdn.valley-ledger.example/img/market-thumb.jpg"
    assert rss2.items[3].body == "<p>Lanterns along the river again.</p>"


def test_atom_entry_resolves_against_xml_base(atom):
    item = atom.items[0]
    assert atom.version == "atom10"
    assert item.link == "https://northshore-gazette.example/stories/2026/lighthouse-log"
    assert 'href="https://northshore-gazette.example/stories/2026/lighthouse-history"' in item.body
    assert 'src="https://northshore-gazette.example/stories/media/log-page.png"' in item.body
    assert 'href="https://other.example/absolute"' in item.body


def test_atom_entry_fields_and_unicode(atom):
    item = atom.items[0]
    assert item.title == "Κύματα and tides: the lighthouse log"
    assert item.guid == "urn:uuid:6f1e5c1a-2b0c-4d8e-9a57-0c1e0a7c0101"
    assert item.author == "Ingrid Håkonsen"
    assert item.published == utc(2026, 11, 4, 11, 15)  # 06:15-05:00
    assert item.updated == utc(2026, 11, 5, 8, 0)
    assert item.standfirst == "Keepers kept a log for 120 years; we read all of it."
    assert "“Ωραία θάλασσα” — the sea was fine." in item.body


UNDECLARED = {
    "cyrillic": (
        "Вести гавани",
        "Набережная снова открыта для прогулок",
        "После зимнего ремонта набережная открылась вновь: новые скамейки, фонари и "
        "деревянный настил вдоль всего берега.",
    ),
    "japanese": (
        "港の便り",
        "遊歩道が冬の修理を終えて再開しました",
        "冬の間に行われた修理が終わり、新しいベンチと街灯が設置されました。"
        "地元の人々は朝早くから散歩を楽しんでいます。",
    ),
}


@pytest.mark.parametrize(
    "script, encoding",
    [("cyrillic", "koi8-r"), ("cyrillic", "windows-1251"), ("japanese", "shift_jis"),
     ("japanese", "euc-jp"), ("cyrillic", "utf-8"), ("japanese", "utf-8")],
)
def test_a_feed_without_an_encoding_declaration_keeps_its_unicode(script, encoding):
    channel, title, text = UNDECLARED[script]
    document = (  # no <?xml encoding?>, no charset header: the bytes must be sniffed
        f"<rss version=\"2.0\"><channel><title>{channel}</title><item><title>{title}</title>"
        f"<link>https://harbour.example/1</link><description>{text}</description></item>"
        "</channel></rss>"
    )
    feed = parse_feed(document.encode(encoding))
    assert feed.title == channel
    assert feed.items[0].title == title and feed.items[0].body == f"<p>{text}</p>"


def test_atom_plain_text_content_is_escaped_into_paragraphs(atom):
    item = atom.items[1]
    assert item.title == "Plain words & angle brackets"
    assert item.body.startswith("<p>Tide at 5 &lt; 6 o")
    assert "&lt;b&gt;not bold&lt;/b&gt;" in item.body and "<b>" not in item.body
    assert item.body.count("<p>") == 2
    assert item.published == item.updated == utc(2026, 11, 3, 10, 0)  # only <updated> given


def test_atom_xhtml_title_and_content(atom):
    item = atom.items[2]
    assert item.title == "An xhtml entry"
    assert item.body == (
        '<p>Structured <a href="https://northshore-gazette.example/stories/notes">notes</a>.</p>'
    )
    assert item.author == ""


def test_rss1_items():
    feed = parse_feed(fixture_bytes("riverside_rss1.rdf"))
    assert feed.version == "rss10"
    first = feed.items[0]
    assert first.title == "Council votes on the footbridge"
    assert first.link == first.guid == "https://riverside-bulletin.example/2026/bridge-vote"
    assert first.author == "Ada Brook"
    assert first.published == utc(2026, 10, 30, 19, 45)
    assert first.body == "<p>Seven to two in favour of repairs.</p>"


def test_relative_item_link_resolves_against_the_base_url():
    feed = parse_feed(
        b'<rss version="2.0"><channel><title>t</title><item><title>Relative</title>'
        b"<link>/2026/relative-story</link></item></channel></rss>",
        base_url="https://base.example/feed.xml",
    )
    assert feed.items[0].link == "https://base.example/2026/relative-story"


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "ftp://files.example/x", "mailto:a@b.example"]
)
def test_item_links_other_than_http_are_dropped(link):
    feed = parse_feed(
        f'<rss version="2.0"><channel><title>t</title><item><title>x</title>'
        f"<link>{link}</link></item></channel></rss>".encode()
    )
    assert feed.items[0].link is None


def test_untitled_item_takes_its_first_words_as_headline():
    feed = parse_feed(
        b'<rss version="2.0"><channel><title>t</title><item><link>https://a.example/1</link>'
        b"<description>Only a description here.</description></item>"
        b"<item><link>https://a.example/2</link></item></channel></rss>"
    )
    assert feed.items[0].title == "Only a description here."
    assert feed.items[1].title == "Untitled story"


@pytest.mark.parametrize(
    "document, message",
    [
        (b"", "the document is empty"),
        (b"   \n ", "the document is empty"),
        (
            fixture_bytes("not_a_feed.html"),
            r"no RSS or Atom document found \(the document is <html>\)",
        ),
        (
            b"<?xml version='1.0'?><catalogue><book/></catalogue>",
            r"no RSS or Atom document found \(the document is <catalogue>\)",
        ),
        (
            b"<rss version='2.0'><channel><title>cut short",
            "the feed is not well-formed XML: no element found on line 1",
        ),
    ],
)
def test_documents_that_are_not_feeds(document, message):
    with pytest.raises(NotAFeed, match=message) as raised:
        parse_feed(document)
    assert "\n" not in str(raised.value)


def test_a_well_formed_feed_without_items_is_an_empty_feed():
    feed = parse_feed(b"<rss version='2.0'><channel><title>Quiet</title></channel></rss>")
    assert feed.items == [] and feed.title == "Quiet"


@pytest.mark.parametrize(
    "markup, text",
    [
        ("<b>Bold</b> &amp; brave", "Bold & brave"),
        ("a < b and c > d", "a < b and c > d"),
        ("<script>alert(1)</script>Safe", "Safe"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;Safe", "Safe"),
        ("&amp;lt;script&amp;gt;x&amp;lt;/script&amp;gt;Safe", "Safe"),
        ("<style>p{}</style><p>One</p><p>Two</p>", "One Two"),
        ("Zoë’s  \n  café", "Zoë’s café"),
    ],
)
def test_plain_text(markup, text):
    assert plain_text(markup) == text


def test_truncate_words():
    assert truncate_words("short", 10) == "short"
    cut = truncate_words("one two three four five", 14)
    assert cut == "one two three…" and len(cut) <= 14


def test_text_to_html():
    assert text_to_html("a <b>\n\nline\nbreak") == "<p>a &lt;b&gt;</p><p>line<br>break</p>"


def test_external_entities_are_not_resolved():
    feed = parse_feed(
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<rss version="2.0"><channel><title>t</title><item><title>a&x;b</title>'
        b"<link>https://a.example/x</link></item></channel></rss>"
    )
    assert feed.items[0].title == "ab"


def test_nested_entities_do_not_expand():
    levels = "".join(
        f'<!ENTITY e{n} "{f"&e{n - 1};" * 10}">' for n in range(1, 9)
    )
    document = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e0 "boom">{levels}]>'
        '<rss version="2.0"><channel><title>t</title><item><title>&e8;</title>'
        "<link>https://a.example/x</link></item></channel></rss>"
    ).encode()
    feed = parse_feed(document)
    assert len(feed.items[0].title) < 100


def test_unparseable_urls_are_dropped_not_a_crash():
    document = b"""<rss version="2.0"><channel><title>Odd addresses</title>
    <item><title>Bad link</title><link>http://[::1/story</link>
      <description>Only words.</description></item>
    <item><title>Good link, odd body</title><link>https://odd.example/s</link>
      <description><![CDATA[<p><a href="//[::1/x">x</a> <a href="/ok">ok</a>
        <img src="http://[bad/i.png"></p>]]></description>
      <enclosure url="http://[::1/e.jpg" type="image/jpeg"/></item>
    </channel></rss>"""
    bad, good = parse_feed(document, base_url="https://odd.example/feed").items
    assert bad.link is None
    assert good.link == "https://odd.example/s" and good.image_url is None
    assert good.body == '<p><a>x</a> <a href="https://odd.example/ok">ok</a>\n        <img></p>'
