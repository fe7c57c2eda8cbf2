"""The job queue: huey built from the app's settings, and the outbox's after-commit push."""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, Callable

from flask import Flask, current_app
from huey import PriorityRedisHuey, SqliteHuey, crontab
from huey.api import Huey
from sqlalchemy import event
from sqlalchemy.orm import Session

from newsroom.extensions import db
from newsroom.models import Job, utcnow

log = logging.getLogger(__name__)

#: Job name → the function that does it; it gets the payload and returns a line for the record.
HANDLERS: dict[str, Callable[[dict[str, Any]], str | None]] = {}
#: Where a session keeps the (job id, delay) pairs to push once it commits.
_TO_PUSH = "newsroom.jobs.to_push"
_STATE = "newsroom.jobs"


def handler(name: str):
    """Register the function that runs jobs called ``name``."""

    def register(function):
        HANDLERS[name] = function
        return function

    return register


def enqueue(name: str, payload: dict[str, Any] | None = None, *, key: str | None = None,
            delay: float = 0) -> Job:
    """Add a job to the session; it reaches the workers only if the transaction commits."""
    if name not in HANDLERS:
        raise LookupError(f"no job handler called {name!r}")
    job = Job(name=name, key=key, payload=payload or {},
              run_after=utcnow() + timedelta(seconds=delay))
    db.session.add(job)
    db.session.flush()
    push_after_commit(job.id, delay)
    return job


def push_after_commit(job_id: int, delay: float = 0) -> None:
    """Push ``job_id`` to huey when the current transaction commits; forget it on rollback."""
    db.session.info.setdefault(_TO_PUSH, []).append((job_id, delay))


@event.listens_for(Session, "after_commit")
def _push_committed(session: Session) -> None:
    waiting = session.info.pop(_TO_PUSH, None)
    if waiting:
        for job_id, delay in waiting:
            current_app.extensions[_STATE].push(job_id, delay)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(_TO_PUSH, None)


class JobQueue:
    """Created unbound; ``init_app`` gives each app its huey, built when first needed."""

    def init_app(self, app: Flask) -> None:
        from newsroom.jobs import tasks  # noqa: F401  (the handlers register on import)

        app.extensions[_STATE] = _AppQueue(app)

    def huey(self) -> Huey:
        """The current app's huey instance."""
        return current_app.extensions[_STATE].huey

    def push(self, job_id: int, delay: float = 0) -> None:
        current_app.extensions[_STATE].push(job_id, delay)


class _AppQueue:
    """One app's huey with its two tasks: run a job by id, and the once-a-minute tick."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._huey: Huey | None = None

    @property
    def huey(self) -> Huey:
        if self._huey is None:
            self._huey = self._build()
        return self._huey

    def flush_if_built(self) -> None:
        """Empty this app's queue storage (tests), without creating it when it was never used."""
        if self._huey is not None:
            self._huey.flush()

    def push(self, job_id: int, delay: float = 0) -> None:
        """Hand a job id to huey; if that fails the sweep pushes it again later."""
        try:
            self.huey  # builds the tasks on first use
            if delay > 0:
                self.run_task.schedule(args=(job_id,), delay=delay)
            else:
                self.run_task(job_id)
        except Exception as error:  # Redis or the queue file unavailable: the row stays pending
            log.warning("job %s not pushed to the queue (%s); the sweep will retry",
                        job_id, type(error).__name__)

    def _build(self) -> Huey:
        config = self.app.config
        name = config["JOBS_QUEUE_NAME"]
        if config["REDIS_URL"]:
            huey = PriorityRedisHuey(name, url=config["REDIS_URL"], results=False, utc=True)
        else:
            huey = SqliteHuey(name, filename=config["JOBS_SQLITE_PATH"], results=False, utc=True)
        app = self.app

        @huey.task(name="run_job")
        def run_job(job_id: int) -> bool:
            from newsroom.jobs.runner import run_job as run

            with app.app_context():
                return run(job_id)

        @huey.periodic_task(crontab(minute="*"), name="tick")
        def tick() -> None:
            from newsroom.jobs.runner import tick as run_tick

            with app.app_context():
                run_tick()

        self.run_task, self.tick_task = run_job, tick
        return huey
