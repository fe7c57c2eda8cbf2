"""Staff mail: the pending-queue digest every N minutes, and editors' failed-fetch alert."""
from __future__ import annotations

from datetime import timedelta

import pytest

from newsroom.extensions import db
from newsroom.models import CommentStatus, Role, User, utcnow
from tests.feed_server import serving_feed
from tests.mailbox import text_of

MOD = "desk.digest@newsroom.example"


@pytest.fixture
def app(mail_app):
    return mail_app


def burst(runner) -> None:
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()


def test_the_digest_lists_the_queue_every_n_minutes_when_not_empty(app, runner, make, smtp):
    moderator = make.user(Role.MODERATOR, email=MOD, digest_minutes=30)
    make.user(Role.MODERATOR)  # did not ask for one
    article = make.article("Harbour wall repairs")
    burst(runner)
    assert smtp.mailbox.messages == []  # nothing pending: no digest
    assert moderator.digest_checked_at is not None
    make.comment(article, status=CommentStatus.PENDING, author_name="Ivo",
                 author_email="ivo.secret@example.org", body="Is the wall safe?")
    make.comment(article, status=CommentStatus.PENDING, author_name="Jun",
                 author_email="jun.secret@example.org")
    moderator.digest_checked_at = utcnow() - timedelta(minutes=31)
    db.session.commit()
    burst(runner)
    burst(runner)  # within the interval: nothing more
    (digest,) = smtp.mailbox.messages
    assert smtp.mailbox.envelopes == [[MOD]]
    assert digest["Subject"] == "2 comments waiting for moderation"
    text = text_of(digest)
    assert "Ivo on \"Harbour wall repairs\"" in text and "Is the wall safe?" in text
    assert "https://news.example/moderation/" in text
    assert "secret@example.org" not in digest.as_string()


def test_editors_who_asked_hear_about_the_third_failure_in_a_row(app, runner, make, smtp):
    editor = make.user(Role.EDITOR, alert_failed_fetches=True)
    make.user(Role.EDITOR)  # did not ask
    make.user(Role.MODERATOR, alert_failed_fetches=True)  # not an editor
    with serving_feed(b"<html>not a feed</html>", "text/html") as url:
        outlet = make.outlet("Flaky Gazette", feed_url=url, refresh_minutes=0)
        db.session.commit()
        from newsroom.jobs import enqueue

        for attempt in range(4):
            enqueue("fetch-outlet", {"outlet_id": outlet.id}, key=f"outlet:{outlet.id}")
            db.session.commit()
            burst(runner)
            assert len(smtp.mailbox.messages) == (0 if attempt < 2 else 1), attempt
    (alert,) = smtp.mailbox.messages
    assert smtp.mailbox.envelopes == [[editor.email]]
    assert alert["Subject"] == "The feed of Flaky Gazette has failed 3 times in a row"
    assert f"https://news.example/editor/outlets/{outlet.id}" in text_of(alert)


def test_users_default_to_no_staff_mail(app):
    user = User(email="new@newsroom.example", role=Role.EDITOR, password_hash="x")
    db.session.add(user)
    db.session.commit()
    assert (user.digest_minutes, user.alert_failed_fetches, user.alert_illegal_reports) == (
        0, False, False)
