"""The job queue: huey built from the app's settings, carrying job ids to the runner."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from flask import Flask, current_app

from newsroom.jobs import runner
from newsroom.jobs.registry import STATE as _STATE

if TYPE_CHECKING:
    from huey.api import Huey

log = logging.getLogger(__name__)


class JobQueue:
    """Created unbound; ``init_app`` gives each app its huey, built when first needed."""

    def init_app(self, app: Flask) -> None:
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
        # huey (and redis-py under it) imported when the queue is first used, not at start-up.
        from huey import PriorityRedisHuey, SqliteHuey, crontab

        config = self.app.config
        name = config["JOBS_QUEUE_NAME"]
        if config["REDIS_URL"]:
            huey = PriorityRedisHuey(name, url=config["REDIS_URL"], results=False, utc=True)
        else:
            huey = SqliteHuey(name, filename=config["JOBS_SQLITE_PATH"], results=False, utc=True)
        app = self.app

        @huey.task(name="run_job")
        def run_job(job_id: int) -> bool:
            with app.app_context():
                return runner.run_job(job_id)

        @huey.periodic_task(crontab(minute="*"), name="tick")
        def tick() -> None:
            with app.app_context():
                runner.tick()

        self.run_task, self.tick_task = run_job, tick
        return huey
