"""``commenters export`` and ``erase`` cover the mail tables: subscriptions, reports' addresses,
the records of messages sent."""
from __future__ import annotations

import json

from sqlalchemy import select

from newsroom.comments.identity import email_digest
from newsroom.extensions import db
from newsroom.models import (
    CommentReport,
    MailRecord,
    MailStatus,
    ReportReason,
    Subscriber,
    Subscription,
)

EMAIL = "ottilie.marsh@example.net"


def run(runner, *args):
    result = runner.invoke(args=["commenters", *args])
    db.session.expire_all()
    return result


def _mail_data(make, with_comment=True):
    """A subscriber following a comment, a report with the address, a message's record."""
    article = make.article(slug="weir-works")
    theirs = make.comment(article, author_email=EMAIL if with_comment else "x@example.org")
    other = make.comment(article, author_name="Someone", author_email="someone@example.org")
    subscriber = Subscriber(email=EMAIL, token="s" * 40)
    db.session.add_all([
        subscriber,
        Subscription(subscriber=subscriber, comment=theirs, token="t" * 40),
        CommentReport(comment=other, reason=ReportReason.OTHER, details="Mean about my dog.",
                      email=EMAIL, reporter_key="k" * 64, reporter_ip="i" * 64),
        CommentReport(comment=other, reason=ReportReason.SPAM, email="kept@example.org",
                      reporter_key="j" * 64, reporter_ip="h" * 64),
        MailRecord(key="confirm:1:1", kind="confirm", recipient_hmac=email_digest(EMAIL),
                   status=MailStatus.OUTBOX, recipient=EMAIL, subject="Please confirm",
                   text_body="Confirm here"),
    ])
    db.session.commit()
    return other


def test_export_includes_subscriptions_reports_and_messages(runner, make):
    _mail_data(make)
    result = run(runner, "export", EMAIL)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["subscriber"]["confirmed_at"] is None
    assert len(data["subscriber"]["subscriptions"]) == 1
    (report,) = data["reports"]
    assert report["reason"] == "other" and report["details"] == "Mean about my dog."
    assert [m["kind"] for m in data["messages"]] == ["confirm"]
    assert "kept@example.org" not in result.output and "someone@example.org" not in result.output


def test_an_address_known_only_from_a_report_can_be_exported_and_erased(runner, make):
    _mail_data(make, with_comment=False)
    assert run(runner, "export", EMAIL).exit_code == 0
    result = run(runner, "erase", EMAIL)
    assert result.exit_code == 0, result.output
    assert "1 subscription(s), 1 report(s) and 1 record(s)" in result.output
    assert run(runner, "export", EMAIL).exit_code != 0  # nothing is left


def test_erase_removes_the_address_from_the_mail_tables(runner, make):
    other = _mail_data(make)
    result = run(runner, "erase", EMAIL)
    assert result.exit_code == 0, result.output
    assert db.session.scalars(select(Subscriber)).all() == []
    assert db.session.scalars(select(Subscription)).all() == []
    assert db.session.scalars(select(MailRecord)).all() == []
    reports = db.session.scalars(select(CommentReport).order_by(CommentReport.id)).all()
    assert [r.email for r in reports] == [None, "kept@example.org"]  # someone else's stays
    assert reports[0].details == "Mean about my dog." and reports[0].comment_id == other.id
    assert run(runner, "export", EMAIL).exit_code != 0
