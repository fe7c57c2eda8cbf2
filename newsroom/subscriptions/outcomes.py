"""The statement of reasons: one message telling a reporter what was decided, and why.

A reader who left an email with a report gets one message when a moderator resolves it (kept,
or removed), queued in the resolving transaction and sent after it commits. Like every
reader-facing message it carries the address's one-click "stop all emails" link (RFC 8058),
and an address that asked for no more mail gets none. Once the message is out, the report
forgets the address.
"""
from __future__ import annotations

from markupsafe import Markup

from newsroom.comments.reports import reports_resolved
from newsroom.extensions import db
from newsroom.jobs import enqueue, handler
from newsroom.mail import enabled, site_url
from newsroom.mail.sending import Outgoing, postbox
from newsroom.models import CommentReport, CommentStatus, ReportOutcome
from newsroom.subscriptions.service import subscriber_for

REPORT_OUTCOME = "report-outcome"
#: The reasons as the reporter chose them, for the message.
REASON_WORDS = {"spam": "spam or advertising", "abuse": "abusive, harassing or hateful",
                "off-topic": "off-topic", "illegal": "illegal content", "other": "something else"}


@reports_resolved.connect
def queue_outcome_mail(reports: list[CommentReport]) -> None:
    """Queue the statement of reasons for each resolved report that left an address."""
    if not enabled():  # it can never be sent: keep no address for it
        for report in reports:
            report.email = None
        return
    for report in reports:
        if report.email:
            comment = report.comment
            article = comment.article if comment is not None else None
            enqueue(REPORT_OUTCOME, {
                "report_id": report.id,
                "headline": article.headline if article else "",
                "slug": article.slug if article else "",
            }, key=f"report:{report.id}")


@handler(REPORT_OUTCOME)
def send_outcome(payload: dict) -> str:
    """The one message about one report; then the report keeps no address."""
    report = db.session.get(CommentReport, payload["report_id"])
    if report is None or not report.email or report.resolution is None:
        return "nothing to send: no address, or the report is not resolved"
    subscriber = subscriber_for(report.email)
    db.session.commit()  # the subscriber's token must outlive this job for its link to work
    if subscriber.unsubscribed_at is not None:
        outcome = "not sent: the address asked for no more mail"
    else:
        with postbox() as post:
            outcome = post.deliver(_message(report, subscriber, payload))
    report.email = None
    db.session.commit()
    return outcome


def _message(report: CommentReport, subscriber, payload: dict) -> Outgoing:
    comment = report.comment
    kept = report.resolution is ReportOutcome.KEPT
    shown = kept and comment is not None and comment.status is CommentStatus.APPROVED
    unsubscribe = site_url("subscriptions.unsubscribe", token=subscriber.token)
    context = {
        "kept": kept,
        "headline": payload.get("headline") or "",
        "reason": REASON_WORDS.get(report.reason.value, report.reason.value),
        "reported_at": report.created_at,
        "decision_reason": report.resolution_reason,
        # Bandit B704 judged safe: a sanitised comment body, made plain by striptags().
        "comment_text": Markup(comment.body).striptags()[:300] if comment else "",  # nosec B704
        "comment_url": site_url("readers.article", anchor=f"comment-{comment.id}",
                                slug=payload["slug"]) if shown and payload.get("slug") else None,
        "unsubscribe_all_url": unsubscribe, "unsubscribe_thread_url": None,
    }
    subject = ("The comment you reported stays up" if kept
               else "The comment you reported was removed")
    return Outgoing(key=f"report-outcome:{report.id}", kind="report_outcome", to=report.email,
                    subject=subject, context=context, unsubscribe_url=unsubscribe)
