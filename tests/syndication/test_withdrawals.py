"""Source withdrawals: the daily check of published syndicated stories' original URLs."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import Article, ArticleRevision, AuditEntry, utcnow
from newsroom.syndication import withdrawals
from tests.feed_server import FeedServer
from tests.helpers import run_due_jobs
from tests.syndication.conftest import fixture_path


def story(make, outlet, url: str, **fields) -> Article:
    fields.setdefault("feed_guid", f"guid-{uuid.uuid4()}")  # several stories may share a URL
    article = make.syndicated_article(outlet, original_url=url, **fields)
    db.session.commit()
    return article


def fresh(article: Article) -> Article:
    db.session.expire_all()
    return db.session.get(Article, article.id)


@pytest.mark.parametrize("status", [404, 410])
def test_a_gone_original_marks_the_story_source_withdrawn(app, make, valley, feed_server, status):
    article = story(make, valley, feed_server.route("/gone", status=status, body=b"gone"))
    run_due_jobs(app)
    article = fresh(article)
    assert article.withdrawn_at is not None and article.source_checked_at is not None
    assert article.published_at is not None  # the outlet does not unpublish automatically
    assert feed_server.methods == [("HEAD", "/gone")]  # HEAD was enough
    actions = db.session.scalars(
        select(ArticleRevision.action).where(ArticleRevision.article_id == article.id))
    assert withdrawals.WITHDRAWN_ACTION in list(actions)


def test_a_2xx_clears_the_mark_and_other_errors_change_nothing(app, make, valley, feed_server):
    was_gone = utcnow() - timedelta(days=3)
    back = story(make, valley, feed_server.route("/back", body=b"here"),
                 withdrawn_at=was_gone, source_checked_at=was_gone)
    broken = story(make, valley, feed_server.route("/broken", status=500, body=b"oops"),
                   withdrawn_at=was_gone, source_checked_at=was_gone)
    fine = story(make, valley, feed_server.route("/fine", status=503, body=b"busy"))
    run_due_jobs(app)
    assert fresh(back).withdrawn_at is None
    broken = fresh(broken)
    assert broken.withdrawn_at == was_gone and broken.source_checked_at > was_gone
    assert fresh(fine).withdrawn_at is None
    # a 5xx to HEAD is asked again with GET before giving up; the 2xx needed no GET
    assert ("GET", "/broken") in feed_server.methods and ("GET", "/back") not in feed_server.methods


def test_a_server_refusing_head_is_asked_with_get(app, make, valley, feed_server):
    article = story(make, valley, feed_server.route("/no-head", status=404, head_status=405))
    run_due_jobs(app)
    assert fresh(article).withdrawn_at is not None
    assert feed_server.methods == [("HEAD", "/no-head"), ("GET", "/no-head")]


def test_auto_unpublish_takes_a_public_story_down_with_a_note(app, client, make, valley,
                                                             feed_server):
    valley.auto_unpublish_withdrawn = True
    article = story(make, valley, feed_server.route("/gone", status=410))
    assert client.get(f"/articles/{article.slug}").status_code == 200
    run_due_jobs(app)
    article = fresh(article)
    assert article.published_at is None and article.withdrawn_notice is True
    response = client.get(f"/articles/{article.slug}")
    assert response.status_code == 410
    assert "This story was withdrawn by its original publisher." in response.text
    audit = db.session.scalars(select(AuditEntry.action)).all()
    assert "unpublish-withdrawn" in audit


def test_republishing_drops_the_note(app, make, valley, feed_server, login_as, client):
    from newsroom.models import Role

    valley.auto_unpublish_withdrawn = True
    article = story(make, valley, feed_server.route("/gone", status=404))
    run_due_jobs(app)
    login_as(Role.EDITOR)
    client.post(f"/editor/articles/{article.id}/publish")
    assert fresh(article).withdrawn_notice is False and fresh(article).published_at is not None


def test_only_published_stories_are_checked_at_most_daily_and_in_bounded_runs(
    app, make, valley, feed_server, monkeypatch
):
    url = feed_server.route("/page", body=b"here")
    story(make, valley, url, published=False)  # a draft is not checked
    story(make, valley, url, published=utcnow() + timedelta(days=1))  # nor a scheduled one
    story(make, valley, url, source_checked_at=utcnow() - timedelta(hours=2))  # checked today
    due = [story(make, valley, url) for _ in range(3)]
    monkeypatch.setattr(withdrawals, "CHECKS_PER_RUN", 2)
    run_due_jobs(app)
    assert len(feed_server.methods) == 2  # one run, bounded
    checked = [fresh(article).source_checked_at for article in due]
    assert sum(when is not None for when in checked) == 2


def test_the_check_goes_through_the_guard(app, make, valley):
    """Without the test switch, the guarded client refuses 127.0.0.1: nothing is marked."""
    # Any port: the refusal must come from the address rule, not the server's odd port.
    app.config["SYNDICATION_ALLOWED_PORTS"] = frozenset()
    assert app.config["SYNDICATION_ALLOW_PRIVATE_NETWORKS"] is False
    with FeedServer() as server:  # private addresses stay refused (no allow_private_fetches)
        article = story(make, valley, server.route("/gone", status=404))
        run_due_jobs(app)
        assert server.methods == []
    article = fresh(article)
    assert article.withdrawn_at is None and article.source_checked_at is not None


def test_ingest_prints_the_outlets_withdrawn_stories(runner, make, valley):
    make.syndicated_article(valley, withdrawn_at=utcnow())
    db.session.commit()
    result = runner.invoke(args=["syndication", "ingest", fixture_path("valley_ledger_rss2.xml"),
                                 "--outlet", "Valley Ledger"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "3 created, 0 updated, 1 skipped, 1 source withdrawn?"


def test_refresh_prints_withdrawals_beside_the_counts(runner, make, valley, feed_server):
    valley.feed_url = feed_server.route(
        "/feed.xml", body=open(fixture_path("valley_ledger_rss2.xml"), "rb").read(),
        headers={"Content-Type": "application/rss+xml"})
    make.syndicated_article(valley, withdrawn_at=utcnow())
    make.syndicated_article(valley, withdrawn_at=utcnow())
    db.session.commit()
    result = runner.invoke(args=["syndication", "refresh"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "Valley Ledger: 3 created, 0 updated, 1 skipped, 2 source withdrawn?")
