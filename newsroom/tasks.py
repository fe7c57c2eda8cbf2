"""The jobs themselves (feed fetch, personal-data purge) and when the periodic ones are due.

Mail jobs live with what they send (newsroom/subscriptions/notices.py, newsroom/mail/staff.py).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from newsroom.extensions import db
from newsroom.jobs import enqueue, handler, periodic
from newsroom.mail.staff import failed_fetch, queue_due_digests
from newsroom.models import IngestRun, Job, JobStatus, Outlet, utcnow
from newsroom.privacy.service import audit, purge_old_data
from newsroom.syndication.cli import summary
from newsroom.syndication.ingest import ingest_outlet
from newsroom.syndication import expiry, withdrawals  # noqa: F401  (their jobs register)

FETCH_OUTLET = "fetch-outlet"
PURGE = "purge-personal-data"
PURGE_EVERY = timedelta(days=1)


def outlet_key(outlet_id: int) -> str:
    return f"outlet:{outlet_id}"


@handler(FETCH_OUTLET)
def fetch_outlet(payload: dict) -> str:
    """Fetch and ingest an outlet's feed (conditional GET); a bad feed is recorded, not raised."""
    outlet = db.session.get(Outlet, payload["outlet_id"])
    if outlet is None or not outlet.feed_url:
        return "nothing to fetch: the outlet or its feed URL is gone"
    run = ingest_outlet(outlet)
    db.session.commit()
    if run.error:
        failed_fetch(outlet)  # the editors' alert on the third failure in a row
    return summary(run)


@handler(PURGE)
def purge_personal_data(payload: dict) -> str:
    """``commenters purge-old-data`` on a schedule: clear old comments' IPs and user agents."""
    days = int(current_app.config["PERSONAL_DATA_RETENTION_DAYS"])
    now = utcnow()
    cleared = purge_old_data(days, now)
    audit("purge-old-data", f"comments older than {days} days", days=days, comments=cleared,
          before=(now - timedelta(days=days)).isoformat())
    return f"cleared the IP address and user agent of {cleared} comment(s) older than {days} days"


@periodic
def queue_due_periodic_jobs(now: datetime) -> None:
    """Enqueue each periodic job whose time has come and that is not already waiting."""
    waiting = set(db.session.scalars(
        select(Job.key).where(Job.status.in_((JobStatus.PENDING, JobStatus.RUNNING)),
                              Job.key.is_not(None))
    ))
    for outlet_id in _outlets_due(now):
        if outlet_key(outlet_id) not in waiting:
            enqueue(FETCH_OUTLET, {"outlet_id": outlet_id}, key=outlet_key(outlet_id))
    last_purge = db.session.scalar(select(func.max(Job.created_at)).where(Job.name == PURGE))
    if PURGE not in waiting and (last_purge is None or last_purge <= now - PURGE_EVERY):
        enqueue(PURGE, key=PURGE)
    queue_due_digests(now, waiting)


def _outlets_due(now: datetime) -> list[int]:
    """Outlets with a feed whose last fetch is older than their refresh interval (or never ran)."""
    last_run = (
        select(IngestRun.outlet_id, func.max(IngestRun.started_at).label("started_at"))
        .group_by(IngestRun.outlet_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Outlet.id, Outlet.refresh_minutes, last_run.c.started_at)
        .outerjoin(last_run, last_run.c.outlet_id == Outlet.id)
        .where(Outlet.feed_url.is_not(None), Outlet.feed_url != "", Outlet.refresh_minutes > 0)
    ).all()
    return [
        outlet_id for outlet_id, minutes, started in rows
        if started is None or started <= now - timedelta(minutes=minutes)
    ]
