"""Mail about reports, through a real SMTP server and a real ``worker --burst``: the statement of
reasons to a reporter who left an address, and the staff's alert for illegal content."""
from __future__ import annotations

import pytest

from newsroom.extensions import db
from newsroom.models import CommentReport, Job, Role
from tests.helpers import run_due_jobs
from tests.mailbox import html_of, text_of
from tests.comments.reports.conftest import reports_of

REPORTER = "Wren.Reporter@Example.net"
OTHER = "second.reader@example.net"
AUTHOR = "tamsin@example.org"


@pytest.fixture
def app(mail_app):
    return mail_app


@pytest.fixture
def desk(app, make):
    moderator = make.user(Role.MODERATOR, email="rhea.desk@newsroom.example")
    db.session.commit()
    client = app.test_client()
    from tests.helpers import sign_in_session

    sign_in_session(client, moderator.get_id())
    return client


def test_a_kept_comment_tells_each_reporter_once_with_the_reason(app, desk, reader, story, smtp):
    article, comment = story
    reader().report(article, comment, "abuse", email=REPORTER)
    reader().report(article, comment, "spam", email=OTHER)
    reader().report(article, comment, "abuse")  # no address: told nothing
    run_due_jobs(app)
    assert smtp.mailbox.messages == []  # nothing before a decision
    desk.post(f"/moderation/comments/{comment.id}/keep",
              data={"reason": "Criticism of the design is welcome here."})
    run_due_jobs(app)
    run_due_jobs(app)  # a second run sends nothing twice
    assert sorted(rcpt for (rcpt,) in smtp.mailbox.envelopes) == [OTHER, REPORTER.lower()]
    (message,) = smtp.mailbox.to(REPORTER.lower())
    text, html = text_of(message), html_of(message)
    assert message["Subject"] == "The comment you reported stays up"
    assert "as abusive, harassing or hateful" in text
    assert "decided to keep it" in text and "Criticism of the design is welcome here." in text
    assert f"https://news.example/articles/mill-footbridge#comment-{comment.id}" in text
    assert "keep it" in html
    assert message["List-Unsubscribe"].startswith("<https://news.example/subscriptions/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Stop all emails from" in text
    raw = message.as_string().lower()
    for address in (OTHER, AUTHOR, "rhea.desk"):
        assert address not in raw  # never another person's address
    assert {r.email for r in reports_of(comment)} == {None}  # the addresses are not kept


def test_a_removed_comment_says_so_and_why(app, desk, reader, story, smtp):
    article, comment = story
    reader().report(article, comment, "other", "Copied from another paper.", email=REPORTER)
    desk.post(f"/moderation/comments/{comment.id}/spam")
    run_due_jobs(app)
    (message,) = smtp.mailbox.messages
    assert message["Subject"] == "The comment you reported was removed"
    text = text_of(message)
    assert "removed it" in text and "Their reason: It is spam." in text
    assert "#comment-" not in text  # no link to a comment that is gone


def test_an_unsubscribed_address_gets_no_statement(app, desk, reader, story, smtp):
    from newsroom.models import Subscriber, utcnow

    db.session.add(Subscriber(email=REPORTER.lower(), token="u" * 40, unsubscribed_at=utcnow()))
    db.session.commit()
    article, comment = story
    reader().report(article, comment, "spam", email=REPORTER)
    desk.post(f"/moderation/comments/{comment.id}/reject")
    run_due_jobs(app)
    assert smtp.mailbox.messages == []
    assert reports_of(comment)[0].email is None


def test_an_illegal_report_alerts_the_staff_who_asked_at_once(app, reader, story, smtp, make):
    asked = make.user(Role.MODERATOR, email="alert.me@newsroom.example",
                      alert_illegal_reports=True)
    editor = make.user(Role.EDITOR, email="editor.alert@newsroom.example",
                       alert_illegal_reports=True)
    make.user(Role.MODERATOR, email="quiet@newsroom.example")  # did not ask
    make.user(Role.MODERATOR, email="gone@newsroom.example", alert_illegal_reports=True,
              active=False)
    db.session.commit()
    article, comment = story
    reader().report(article, comment, "abuse", email=REPORTER)  # not illegal: no alert
    run_due_jobs(app)
    assert smtp.mailbox.messages == []
    reader().report(article, comment, "illegal", "It names a protected witness.",
                    email=OTHER)
    run_due_jobs(app)
    run_due_jobs(app)
    assert sorted(rcpt for (rcpt,) in smtp.mailbox.envelopes) == sorted([asked.email,
                                                                         editor.email])
    message = smtp.mailbox.to(asked.email)[0]
    text = text_of(message)
    assert "reported as illegal content" in message["Subject"]
    assert "It names a protected witness." in text and "Tamsin Vale" in text
    assert "https://news.example/moderation/?status=reported" in text
    raw = message.as_string().lower()
    for address in (REPORTER.lower(), OTHER, AUTHOR, editor.email):
        assert address not in raw


def test_a_rolled_back_report_queues_nothing(app, story):
    from newsroom.comments.reports import file_report
    from newsroom.models import ReportReason

    article, comment = story
    file_report(comment, reason=ReportReason.ILLEGAL, details="x", email=REPORTER,
                reporter_key="k" * 64, ip_address="192.0.2.1")
    db.session.rollback()
    assert db.session.scalars(db.select(CommentReport)).all() == []
    assert db.session.scalars(db.select(Job)).all() == []
