"""Following the source: a published or scheduled story's changed item waits as a source update."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import Article, ArticleRevision, SourceUpdate, SourceUpdateStatus, utcnow
from newsroom.syndication.ingest import ingest_source
from newsroom.syndication.updates import NotPending, apply_source_update, pending_update
from tests.syndication.conftest import fixture_bytes, fixture_path

RSS2 = "valley_ledger_rss2.xml"
FERRY_GUID = "valley-ledger-2026-0001"
OLD_HEADLINE = "Ferry «Søren» returns as the café on Pier 4 reopens"
NEW_HEADLINE = "Ferry «Søren» is back as the café on Pier 4 reopens"


def ferry() -> Article:
    return db.session.scalars(select(Article).where(Article.feed_guid == FERRY_GUID)).one()


def updates() -> list[SourceUpdate]:
    return list(db.session.scalars(select(SourceUpdate).order_by(SourceUpdate.id)))


def actions(article: Article) -> list[str]:
    query = select(ArticleRevision.action).where(ArticleRevision.article_id == article.id)
    return list(db.session.scalars(query.order_by(ArticleRevision.id)))


def changed_copy(tmp_path, old: str, new: str, name: str = "changed.xml") -> str:
    text = fixture_bytes(RSS2).decode()
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return str(path)


def retitled(tmp_path, name: str = "changed.xml") -> str:
    return changed_copy(tmp_path, "Ferry «Søren» returns as", "Ferry «Søren» is back as", name)


@pytest.fixture
def published(app, valley):
    """Our RSS fixture ingested and published; the ferry story is the one that will change."""
    ingest_source(fixture_path(RSS2), valley, publish=True)
    db.session.commit()
    return ferry()


@pytest.mark.parametrize(
    "when", [timedelta(hours=-1), timedelta(days=1)], ids=["published", "scheduled"]
)
def test_a_change_to_a_published_story_waits_as_a_source_update(app, valley, tmp_path, when):
    ingest_source(fixture_path(RSS2), valley)
    story = ferry()
    story.published_at = utcnow() + when
    db.session.commit()
    run = ingest_source(retitled(tmp_path), valley)
    db.session.commit()
    assert (run.created, run.updated, run.skipped) == (0, 0, 3)
    assert (run.source_updates, run.source_updates_applied) == (1, 0)
    assert story.headline == OLD_HEADLINE
    [update] = updates()
    assert update.article == story and update.status == SourceUpdateStatus.PENDING
    assert update.proposed["headline"] == NEW_HEADLINE
    assert pending_update(story) == update
    assert actions(story) == ["ingested"]


def test_the_same_change_fetched_again_is_not_recorded_twice(published, valley, tmp_path):
    path = retitled(tmp_path)
    ingest_source(path, valley)
    db.session.commit()
    again = ingest_source(path, valley)
    db.session.commit()
    assert (again.skipped, again.source_updates) == (4, 0)
    assert len(updates()) == 1


def test_a_newer_change_replaces_the_pending_one(published, valley, tmp_path):
    ingest_source(retitled(tmp_path), valley)
    db.session.commit()
    newer = changed_copy(tmp_path, "Ferry «Søren» returns as", "Ferry «Søren» sails again as",
                         "newer.xml")
    ingest_source(newer, valley)
    db.session.commit()
    first, second = updates()
    assert first.status == SourceUpdateStatus.SUPERSEDED
    assert second.status == SourceUpdateStatus.PENDING
    assert second.proposed["headline"].startswith("Ferry «Søren» sails again as")
    with pytest.raises(NotPending):
        apply_source_update(first, None)


def test_an_editor_applies_the_update_as_a_recorded_revision(published, valley, make, tmp_path):
    editor = make.user()
    ingest_source(retitled(tmp_path), valley)
    db.session.commit()
    [update] = updates()
    revision = apply_source_update(update, editor)
    db.session.commit()
    assert published.headline == NEW_HEADLINE
    assert revision.user == editor and revision.action == "source update applied"
    assert revision.changes == {"headline": [OLD_HEADLINE, NEW_HEADLINE]}
    assert update.status == SourceUpdateStatus.APPLIED and update.applied_by == editor
    assert update.applied_at is not None and pending_update(published) is None
    with pytest.raises(NotPending, match="applied, not pending"):
        apply_source_update(update, editor)


def test_the_outlet_can_apply_updates_to_stories_nobody_edited(published, valley, tmp_path):
    valley.auto_apply_source_updates = True
    db.session.commit()
    run = ingest_source(retitled(tmp_path), valley)
    db.session.commit()
    assert (run.source_updates, run.source_updates_applied) == (1, 1)
    assert published.headline == NEW_HEADLINE
    assert actions(published) == ["ingested", "source update auto-applied"]
    assert updates()[0].status == SourceUpdateStatus.APPLIED


def test_an_edited_story_is_never_updated_automatically(published, valley, tmp_path):
    valley.auto_apply_source_updates = True
    published.edited_by_staff = True
    db.session.commit()
    run = ingest_source(retitled(tmp_path), valley)
    db.session.commit()
    assert (run.source_updates, run.source_updates_applied) == (1, 0)
    assert published.headline == OLD_HEADLINE
    assert updates()[0].status == SourceUpdateStatus.PENDING


def test_a_change_outside_the_content_is_no_source_update(published, valley, tmp_path):
    path = changed_copy(
        tmp_path, '<guid isPermaLink="false">valley-ledger-2026-0001</guid>',
        '<guid isPermaLink="false">valley-ledger-2026-0001</guid><category>Ferries</category>',
    )
    run = ingest_source(path, valley)
    db.session.commit()
    assert (run.skipped, run.source_updates) == (4, 0) and updates() == []


def test_a_story_from_before_content_fingerprints_is_compared_with_itself(
    published, valley, tmp_path
):
    published.source_content_fingerprint = None
    published.source_fingerprint = None
    db.session.commit()
    run = ingest_source(fixture_path(RSS2), valley)
    db.session.commit()
    assert run.source_updates == 0 and published.source_content_fingerprint is not None
    run = ingest_source(retitled(tmp_path), valley)
    assert run.source_updates == 1


def test_ingest_and_refresh_print_source_update_counts(
    runner, published, valley, feed_server, tmp_path
):
    result = runner.invoke(args=["syndication", "ingest", retitled(tmp_path), "--outlet",
                                 "Valley Ledger"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        "0 created, 0 updated, 3 skipped, 1 source update (0 applied, 1 pending)"
    )
    newer = changed_copy(tmp_path, "Night market returns", "Night market is back", "n.xml")
    valley.feed_url = feed_server.route("/vl.xml", body=open(newer, "rb").read())
    valley.auto_apply_source_updates = True
    db.session.commit()
    result = runner.invoke(args=["syndication", "refresh"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Valley Ledger: 0 created, 0 updated, 2 skipped, 2 source updates (2 applied, 0 pending)"
    ]
