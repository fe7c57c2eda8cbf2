"""The commenter's email never reaches a log line at INFO or above."""
from __future__ import annotations

import logging

from newsroom.extensions import db
from newsroom.models import Ban, BanKind, CommentStatus
from tests.comments.conftest import REPLY

SECRET = "private.reader@example.org"


def test_no_email_is_logged_whatever_happens_to_a_reply(make_app, make, reply, caplog):
    caplog.set_level(logging.INFO)
    app = make_app(RATELIMIT_ENABLED=True, COMMENT_RATE_LIMIT="6 per minute")
    with app.app_context():
        article = make.article()
        make.comment(make.article(), status=CommentStatus.APPROVED, author_email="back@example.org")
        db.session.add(Ban(kind=BanKind.EMAIL, value="banned@example.org"))
        db.session.commit()
        client = app.test_client()
        sent = [
            reply(article, via=client, email=SECRET),  # pending
            reply(article, via=client, email=SECRET),  # duplicate: refused
            reply(article, via=client, email="back@example.org"),  # approved at once
            reply(article, via=client, email="banned@example.org"),  # spam
            reply(article, via=client, email=SECRET, company="Acme", body="Bot text."),  # honeypot
            reply(article, via=client, email=SECRET, body="x" * 6000),  # invalid
            reply(article, via=client, email=SECRET, body="Over the limit."),  # 429
        ]
    assert [response.status_code for response in sent] == [303, 409, 303, 303, 303, 400, 429]
    records = [record for record in caplog.records if record.levelno >= logging.INFO]
    assert any("comment" in record.getMessage() for record in records)  # something was logged
    for record in records:
        text = record.getMessage() + repr(record.args)
        for email in (SECRET, "back@example.org", "banned@example.org", REPLY["email"]):
            assert email not in text, record.getMessage()
