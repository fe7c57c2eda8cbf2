"""Readers' reports of comments: filing one, hiding a much-reported comment, resolving them.

A reader is a browser (the keyed hash of its commenter cookie, newsroom/trust.py) and the
address it writes from (a keyed hash of the IP): one report per reader per comment, ever.
``COMMENT_REPORT_HIDE_THRESHOLD`` distinct readers' open reports hide an approved comment
from readers (``Comment.hidden_at``) until a moderator keeps or removes it. Every hiding and
every resolution is a recorded decision. Nothing here commits; nothing here sends mail: the
mail package listens to :data:`report_filed` and :data:`reports_resolved`.
"""
from __future__ import annotations

import hashlib
import hmac

from blinker import Namespace
from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from newsroom.comments.policy import normalise_ip
from newsroom.comments.records import Decision, record_decision
from newsroom.extensions import db
from newsroom.models import (
    Comment,
    CommentReport,
    CommentStatus,
    ReportOutcome,
    ReportReason,
    User,
    utcnow,
)

_signals = Namespace()
#: Sent with a new report after it is added (before the caller commits); the illegal-content
#: alert listens.
report_filed = _signals.signal("report-filed")
#: Sent with the list of reports just resolved (before the caller commits); the statement of
#: reasons listens.
reports_resolved = _signals.signal("reports-resolved")

#: The reasons that need the reader's own words.
NEEDS_DETAILS = (ReportReason.ILLEGAL, ReportReason.OTHER)


class AlreadyReported(Exception):
    """This reader has reported this comment before; nothing was stored."""


def ip_key(ip_address: str) -> str:
    """A keyed hash of a client address: links a reader's reports without keeping the IP."""
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else secret
    message = f"reporter-ip:{normalise_ip(ip_address)}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def hide_threshold() -> int:
    """How many distinct readers' open reports hide a comment; 0: never."""
    return max(int(current_app.config["COMMENT_REPORT_HIDE_THRESHOLD"]), 0)


def reportable(comment: Comment | None) -> bool:
    """Whether readers can report ``comment``: only what they can see."""
    return (comment is not None and comment.status is CommentStatus.APPROVED
            and comment.hidden_at is None)


def already_reported(comment: Comment, reporter_key: str, reporter_ip: str) -> bool:
    """Whether this browser, or anyone from this address, reported ``comment`` before."""
    return db.session.scalar(
        select(CommentReport.id).where(
            CommentReport.comment_id == comment.id,
            or_(CommentReport.reporter_key == reporter_key,
                CommentReport.reporter_ip == reporter_ip),
        ).limit(1)
    ) is not None


def file_report(comment: Comment, *, reason: ReportReason, details: str, email: str,
                reporter_key: str, ip_address: str) -> CommentReport:
    """Store one reader's report, hiding the comment if it reached the threshold.

    :raises AlreadyReported: this reader reported the comment before: nothing is stored (for
        two reports racing in at once, the session's transaction is rolled back).
    """
    reporter_ip = ip_key(ip_address)
    if already_reported(comment, reporter_key, reporter_ip):
        raise AlreadyReported()
    report = CommentReport(
        comment=comment, reason=reason, details=details, email=email.strip().lower() or None,
        reporter_key=reporter_key, reporter_ip=reporter_ip,
    )
    db.session.add(report)
    try:
        # Not a SAVEPOINT: under pysqlite, releasing one opened by the transaction's first
        # write commits it. The report is the request's first write, so a rollback is exact.
        db.session.flush()
    except IntegrityError:  # the same browser's second tab, at the same moment
        db.session.rollback()
        raise AlreadyReported() from None
    _hide_if_reported_enough(comment)
    report_filed.send(report)
    return report


def open_report_count(comment: Comment) -> int:
    return db.session.scalar(
        select(func.count()).select_from(CommentReport)
        .where(CommentReport.comment_id == comment.id, CommentReport.resolved_at.is_(None))
    )


def _hide_if_reported_enough(comment: Comment) -> None:
    threshold = hide_threshold()
    if not threshold or comment.hidden_at is not None:
        return
    readers = open_report_count(comment)
    if readers >= threshold:
        comment.hidden_at = utcnow()  # the article's comments version rises with the flush
        record_decision(comment, comment.status, Decision.HIDDEN,
                        f"reported by {readers} readers; hidden pending review")


def open_reports(comment: Comment) -> list[CommentReport]:
    return list(db.session.scalars(
        select(CommentReport)
        .where(CommentReport.comment_id == comment.id, CommentReport.resolved_at.is_(None))
        .order_by(CommentReport.id)
    ))


def resolve(comment: Comment, outcome: ReportOutcome, moderator: User | None,
            reason: str = "") -> list[CommentReport]:
    """Close the comment's open reports with ``outcome``; shows it again if it was hidden.

    Returns the reports resolved (none: nothing was open). The caller records the status
    change itself when there is one (a rejection); see :func:`keep` for dismissing.
    """
    reports = open_reports(comment)
    now = utcnow()
    for report in reports:
        report.resolved_at, report.resolution = now, outcome
        report.resolution_reason, report.resolved_by = reason, moderator
    if comment.hidden_at is not None:  # removed: its status hides it; kept: shown again
        comment.hidden_at = None
    if reports:
        reports_resolved.send(reports)
    return reports


def keep(comment: Comment, moderator: User, reason: str = "") -> list[CommentReport]:
    """Dismiss the reports: the comment stays approved and is shown again; recorded.

    Returns the reports dismissed; none when there was nothing to keep it from.
    """
    was_hidden = comment.hidden_at is not None
    reports = resolve(comment, ReportOutcome.KEPT, moderator, reason)
    if reports or was_hidden:
        note = f"kept: {len(reports)} report(s) dismissed" + (f": {reason}" if reason else "")
        record_decision(comment, Decision.HIDDEN if was_hidden else comment.status,
                        comment.status, note, moderator)
    return reports
