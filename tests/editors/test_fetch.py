"""The desk's "Fetch now": a queued job that ingests the outlet's feed; the page shows its state."""
import pytest
from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import Article, IngestRun, Job, JobStatus, Role
from tests.feed_server import serving_feed

pytest.importorskip("newsroom.syndication.ingest")


@pytest.fixture
def editor(login_as):
    return login_as(Role.EDITOR)


def run_worker(runner) -> str:
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    return result.output


def test_fetch_now_queues_then_shows_what_came_in(client, runner, editor, make):
    with serving_feed() as url:
        outlet = make.outlet("Saltmarsh Beacon", feed_url=url)
        db.session.commit()
        response = client.post(f"/editor/outlets/{outlet.id}/fetch", follow_redirects=True)
        assert "Fetch queued" in response.text  # the request did not wait for the feed
        assert db.session.scalars(select(IngestRun)).all() == []
        assert 'http-equiv="refresh"' in response.text
        run_worker(runner)
    page = client.get(f"/editor/outlets/{outlet.id}").text
    assert "Last fetch job finished" in page and "2 created, 0 updated, 0 skipped" in page
    assert 'http-equiv="refresh"' not in page
    latest = page[page.index("Latest fetch") : page.index("Recent fetches")]
    assert "Boardwalk over the reed beds reopens after winter repairs" in latest
    assert "Ferry between the marsh villages gains an evening crossing" in latest
    stories = db.session.scalars(select(Article).where(Article.outlet_id == outlet.id)).all()
    assert len(stories) == 2 and all(story.published_at is None for story in stories)
    assert all("<script" not in story.body and "onclick" not in story.body for story in stories)
    run = db.session.scalars(select(IngestRun)).one()
    assert (run.created, run.error) == (2, None)
    assert "2 new, 0 updated, 0 skipped" in client.get("/editor/outlets").text


def test_pressing_twice_before_the_worker_runs_queues_one_fetch(client, runner, editor, make):
    with serving_feed() as url:
        outlet = make.outlet("Saltmarsh Beacon", feed_url=url)
        db.session.commit()
        client.post(f"/editor/outlets/{outlet.id}/fetch")
        client.post(f"/editor/outlets/{outlet.id}/fetch")
        assert len(db.session.scalars(select(Job).where(Job.name == "fetch-outlet")).all()) == 1
        run_worker(runner)
        client.post(f"/editor/outlets/{outlet.id}/fetch")  # after it ran: a new one
        run_worker(runner)
    assert len(db.session.scalars(select(Article)).all()) == 2
    assert len(db.session.scalars(select(IngestRun)).all()) == 2


def test_fetch_failure_is_shown_and_nothing_written(client, runner, editor, make):
    with serving_feed(b"<html><body>Not a feed at all</body></html>", "text/html") as url:
        outlet = make.outlet("Broken", feed_url=url)
        db.session.commit()
        client.post(f"/editor/outlets/{outlet.id}/fetch")
        run_worker(runner)
    page = client.get(f"/editor/outlets/{outlet.id}").text
    assert "Failed:" in page
    assert db.session.scalars(select(Article)).all() == []
    run = db.session.scalars(select(IngestRun)).one()
    assert run.error
    # a bad feed is a recorded result, not a job failure to retry
    fetch = db.session.scalars(select(Job).where(Job.name == "fetch-outlet")).one()
    assert fetch.status is JobStatus.DONE


def test_an_outlet_without_a_feed_queues_nothing(client, editor, make):
    outlet = make.outlet("Paper only")
    db.session.commit()
    response = client.post(f"/editor/outlets/{outlet.id}/fetch", follow_redirects=True)
    assert "has no feed URL" in response.text
    assert db.session.scalars(select(Job)).all() == []
