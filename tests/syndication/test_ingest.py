"""The ingest service: stories stored, de-duplicated, updated or left alone, drafts or published."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from newsroom.extensions import db
from newsroom.models import Article, ArticleRevision, IngestRun, utcnow
from newsroom.syndication import ingest as ingest_module
from newsroom.syndication.ingest import ingest_outlet, ingest_source, run_ingest
from tests.syndication.conftest import article_count, fixture_bytes, fixture_path

RSS2 = "valley_ledger_rss2.xml"
FERRY_GUID = "valley-ledger-2026-0001"
ORCHARD_URL = "https://valley-ledger.example/news/2026/orchard-open-day"


def by_guid(guid: str) -> Article:
    return db.session.scalars(select(Article).where(Article.feed_guid == guid)).one()


def by_url(url: str) -> Article:
    return db.session.scalars(select(Article).where(Article.original_url == url)).one()


def revisions(article: Article) -> list[ArticleRevision]:
    query = select(ArticleRevision).where(ArticleRevision.article_id == article.id)
    return list(db.session.scalars(query.order_by(ArticleRevision.id)))


def changed_copy(tmp_path, replacements: dict[str, str]) -> str:
    """A copy of our RSS 2.0 fixture with some text replaced (the original, later)."""
    text = fixture_bytes(RSS2).decode()
    for old, new in replacements.items():
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "changed.xml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_new_items_arrive_as_credited_drafts(app, valley):
    run = ingest_source(fixture_path(RSS2), valley)
    db.session.commit()
    assert (run.created, run.updated, run.skipped, run.error) == (3, 0, 1, None)
    assert run.started_at <= run.finished_at and not run.not_modified
    ferry = by_guid(FERRY_GUID)
    assert ferry.published_at is None and ferry.outlet == valley
    assert ferry.slug == "ferry-soren-returns-as-the-cafe-on-pier-4-reopens"
    assert ferry.headline == "Ferry «Søren» returns as the café on Pier 4 reopens"
    assert ferry.original_url == "https://valley-ledger.example/news/2026/ferry-soren-returns"
    assert ferry.original_author == ferry.byline == "Marta Łukasiewicz"
    assert ferry.original_published_at.isoformat() == "2026-11-03T07:30:00+00:00"
    assert ferry.original_updated_at.isoformat() == "2026-11-04T12:00:00+00:00"
    assert ferry.image_url == "https://cdn.valley-ledger.example/img/ferry-large.jpg"
    assert ferry.standfirst == "The ferry is back, and so is the café’s smørrebrød."
    assert "乗客の皆さん歓迎" in ferry.body and "<script" not in ferry.body
    assert not ferry.edited_by_staff
    [revision] = revisions(ferry)
    assert (revision.action, revision.user_id, revision.changes) == ("ingested", None, {})


def test_the_run_is_recorded_against_the_outlet(app, valley):
    ingest_source(fixture_path(RSS2), valley)
    db.session.commit()
    [run] = db.session.scalars(select(IngestRun)).all()
    assert run.outlet_id == valley.id and run.source == fixture_path(RSS2)


def test_items_without_a_link_are_skipped_with_a_warning(app, valley):
    report = run_ingest(valley, fixture_path(RSS2))
    db.session.commit()
    assert report.warnings == ["skipped “A notice with nowhere to link”: the item has no link"]
    unlinked = select(Article).where(Article.feed_guid == "valley-ledger-2026-0003")
    assert db.session.scalar(unlinked) is None


def test_ingesting_twice_never_duplicates(app, valley):
    ingest_source(fixture_path(RSS2), valley)
    db.session.commit()
    again = ingest_source(fixture_path(RSS2), valley)
    db.session.commit()
    assert (again.created, again.updated, again.skipped) == (0, 0, 4)
    assert article_count() == 3
    assert len(revisions(by_guid(FERRY_GUID))) == 1


def test_without_a_guid_the_original_url_identifies_the_story(app, valley, tmp_path):
    ingest_source(fixture_path(RSS2), valley)
    db.session.commit()
    changed = changed_copy(tmp_path, {"Bees, blossoms": "Bees, fresh blossoms"})
    run = ingest_source(changed, valley)
    db.session.commit()
    assert (run.created, run.updated) == (0, 1)
    assert "fresh blossoms" in by_url(ORCHARD_URL).body
    assert article_count() == 3


def test_the_guid_identifies_the_story_when_its_url_moves(app, valley, tmp_path):
    ingest_source(fixture_path(RSS2), valley)
    db.session.commit()
    moved = "https://valley-ledger.example/news/2026/ferry-soren-returns-v2"
    changed = changed_copy(
        tmp_path,
        {"<link>https://valley-ledger.example/news/2026/ferry-soren-returns<": f"<link>{moved}<"},
    )
    run = ingest_source(changed, valley)
    db.session.commit()
    assert (run.created, run.updated) == (0, 1)
    assert by_guid(FERRY_GUID).original_url == moved


def test_a_story_added_by_hand_is_matched_by_url_and_given_the_guid(app, valley, make):
    story = make.syndicated_article(
        valley,
        published=False,
        original_url="https://valley-ledger.example/news/2026/night-market",
        feed_guid=None,
        slug="night-market-by-hand",
    )
    db.session.commit()
    run = ingest_source(fixture_path(RSS2), valley)
    db.session.commit()
    assert (run.created, run.updated) == (2, 1)
    assert story.feed_guid == "valley-ledger-2026-0004" and story.slug == "night-market-by-hand"


def test_other_outlets_stories_are_not_matched(app, valley, make):
    make.syndicated_article(
        make.outlet(), original_url=ORCHARD_URL, feed_guid=FERRY_GUID, slug="elsewhere"
    )
    run = ingest_source(fixture_path(RSS2), valley)
    assert run.created == 3


def test_a_changed_original_updates_an_untouched_draft(app, valley, tmp_path):
    ingest_source(fixture_path(RSS2), valley)
    db.session.commit()
    ferry = by_guid(FERRY_GUID)
    slug, version = ferry.slug, ferry.version
    changed = changed_copy(
        tmp_path,
        {
            "Ferry «Søren» returns as": "Ferry «Søren» is back as",
            "2026-11-04T12:00:00Z": "2026-11-06T09:00:00Z",
        },
    )
    run = ingest_source(changed, valley)
    db.session.commit()
    assert (run.created, run.updated, run.skipped) == (0, 1, 3)
    assert ferry.headline == "Ferry «Søren» is back as the café on Pier 4 reopens"
    assert ferry.slug == slug and ferry.version == version + 1
    update = revisions(ferry)[-1]
    assert update.action == "ingest update" and update.user_id is None
    assert update.changes == {
        "headline": [
            "Ferry «Søren» returns as the café on Pier 4 reopens",
            "Ferry «Søren» is back as the café on Pier 4 reopens",
        ],
        "original_updated_at": ["2026-11-04T12:00:00+00:00", "2026-11-06T09:00:00+00:00"],
    }


@pytest.mark.parametrize(
    "touch, source_updates",
    [
        pytest.param(lambda a: setattr(a, "published_at", utcnow()), 1, id="published"),
        pytest.param(
            lambda a: setattr(a, "published_at", utcnow() + timedelta(days=1)), 1,
            id="scheduled",
        ),
        pytest.param(lambda a: setattr(a, "edited_by_staff", True), 0, id="edited"),
    ],
)
def test_a_published_or_edited_story_is_left_alone(
    app, valley, tmp_path, touch, source_updates
):
    """Published and scheduled stories get a pending source update instead (see
    test_source_updates.py); an edited draft is simply skipped."""
    ingest_source(fixture_path(RSS2), valley)
    ferry = by_guid(FERRY_GUID)
    touch(ferry)
    db.session.commit()
    changed = changed_copy(tmp_path, {"Back on the water": "Afloat again"})
    run = ingest_source(changed, valley)
    db.session.commit()
    assert (run.created, run.updated, run.skipped) == (0, 0, 4 - source_updates)
    assert run.source_updates == source_updates and run.source_updates_applied == 0
    assert "Back on the water" in ferry.body
    assert [r.action for r in revisions(ferry)] == ["ingested"]


def test_publish_flag_publishes_new_stories_now(app, valley):
    before = utcnow()
    ingest_source(fixture_path(RSS2), valley, publish=True)
    db.session.commit()
    ferry = by_guid(FERRY_GUID)
    assert before <= ferry.published_at <= utcnow()
    [revision] = revisions(ferry)
    assert revision.changes == {"published_at": [None, ferry.published_at.isoformat()]}


@pytest.mark.parametrize(
    "auto_publish, publish, published",
    [(True, None, True), (True, False, False), (False, None, False), (False, True, True)],
)
def test_the_outlets_auto_publish_switch(app, make, auto_publish, publish, published):
    outlet = make.outlet(auto_publish=auto_publish)
    ingest_source(fixture_path(RSS2), outlet, publish=publish)
    db.session.commit()
    states = {a.published_at is not None for a in db.session.scalars(select(Article))}
    assert states == {published}


def test_slugs_are_unique(app, valley, make):
    make.article("Night market returns", slug="night-market-returns")
    ingest_source(fixture_path(RSS2), valley)
    db.session.commit()
    assert by_guid("valley-ledger-2026-0004").slug == "night-market-returns-2"


def test_repeated_items_in_one_feed_make_one_story(app, valley, tmp_path):
    item = (
        "<item><title>{}</title><link>https://valley-ledger.example/once</link>"
        "<guid>https://valley-ledger.example/once</guid></item>"
    )
    path = tmp_path / "repeats.xml"
    path.write_text(
        f'<rss version="2.0"><channel><title>t</title>{item.format("First")}'
        f'{item.format("Second")}</channel></rss>'
    )
    run = ingest_source(str(path), valley)
    db.session.commit()
    assert (run.created, run.updated, run.skipped) == (1, 0, 1)
    assert by_url("https://valley-ledger.example/once").headline == "First"


def test_a_document_that_is_not_a_feed_writes_only_the_run(app, valley):
    valley.feed_etag = '"keep-me"'
    db.session.commit()
    run = ingest_source(fixture_path("not_a_feed.html"), valley)
    db.session.commit()
    assert run.error == "not a feed: no RSS or Atom document found (the document is <html>)"
    assert (run.created, run.updated, run.skipped) == (0, 0, 0)
    assert article_count() == 0 and valley.feed_etag == '"keep-me"'
    assert db.session.scalar(select(func.count()).select_from(ArticleRevision)) == 0
    assert db.session.scalar(select(func.count()).select_from(IngestRun)) == 1


@pytest.mark.parametrize(
    "source, message",
    [
        ("/no/such/feed.xml", "no such file: /no/such/feed.xml"),
        ("file:///etc/passwd", "not an http(s) URL or a file path: file:///etc/passwd"),
        ("ftp://files.example/feed.xml", "not an http(s) URL or a file path"),
    ],
)
def test_unusable_sources(app, valley, source, message):
    run = ingest_source(source, valley)
    assert message in run.error and article_count() == 0


def test_a_directory_is_not_a_feed_file(app, valley, tmp_path):
    assert ingest_source(str(tmp_path), valley).error == f"not a file: {tmp_path}"


def test_an_outlet_without_a_feed_url(app, valley):
    run = ingest_outlet(valley)
    assert run.error == "Valley Ledger has no feed URL" and run.source == ""


def test_a_failure_midway_leaves_no_story_behind(app, valley, monkeypatch):
    calls = []
    real_create = ingest_module._create

    def create_then_fail(*args):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return real_create(*args)

    monkeypatch.setattr(ingest_module, "_create", create_then_fail)
    report = run_ingest(valley, fixture_path(RSS2))
    db.session.commit()
    run = report.run
    assert run.error == "ingest failed: RuntimeError: disk on fire"
    assert (run.created, run.updated, run.skipped) == (0, 0, 0) and report.warnings == []
    assert article_count() == 0
    assert db.session.scalar(select(func.count()).select_from(ArticleRevision)) == 0
    assert db.session.get(IngestRun, run.id).error == run.error


def test_files_above_the_size_cap_are_refused(app, valley):
    app.config["SYNDICATION_MAX_FEED_BYTES"] = 1000
    run = ingest_source(fixture_path(RSS2), valley)
    assert run.error == "the feed is larger than 1,000 bytes" and article_count() == 0


def test_atom_and_rss1_fixtures(app, make):
    gazette = make.outlet("Northshore Gazette", homepage_url="https://northshore-gazette.example/")
    bulletin = make.outlet("Riverside Bulletin", homepage_url="https://riverside-bulletin.example/")
    assert ingest_source(fixture_path("northshore_atom.xml"), gazette).created == 3
    assert ingest_source(fixture_path("riverside_rss1.rdf"), bulletin).created == 2
    db.session.commit()
    log = by_guid("urn:uuid:6f1e5c1a-2b0c-4d8e-9a57-0c1e0a7c0101")
    assert log.slug == "κυματα-and-tides-the-lighthouse-log"
    assert 'src="https://northshore-gazette.example/stories/media/log-page.png"' in log.body
    assert by_url("https://riverside-bulletin.example/2026/choir").outlet == bulletin
