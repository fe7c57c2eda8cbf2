"""Ingest cost: identity and a raw-field fingerprint checked before cleaning; batched writes."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import Article, ArticleRevision
from newsroom.syndication.ingest import ingest_source
from newsroom.syndication.parsing import SourceItem, read_feed
from tests.syndication.conftest import fixture_bytes, fixture_path

RSS2 = "valley_ledger_rss2.xml"
FERRY_GUID = "valley-ledger-2026-0001"


@pytest.fixture
def cleaned(monkeypatch) -> list[str]:
    """The titles of the items ingest cleans, in order."""
    titles: list[str] = []
    clean = SourceItem.clean

    def counting(self, now=None):
        titles.append(self.title)
        return clean(self, now)

    monkeypatch.setattr(SourceItem, "clean", counting)
    return titles


def changed_copy(tmp_path, old: str, new: str) -> str:
    text = fixture_bytes(RSS2).decode()
    assert old in text
    path = tmp_path / "changed.xml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return str(path)


def ferry() -> Article:
    return db.session.scalars(select(Article).where(Article.feed_guid == FERRY_GUID)).one()


def revision_count() -> int:
    return len(db.session.scalars(select(ArticleRevision)).all())


def test_each_story_keeps_its_items_fingerprint(app, valley):
    ingest_source(fixture_path(RSS2), valley)
    db.session.commit()
    stored = [article.source_fingerprint for article in db.session.scalars(select(Article))]
    assert len(set(stored)) == 3 and all(re.fullmatch(r"[0-9a-f]{64}", f) for f in stored)
    sources = read_feed(fixture_bytes(RSS2), fallback_url=valley.homepage_url).sources
    assert ferry().source_fingerprint == sources[0].fingerprint


def test_an_unchanged_re_ingest_cleans_nothing(app, valley, cleaned):
    ingest_source(fixture_path(RSS2), valley)
    db.session.commit()
    assert len(cleaned) == 3  # the item without a link is never cleaned
    cleaned.clear()
    run = ingest_source(fixture_path(RSS2), valley)
    db.session.commit()
    assert (run.created, run.updated, run.skipped) == (0, 0, 4)
    assert cleaned == []


def test_only_the_changed_item_is_cleaned(app, valley, tmp_path, cleaned):
    ingest_source(fixture_path(RSS2), valley)
    db.session.commit()
    cleaned.clear()
    run = ingest_source(changed_copy(tmp_path, "Back on the water", "Afloat again"), valley)
    db.session.commit()
    assert (run.created, run.updated, run.skipped) == (0, 1, 3)
    assert cleaned == ["Ferry «Søren» returns as the café on Pier 4 reopens"]
    assert "Afloat again" in ferry().body


def test_a_raw_change_that_cleans_to_the_same_story_records_no_revision(
    app, valley, tmp_path, cleaned
):
    ingest_source(fixture_path(RSS2), valley)
    db.session.commit()
    before, revisions = ferry().source_fingerprint, revision_count()
    # An extra category: the raw item differs, the story's fields do not.
    path = changed_copy(
        tmp_path, "<guid isPermaLink=\"false\">valley-ledger-2026-0001</guid>",
        "<guid isPermaLink=\"false\">valley-ledger-2026-0001</guid><category>Ferries</category>",
    )
    run = ingest_source(path, valley)
    db.session.commit()
    assert (run.updated, revision_count()) == (0, revisions)
    assert ferry().source_fingerprint != before
    cleaned.clear()
    ingest_source(path, valley)
    assert cleaned == []


def test_a_story_from_before_fingerprints_gets_one_without_a_revision(app, valley, cleaned):
    ingest_source(fixture_path(RSS2), valley)
    ferry().source_fingerprint = None
    db.session.commit()
    revisions = revision_count()
    cleaned.clear()
    run = ingest_source(fixture_path(RSS2), valley)
    db.session.commit()
    assert (run.updated, revision_count()) == (0, revisions)
    assert len(cleaned) == 1 and ferry().source_fingerprint is not None


def test_a_published_story_is_cleaned_only_when_its_item_changed(
    app, valley, tmp_path, cleaned
):
    ingest_source(fixture_path(RSS2), valley, publish=True)
    db.session.commit()
    cleaned.clear()
    ingest_source(fixture_path(RSS2), valley)
    assert cleaned == []
    run = ingest_source(changed_copy(tmp_path, "Back on the water", "Afloat again"), valley)
    assert (run.updated, run.skipped, run.source_updates) == (0, 3, 1)
    assert cleaned == ["Ferry «Søren» returns as the café on Pier 4 reopens"]
    assert "Back on the water" in ferry().body  # compared, not applied


def test_the_fingerprint_covers_where_relative_links_resolve_from():
    document = fixture_bytes("lakeside_relative_rss.xml").replace(
        b"<link>https://lakeside-post.example/news/</link>", b""
    )
    one = read_feed(document, fallback_url="https://one.example/").sources[0]
    two = read_feed(document, fallback_url="https://two.example/").sources[0]
    assert one.link != two.link and one.fingerprint != two.fingerprint


def test_stories_created_in_one_batch_get_distinct_slugs(app, valley, make, tmp_path):
    make.article(headline="Council meets", slug="council-meets")
    items = "".join(
        f"<item><title>Council meets</title><link>https://valley-ledger.example/c/{n}</link>"
        f"<guid isPermaLink='false'>council-{n}</guid></item>"
        for n in range(3)
    )
    path = tmp_path / "council.xml"
    path.write_text(f"<rss version='2.0'><channel><title>t</title>{items}</channel></rss>")
    run = ingest_source(str(path), valley)
    db.session.commit()
    assert run.created == 3 and run.error is None
    slugs = db.session.scalars(select(Article.slug).where(Article.outlet_id == valley.id))
    assert sorted(slugs) == ["council-meets-2", "council-meets-3", "council-meets-4"]
