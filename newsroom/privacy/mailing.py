"""A commenter's mail data: their subscriptions, the reports they left an address on, the
messages sent to them. Exported with the rest of their data, erased with it.

The subscriber row (and with it every subscription) is deleted; a report keeps its reason and
words for the desk's record but loses the address; the sent-markers of messages to it (keyed
by its hash, with any development-outbox copy) are deleted too. A job still queued for the
address then finds no subscriber and no report address, and sends nothing.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update

from newsroom.comments.identity import email_digest
from newsroom.extensions import db
from newsroom.models import CommentReport, MailRecord, Subscriber


def _subscriber(email: str) -> Subscriber | None:
    return db.session.scalar(select(Subscriber).where(Subscriber.email == email))


def _reports(email: str) -> list[CommentReport]:
    return list(db.session.scalars(
        select(CommentReport).where(CommentReport.email == email).order_by(CommentReport.id)
    ))


def _mail(email: str) -> list[MailRecord]:
    return list(db.session.scalars(
        select(MailRecord).where(MailRecord.recipient_hmac == email_digest(email))
        .order_by(MailRecord.id)
    ))


def mailing_export(email: str) -> dict[str, Any]:
    """The address's subscriptions, reports and messages; empty lists when there are none."""
    subscriber = _subscriber(email)
    return {
        "subscriber": None if subscriber is None else {
            "created_at": _iso(subscriber.created_at),
            "confirmed_at": _iso(subscriber.confirmed_at),
            "unsubscribed_at": _iso(subscriber.unsubscribed_at),
            "subscriptions": [
                {"comment_id": subscription.comment_id, "created_at": _iso(subscription.created_at),
                 "ended_at": _iso(subscription.ended_at)}
                for subscription in subscriber.subscriptions
            ],
        },
        "reports": [
            {"comment_id": report.comment_id, "reason": report.reason.value,
             "details": report.details, "created_at": _iso(report.created_at),
             "resolution": report.resolution.value if report.resolution else None,
             "resolved_at": _iso(report.resolved_at)}
            for report in _reports(email)
        ],
        "messages": [
            {"kind": record.kind, "status": record.status.value,
             "created_at": _iso(record.created_at), "subject": record.subject}
            for record in _mail(email)
        ],
    }


def has_mailing(email: str) -> bool:
    data = mailing_export(email)
    return bool(data["subscriber"] or data["reports"] or data["messages"])


def erase_mailing(email: str) -> dict[str, int]:
    """Remove the address from the mail tables; how many rows of each changed. No commit."""
    subscriber = _subscriber(email)
    subscriptions = len(subscriber.subscriptions) if subscriber is not None else 0
    if subscriber is not None:
        db.session.delete(subscriber)  # its subscriptions go with it
    reports = db.session.execute(
        update(CommentReport).where(CommentReport.email == email).values(email=None)
        .execution_options(synchronize_session=False)
    ).rowcount or 0
    messages = db.session.execute(
        delete(MailRecord).where(MailRecord.recipient_hmac == email_digest(email))
        .execution_options(synchronize_session=False)
    ).rowcount or 0
    return {"subscribers": int(subscriber is not None), "subscriptions": subscriptions,
            "report_addresses": reports, "messages": messages}


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None
