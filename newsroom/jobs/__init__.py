"""Background jobs: rows in the ``jobs`` table (the outbox), carried to workers by huey.

``enqueue(name, payload)`` adds a job to the current transaction; it is pushed to huey only
once that transaction commits. ``flask --app wsgi worker`` runs them (see runner.py).
"""
from newsroom.jobs.queue import JobQueue
from newsroom.jobs.registry import enqueue, handler, periodic

queue = JobQueue()

__all__ = ["JobQueue", "enqueue", "handler", "periodic", "queue"]
