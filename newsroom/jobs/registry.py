"""The outbox's names: job handlers, periodic schedulers, and ``enqueue`` with its after-commit push."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Callable

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from newsroom.extensions import db
from newsroom.models import Job, utcnow

#: Job name → the function that does it; it gets the payload and returns a line for the record.
HANDLERS: dict[str, Callable[[dict[str, Any]], str | None]] = {}
#: Where a session keeps the (job id, delay) pairs to push once it commits.
_TO_PUSH = "newsroom.jobs.to_push"
#: Where each app keeps its queue (see queue.py).
STATE = "newsroom.jobs"
#: Functions the once-a-minute tick calls with the time, to enqueue periodic jobs that are due.
PERIODIC: list[Callable[[datetime], None]] = []


def handler(name: str):
    """Register the function that runs jobs called ``name``."""

    def register(function):
        HANDLERS[name] = function
        return function

    return register


def periodic(function: Callable[[datetime], None]):
    """Register a function the tick calls every minute to enqueue the periodic jobs now due."""
    PERIODIC.append(function)
    return function


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
            current_app.extensions[STATE].push(job_id, delay)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(_TO_PUSH, None)
