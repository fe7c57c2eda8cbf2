"""``flask --app wsgi worker [--burst]``: run background jobs until stopped, or what is due."""
from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run what is queued or due, then exit.")
@click.option("--threads", type=click.IntRange(min=1), default=None,
              help="Jobs run at once (default: JOBS_WORKER_THREADS).")
@with_appcontext
def worker_command(burst: bool, threads: int | None) -> None:
    """Run background jobs (mail, feed fetches, periodic tasks) until stopped."""
    from newsroom.jobs import queue, runner

    _log_to_stderr()
    if burst:
        ran = runner.burst(queue.huey())
        click.echo(f"Ran {ran} job(s); nothing else is due.")
        return
    runner.tick()  # at once: free jobs a stopped worker left running, push what is due
    consumer = queue.huey().create_consumer(
        workers=threads or int(current_app.config["JOBS_WORKER_THREADS"]),
        periodic=True,
        worker_type="thread",
    )
    consumer.run()  # until SIGINT or SIGTERM; a running job finishes first


def _log_to_stderr() -> None:
    """The worker's INFO lines (which job ran, how long) on stderr, as an operator expects."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=logging.INFO,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
