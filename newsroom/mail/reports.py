"""The staff's alert for a report of illegal content: to whoever asked, at once, as a job.

Shaped like the failed-fetch alert (newsroom/mail/staff.py): the report's filing queues one
job in the same transaction; the job mails each member of staff with ``alert_illegal_reports``
a link to the Reported tab. The message carries the reader's words, never their address.
"""
from __future__ import annotations

from sqlalchemy import select

from newsroom.comments.reports import report_filed
from newsroom.extensions import db
from newsroom.jobs import enqueue, handler
from newsroom.mail import enabled, site_url
from newsroom.mail.sending import Outgoing, postbox
from newsroom.mail.staff import DIGEST_ROLES
from newsroom.models import CommentReport, ReportReason, User
from newsroom.moderation.actions import excerpt

ILLEGAL_ALERT = "illegal-report-alert"


@report_filed.connect
def queue_illegal_alert(report: CommentReport) -> None:
    """A report of illegal content was filed: queue the alert (sent after the commit)."""
    if enabled() and report.reason is ReportReason.ILLEGAL:
        enqueue(ILLEGAL_ALERT, {"report_id": report.id}, key=f"illegal-report:{report.id}")


@handler(ILLEGAL_ALERT)
def send_illegal_alert(payload: dict) -> str:
    """Tell the moderators and editors who asked that a comment was reported as illegal."""
    report = db.session.get(CommentReport, payload["report_id"])
    if report is None or report.comment is None:
        return "nothing to send: the report or its comment is gone"
    staff = db.session.scalars(
        select(User).where(User.active.is_(True), User.alert_illegal_reports.is_(True),
                           User.role.in_(DIGEST_ROLES))
        .order_by(User.id)
    ).all()
    comment = report.comment
    context = {
        "headline": comment.article.headline, "author": comment.author_name,
        "text": excerpt(comment.body, 300), "details": report.details,
        "reported_at": report.created_at,
        "reported_url": site_url("moderation.queue", status="reported"),
    }
    messages = [
        Outgoing(key=f"illegal-report:{report.id}:{user.id}", kind="illegal_report",
                 to=user.email, subject=f"A comment on “{context['headline']}” was reported "
                                        "as illegal content", context=context)
        for user in staff
    ]
    with postbox() as post:
        outcomes = [post.deliver(message) for message in messages]
    return f"{outcomes.count('sent')} sent, {len(outcomes)} member(s) of staff"
