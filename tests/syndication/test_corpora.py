"""The real feed corpus (../shared/corpora/feeds): every file ingests or fails cleanly.

MANIFEST.json records what feedparser makes of each file; the tests check our outcome
against it: real/ and html_in_content/ feeds yield a story per linked item with nothing
hostile in any stored field; a malformed/ file either yields what is recoverable or fails
with a one-line error and nothing written.
"""
from __future__ import annotations

import json
import os
import re

import pytest
from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import Article
from newsroom.syndication.ingest import run_ingest
from newsroom.syndication.parsing import FeedItem, parse_feed
from newsroom.syndication.text import plain_text
from tests.conftest import SHARED
from tests.syndication.conftest import article_count

_MANIFEST = os.path.join(SHARED, "corpora", "feeds", "MANIFEST.json")

HOSTILE_ELEMENT = re.compile(
    r"<\s*/?\s*(script|iframe|frame|object|embed|applet|style|meta|link|form|input|base)\b", re.I
)
EVENT_ATTRIBUTE = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.I)
SCRIPT_URL = re.compile(r"(href|src|cite|action)\s*=\s*[\"']?\s*(javascript|vbscript|data):", re.I)
ANY_TAG = re.compile(r"<\s*/?\s*[a-z][^>]*>", re.I)


def _manifest(kinds: tuple[str, ...]) -> list:
    if not os.path.exists(_MANIFEST):
        return [pytest.param(None, marks=pytest.mark.skip(reason="../shared/corpora not found"))]
    with open(_MANIFEST, encoding="utf-8") as file:
        entries = [entry for entry in json.load(file) if entry["kind"] in kinds]
    return [pytest.param(entry, id=entry["file"]) for entry in entries]


def assert_safe_html(value: str) -> None:
    for pattern in (HOSTILE_ELEMENT, EVENT_ATTRIBUTE, STYLE_ATTRIBUTE, SCRIPT_URL):
        assert not pattern.search(value), (pattern.pattern, value[:500])


def assert_plain(value: str) -> None:
    """Plain text is escaped when shown; it must hold no markup (prose may say "JavaScript:")."""
    assert not ANY_TAG.search(value), value


def assert_safe_url(value: str | None) -> None:
    assert value is None or re.match(r"^https?://", value), value


def assert_clean_item(item: FeedItem) -> None:
    assert item.title.strip()
    for text in (item.title, item.standfirst, item.author):
        assert_plain(text)
    assert_safe_html(item.body)
    assert_safe_url(item.link)
    assert_safe_url(item.image_url)


def assert_clean_story(story: Article) -> None:
    assert story.headline.strip() and story.slug
    for text in (story.headline, story.standfirst, story.byline, story.original_author):
        assert_plain(text)
    for html in (story.body, story.slug, story.feed_guid or ""):
        assert_safe_html(html)
    assert_safe_url(story.original_url)
    assert story.original_url
    assert_safe_url(story.image_url)


def ingest_corpus_file(make, shared_corpora: str, entry: dict):
    outlet = make.outlet(homepage_url="https://outlet.example/")
    path = os.path.join(shared_corpora, "feeds", entry["file"])
    report = run_ingest(outlet, path)
    db.session.commit()
    with open(path, "rb") as file:
        content = file.read()
    return report, content


def assert_every_linked_item_became_one_clean_story(report, items: list[FeedItem]) -> None:
    """One story per identity (the guid, else the link); every other item skipped with a reason."""
    run = report.run
    stories = list(db.session.scalars(select(Article)))
    linked = [item for item in items if item.link]
    identities = {("guid", item.guid) if item.guid else ("link", item.link) for item in linked}
    assert run.updated == 0
    assert run.created == len(stories) == len(identities)
    assert run.created + run.skipped == len(items)
    skipped = [warning for warning in report.warnings if warning.startswith("skipped ")]
    assert len(skipped) == len(items) - len(identities)
    for item in linked:
        assert any(
            (item.guid and story.feed_guid == item.guid) or story.original_url == item.link
            for story in stories
        ), item.link
    for story in stories:
        assert_clean_story(story)


@pytest.mark.parametrize("entry", _manifest(("real", "html_in_content")))
def test_real_and_hostile_feeds_become_clean_stories(app, make, shared_corpora, entry):
    report, content = ingest_corpus_file(make, shared_corpora, entry)
    assert report.run.error is None
    items = parse_feed(content, fallback_url="https://outlet.example/").items
    assert len(items) == entry["feedparser"]["entries"]
    for item in items:  # linked or not, what would be stored is clean
        assert_clean_item(item)
    assert_every_linked_item_became_one_clean_story(report, items)


#: What a hostile feed's script or style source looks like once it has leaked into text.
SCRIPT_SOURCE = re.compile(
    r"alert\s*\(|function\s*\w*\s*\(|document\.\w+|javascript:|vbscript:|expression\s*\(|"
    r"\{\s*[a-z-]+\s*:",
    re.I,
)


@pytest.mark.parametrize("entry", _manifest(("html_in_content",)))
def test_script_and_style_source_never_becomes_visible_text(shared_corpora, entry):
    with open(os.path.join(shared_corpora, "feeds", entry["file"]), "rb") as file:
        feed = parse_feed(file.read(), fallback_url="https://outlet.example/")
    assert not SCRIPT_SOURCE.search(feed.title), feed.title
    for item in feed.items:
        for text in (item.title, item.standfirst, item.author, plain_text(item.body)):
            assert not SCRIPT_SOURCE.search(text), text


@pytest.mark.parametrize("entry", _manifest(("malformed",)))
def test_malformed_feeds_yield_what_is_recoverable_or_fail_cleanly(
    app, make, shared_corpora, entry
):
    expected = entry["feedparser"]
    unreadable = expected["entries"] == 0 and (expected["bozo"] or not expected["version"])
    report, content = ingest_corpus_file(make, shared_corpora, entry)
    run = report.run
    if unreadable:
        assert run.error.startswith("not a feed: ") and "\n" not in run.error
        assert (run.created, run.updated, run.skipped) == (0, 0, 0)
        assert article_count() == 0
    else:
        assert run.error is None
        items = parse_feed(content, fallback_url="https://outlet.example/").items
        assert len(items) == expected["entries"]
        assert_every_linked_item_became_one_clean_story(report, items)


def test_the_corpus_has_stories_that_are_created(app, make, shared_corpora):
    """Guard against a vacuous pass: the real feeds do produce many stories."""
    total = 0
    for param in _manifest(("real",)):
        entry = param.values[0]
        db.session.execute(Article.__table__.delete())
        report, _ = ingest_corpus_file(make, shared_corpora, entry)
        total += report.run.created
    assert total > 400
