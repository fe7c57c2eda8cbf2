"""Running jobs: claim one, run its handler, record the result or schedule a retry; the sweep."""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from newsroom.extensions import db
from newsroom.jobs.registry import HANDLERS, PERIODIC, push_after_commit
from newsroom.models import Job, JobStatus, utcnow

log = logging.getLogger(__name__)

MAX_RETRY_SECONDS = 3600
MAX_ERROR = 2000
SWEEP_BATCH = 500


def run_job(job_id: int) -> bool:
    """Run job ``job_id`` if it is due and nobody else has it; False if there was nothing to do."""
    now = utcnow()
    claimed = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.PENDING, Job.run_after <= now)
        .values(status=JobStatus.RUNNING, started_at=now, attempts=Job.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if claimed.rowcount != 1:
        return False
    job = db.session.get(Job, job_id)
    name, payload = job.name, dict(job.payload)
    try:
        result = HANDLERS[name](payload)
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        _record_failure(job_id, error)
        return True
    _finish(job_id, JobStatus.DONE, result=result)
    return True


def _finish(job_id: int, status: JobStatus, **values) -> None:
    db.session.execute(
        update(Job).where(Job.id == job_id)
        .values(status=status, finished_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _record_failure(job_id: int, error: Exception) -> None:
    """Note the error; retry later (each wait twice the last) or give up after the last attempt."""
    job = db.session.get(Job, job_id)
    message = f"{type(error).__name__}: {error}"[:MAX_ERROR]
    # the message may name an address (an SMTP refusal): it goes to the admin page, not the log
    log.warning("job %s (%s) failed on attempt %s: %s", job_id, job.name, job.attempts,
                type(error).__name__)
    if job.attempts >= int(current_app.config["JOBS_MAX_ATTEMPTS"]):
        _finish(job_id, JobStatus.FAILED, error=message)
        return
    delay = retry_delay(job.attempts)
    job.status, job.error = JobStatus.PENDING, message
    job.run_after = utcnow() + timedelta(seconds=delay)
    push_after_commit(job_id, delay)
    db.session.commit()


def retry_delay(attempts: int) -> float:
    """Seconds before the next try after ``attempts`` failures: 30 s, 1 min, 2 min, … ≤ 1 h."""
    base = float(current_app.config["JOBS_RETRY_SECONDS"])
    return min(base * 2 ** (attempts - 1), MAX_RETRY_SECONDS)


def retry(job: Job) -> None:
    """Run a failed (or waiting) job again as soon as possible; the caller commits."""
    job.status, job.run_after, job.finished_at = JobStatus.PENDING, utcnow(), None
    push_after_commit(job.id)


def sweep(repush_after: float | None = None) -> int:
    """Free jobs whose worker died, and push again due jobs nobody picked up; how many pushed."""
    config, now = current_app.config, utcnow()
    lease = timedelta(seconds=float(config["JOBS_LEASE_SECONDS"]))
    if repush_after is None:
        repush_after = float(config["JOBS_REPUSH_SECONDS"])
    stale = db.session.scalars(
        select(Job.id).where(Job.status == JobStatus.RUNNING, Job.started_at < now - lease)
        .limit(SWEEP_BATCH)
    ).all()
    if stale:
        db.session.execute(
            update(Job).where(Job.id.in_(stale), Job.status == JobStatus.RUNNING)
            .values(status=JobStatus.PENDING, run_after=now,
                    error="interrupted: the worker stopped while running it")
            .execution_options(synchronize_session=False)
        )
    due = db.session.scalars(
        select(Job.id)
        .where(Job.status == JobStatus.PENDING,
               Job.run_after <= now - timedelta(seconds=repush_after))
        .order_by(Job.run_after)
        .limit(SWEEP_BATCH)
    ).all()
    for job_id in {*stale, *due}:
        push_after_commit(job_id)
    db.session.commit()
    return len({*stale, *due})


def tick(repush_after: float | None = None) -> None:
    """Once a minute: the sweep, then queue the periodic jobs that are due."""
    now = utcnow()
    for schedule in PERIODIC:
        schedule(now)
    db.session.commit()
    sweep(repush_after)


def burst(huey) -> int:
    """Run everything queued or due on ``huey``, periodic jobs included; how many jobs ran."""
    ran = 0
    tick(repush_after=0)
    while True:
        task = huey.dequeue()
        if task is None:
            due = huey.read_schedule()  # delayed tasks whose time has come
            if not due:
                return ran
            for scheduled in due:
                huey.enqueue(scheduled)
        elif task.name == "run_job":
            ran += bool(huey.execute(task))
