"""The desk's "Fetch now": ingest an outlet's feed and show what came in, or the error."""
import pytest
from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import Article, IngestRun, Role
from tests.feed_server import serving_feed

pytest.importorskip("newsroom.syndication.ingest")


@pytest.fixture
def editor(login_as):
    return login_as(Role.EDITOR)


def test_fetch_now_brings_in_drafts_and_shows_them(client, editor, make):
    with serving_feed() as url:
        outlet = make.outlet("Saltmarsh Beacon", feed_url=url)
        db.session.commit()
        response = client.post(f"/editor/outlets/{outlet.id}/fetch", follow_redirects=True)
    assert response.status_code == 200
    assert "Feed fetched: 2 new, 0 updated, 0 skipped." in response.text
    latest = response.text[
        response.text.index("Latest fetch") : response.text.index("Recent fetches")
    ]
    assert "Boardwalk over the reed beds reopens after winter repairs" in latest
    assert "Ferry between the marsh villages gains an evening crossing" in latest
    stories = db.session.scalars(select(Article).where(Article.outlet_id == outlet.id)).all()
    assert len(stories) == 2 and all(story.published_at is None for story in stories)
    assert all("<script" not in story.body and "onclick" not in story.body for story in stories)
    run = db.session.scalars(select(IngestRun)).one()
    assert (run.created, run.error) == (2, None)
    listing = client.get("/editor/outlets").text
    assert "2 new, 0 updated, 0 skipped" in listing


def test_fetch_again_creates_nothing_new(client, editor, make):
    with serving_feed() as url:
        outlet = make.outlet("Saltmarsh Beacon", feed_url=url)
        db.session.commit()
        client.post(f"/editor/outlets/{outlet.id}/fetch")
        client.post(f"/editor/outlets/{outlet.id}/fetch")
    assert len(db.session.scalars(select(Article)).all()) == 2
    assert len(db.session.scalars(select(IngestRun)).all()) == 2


def test_fetch_failure_is_shown_and_nothing_written(client, editor, make):
    with serving_feed(b"<html><body>Not a feed at all</body></html>", "text/html") as url:
        outlet = make.outlet("Broken", feed_url=url)
        db.session.commit()
        response = client.post(f"/editor/outlets/{outlet.id}/fetch", follow_redirects=True)
    assert "The feed could not be fetched:" in response.text
    assert db.session.scalars(select(Article)).all() == []
    run = db.session.scalars(select(IngestRun)).one()
    assert run.error
    assert "Failed:" in client.get(f"/editor/outlets/{outlet.id}").text
