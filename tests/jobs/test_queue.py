"""The outbox: a job reaches huey only once its transaction commits; retries; the sweep."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from newsroom.extensions import db
from newsroom.jobs import enqueue, handler, queue
from newsroom.jobs.runner import burst as run_burst
from newsroom.jobs.runner import run_job, sweep
from newsroom.models import Job, JobStatus, utcnow

CALLS: list[dict] = []


def burst() -> int:
    """Run everything queued or due on the test app's queue."""
    return run_burst(queue.huey())


@handler("test-record")
def record_call(payload: dict) -> str:
    CALLS.append(payload)
    return f"recorded {payload.get('n')}"


@handler("test-fail")
def always_fail(payload: dict) -> str:
    raise ValueError("the remote end said no")


@pytest.fixture(autouse=True)
def fresh_calls():
    CALLS.clear()


def queued_ids() -> list[int]:
    return [task.args[0] for task in queue.huey().pending()]


def test_a_committed_job_is_pushed_and_runs_once(app):
    job = enqueue("test-record", {"n": 1})
    assert queued_ids() == []  # not before the commit
    db.session.commit()
    assert queued_ids() == [job.id]
    assert burst() == 3  # this job, the daily purge and the hourly trash emptying, due at first
    assert CALLS == [{"n": 1}]
    job = db.session.get(Job, job.id)
    assert (job.status, job.attempts, job.result) == (JobStatus.DONE, 1, "recorded 1")
    assert run_job(job.id) is False  # done: a second push does nothing
    assert CALLS == [{"n": 1}]


def test_a_rolled_back_job_is_never_pushed(app):
    enqueue("test-record", {"n": 2})
    db.session.rollback()
    db.session.commit()
    assert queued_ids() == []
    assert db.session.scalars(select(Job)).all() == []
    burst()
    assert CALLS == []


def test_an_unknown_job_name_is_refused(app):
    with pytest.raises(LookupError):
        enqueue("no-such-job")


def test_a_failing_job_is_retried_with_growing_delays_then_failed(make_app):
    app = make_app(JOBS_MAX_ATTEMPTS=3, JOBS_RETRY_SECONDS=30)
    with app.app_context():
        job_id = enqueue("test-fail").id
        db.session.commit()
        delays = []
        for _ in range(3):
            db.session.execute(db.update(Job).where(Job.id == job_id).values(run_after=utcnow()))
            db.session.commit()
            started = utcnow()
            assert run_job(job_id) is True
            job = db.session.get(Job, job_id)
            db.session.refresh(job)
            delays.append(round((job.run_after - started).total_seconds()))
        assert job.status is JobStatus.FAILED and job.attempts == 3
        assert "ValueError: the remote end said no" in job.error
        assert delays[:2] == [30, 60]  # the retry waits double each time


def test_a_retry_waits_for_its_time(make_app):
    app = make_app(JOBS_MAX_ATTEMPTS=3, JOBS_RETRY_SECONDS=600)
    with app.app_context():
        job_id = enqueue("test-fail").id
        db.session.commit()
        burst()
        job = db.session.get(Job, job_id)
        assert job.status is JobStatus.PENDING and job.attempts == 1
        assert job.run_after > utcnow() + timedelta(seconds=500)
        assert burst() == 0  # not due yet: a burst leaves it alone
        assert db.session.get(Job, job_id).attempts == 1


def test_the_sweep_frees_a_job_whose_worker_died_and_pushes_it_again(make_app):
    app = make_app(JOBS_LEASE_SECONDS=60)
    with app.app_context():
        job = enqueue("test-record", {"n": 3})
        db.session.commit()
        queue.huey().flush()  # the worker took the message and was killed
        job.status, job.started_at = JobStatus.RUNNING, utcnow() - timedelta(minutes=5)
        db.session.commit()
        assert sweep() == 1
        assert queued_ids() == [job.id]
        burst()
        assert CALLS == [{"n": 3}]


def test_a_lost_push_is_found_by_the_sweep(app):
    job = enqueue("test-record", {"n": 4})
    db.session.commit()
    queue.huey().flush()  # e.g. Redis was down when it was pushed
    assert sweep() == 0  # due only a moment ago: give the first push its chance
    job.run_after = utcnow() - timedelta(minutes=5)
    db.session.commit()
    assert sweep() == 1
    burst()
    assert CALLS == [{"n": 4}]


def test_the_cli_burst_runs_periodic_jobs(app, runner, make):
    outlet = make.outlet(feed_url="https://feed.invalid/rss", refresh_minutes=30)
    manual = make.outlet(feed_url="https://manual.invalid/rss", refresh_minutes=0)
    db.session.commit()
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    jobs = db.session.scalars(select(Job)).all()
    assert sorted((job.name, job.key) for job in jobs) == [
        ("empty-trash", "empty-trash"), ("fetch-outlet", f"outlet:{outlet.id}"),
        ("purge-personal-data", "purge-personal-data")]
    assert all(job.status is JobStatus.DONE for job in jobs)
    assert f"outlet:{manual.id}" not in {job.key for job in jobs}
    runner.invoke(args=["worker", "--burst"])  # just fetched, purged today: nothing new
    assert len(db.session.scalars(select(Job)).all()) == 3
