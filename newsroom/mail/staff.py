"""Mail to staff: the moderators' digest of the pending queue, and editors' failed-fetch alert.

The settings are columns on the user (``digest_minutes``, ``alert_failed_fetches``,
``alert_illegal_reports``), set on the profile page. Staff messages carry no commenter's address.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, or_, select

from newsroom.extensions import db
from newsroom.jobs import enqueue, handler
from newsroom.mail import enabled, site_url
from newsroom.mail.sending import Outgoing, postbox
from newsroom.models import Comment, CommentStatus, IngestRun, Outlet, Role, User, utcnow
from newsroom.moderation.actions import excerpt

SEND_DIGEST, FETCH_ALERT = "send-digest", "fetch-failed-alert"
DIGEST_ROLES = (Role.ADMIN, Role.MODERATOR, Role.EDITOR)
DIGEST_ITEMS = 10
#: An alert goes when an outlet's feed has failed this many fetches in a row.
FAILURES_IN_A_ROW = 3


def queue_due_digests(now: datetime, waiting: set[str]) -> None:
    """Enqueue a digest for each member of staff whose interval has passed since the last look."""
    if not enabled():
        return
    users = db.session.scalars(
        select(User).where(User.active.is_(True), User.digest_minutes > 0,
                           User.role.in_(DIGEST_ROLES))
    )
    for user in users:
        last = user.digest_checked_at
        if last is not None and last > now - timedelta(minutes=user.digest_minutes):
            continue
        if f"digest:{user.id}" not in waiting:
            # the minute it fell due names the message: two workers' ticks send one digest
            enqueue(SEND_DIGEST, {"user_id": user.id, "minute": int(now.timestamp() // 60)},
                    key=f"digest:{user.id}")


@handler(SEND_DIGEST)
def send_digest(payload: dict) -> str:
    """The pending queue's size and its oldest comments, if there are any."""
    user = db.session.get(User, payload["user_id"])
    if user is None or not user.active or user.digest_minutes <= 0:
        return "nothing to send: the digest was turned off"
    now = utcnow()
    user.digest_checked_at = now
    pending = db.session.scalar(select(func.count()).select_from(Comment)
                                .where(Comment.status == CommentStatus.PENDING))
    db.session.commit()
    if not pending:
        return "the queue is empty: no digest"
    oldest = db.session.scalars(
        select(Comment).where(Comment.status == CommentStatus.PENDING)
        .order_by(Comment.created_at, Comment.id).limit(DIGEST_ITEMS)
    ).all()
    items = [{"author": c.author_name, "headline": c.article.headline, "text": excerpt(c.body, 160),
              "created_at": c.created_at} for c in oldest]
    message = Outgoing(
        key=f"digest:{user.id}:{payload['minute']}", kind="digest", to=user.email,
        subject=f"{pending} comment{'s' if pending != 1 else ''} waiting for moderation",
        context={"pending": pending, "items": items, "every": user.digest_minutes,
                 "queue_url": site_url("moderation.queue")},
    )
    with postbox() as post:
        return post.deliver(message)


def failed_fetch(outlet: Outlet) -> None:
    """After a failed fetch: queue the editors' alert when it is the third failure in a row."""
    if not enabled():
        return
    recent = db.session.scalars(
        select(IngestRun.error).where(IngestRun.outlet_id == outlet.id)
        .order_by(IngestRun.started_at.desc(), IngestRun.id.desc()).limit(FAILURES_IN_A_ROW + 1)
    ).all()
    streak = recent[:FAILURES_IN_A_ROW]
    if len(streak) == FAILURES_IN_A_ROW and all(streak) and (
            len(recent) == FAILURES_IN_A_ROW or not recent[-1]):
        enqueue(FETCH_ALERT, {"outlet_id": outlet.id, "error": streak[0]})


@handler(FETCH_ALERT)
def send_fetch_alert(payload: dict) -> str:
    """Tell the editors who asked that an outlet's feed keeps failing."""
    outlet = db.session.get(Outlet, payload["outlet_id"])
    if outlet is None:
        return "nothing to send: the outlet is gone"
    editors = db.session.scalars(
        select(User).where(User.active.is_(True), User.alert_failed_fetches.is_(True),
                           or_(User.role == Role.EDITOR, User.role == Role.ADMIN))
        .order_by(User.id)
    ).all()
    last_run = db.session.scalar(select(func.max(IngestRun.id))
                                 .where(IngestRun.outlet_id == outlet.id))
    context = {"outlet": outlet.name, "error": payload["error"], "times": FAILURES_IN_A_ROW,
               "outlet_url": site_url("editors.outlet", outlet_id=outlet.id)}
    messages = [
        Outgoing(key=f"fetch-alert:{last_run}:{user.id}", kind="fetch_failed", to=user.email,
                 subject=f"The feed of {outlet.name} has failed {FAILURES_IN_A_ROW} times in a row",
                 context=context)
        for user in editors
    ]
    with postbox() as post:
        outcomes = [post.deliver(message) for message in messages]
    return f"{outcomes.count('sent')} sent, {len(outcomes)} editor(s)"

