"""Sending mail: templates and headers, once per key, the daily cap, the outbox and off modes."""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from newsroom import create_app
from newsroom.extensions import db
from newsroom.mail import OFF, OUTBOX, SMTP, mode
from newsroom.mail.sending import ALREADY_SENT, CAPPED, KEPT, SENT, Outgoing, postbox
from newsroom.models import MailRecord, MailStatus, Role
from tests import conftest
from tests.mailbox import html_of, text_of

TO = "reader.mail@example.org"


def message(key: str = "test:1", to: str = TO) -> Outgoing:
    return Outgoing(
        key=key, kind="published", to=to, subject="Your comment is published",
        context={"headline": "Harbour wall", "comment_url": "https://news.example/a#comment-1",
                 "comment_text": "Well said.", "unsubscribe_thread_url": "https://news.example/t",
                 "unsubscribe_all_url": "https://news.example/all"},
        unsubscribe_url="https://news.example/subscriptions/abc/unsubscribe",
    )


@pytest.fixture
def smtp_app(make_app, smtp):
    app = make_app(**smtp.settings())
    with app.app_context():
        yield app


def test_a_message_has_text_html_and_one_click_unsubscribe(smtp_app, smtp):
    assert mode() == SMTP
    with postbox() as post:
        assert post.deliver(message()) == SENT
    (sent,) = smtp.mailbox.messages
    assert smtp.mailbox.envelopes == [[TO]]
    assert sent["To"] == TO and sent["Cc"] is None and sent["Bcc"] is None
    assert sent["From"] == "The Harbour Courier <newsroom@news.example>"
    assert sent["List-Unsubscribe"] == "<https://news.example/subscriptions/abc/unsubscribe>"
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Well said." in text_of(sent) and "https://news.example/all" in text_of(sent)
    assert '<a href="https://news.example/all">' in html_of(sent)


def test_the_same_key_is_never_sent_twice(smtp_app, smtp):
    with postbox() as post:
        assert post.deliver(message()) == SENT
        assert post.deliver(message()) == ALREADY_SENT
    with postbox() as post:
        assert post.deliver(message()) == ALREADY_SENT
    assert len(smtp.mailbox.messages) == 1
    record = db.session.scalars(select(MailRecord)).one()
    assert record.status is MailStatus.SENT and record.sent_at is not None


def test_a_send_interrupted_before_the_server_accepted_is_sent_on_retry(smtp_app, smtp):
    db.session.add(MailRecord(key="test:1", kind="published", recipient_hmac="x",
                              status=MailStatus.SENDING))  # the worker died mid-conversation
    db.session.commit()
    with postbox() as post:
        assert post.deliver(message()) == SENT
    assert len(smtp.mailbox.messages) == 1


def test_a_refused_connection_raises_and_leaves_the_message_to_retry(make_app):
    from tests.mailbox import free_port

    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2)
    with app.app_context():
        with pytest.raises(OSError), postbox() as post:
            post.deliver(message())
        assert db.session.scalars(select(MailRecord)).one().status is MailStatus.SENDING


def test_the_daily_cap_per_recipient(make_app, smtp):
    app = make_app(MAIL_MAX_PER_RECIPIENT_PER_DAY=2, **smtp.settings())
    with app.app_context(), postbox() as post:
        outcomes = [post.deliver(message(f"test:{n}")) for n in range(3)]
        other = post.deliver(message("test:other", to="someone.else@example.org"))
    assert outcomes == [SENT, SENT, CAPPED] and other == SENT
    assert len(smtp.mailbox.to(TO)) == 2


def test_development_without_a_server_keeps_messages_in_the_outbox(
        app, client, login_as, caplog):
    assert mode() == OUTBOX
    with caplog.at_level(logging.INFO, logger="newsroom"), postbox() as post:
        assert post.deliver(message()) == KEPT
    assert "kept in the outbox" in caplog.text
    assert TO not in caplog.text and "subscriptions/abc" not in caplog.text  # no address, no secret
    login_as(Role.ADMIN)
    listing = client.get("/admin/outbox").text
    assert TO in listing and "Your comment is published" in listing
    record = db.session.scalars(select(MailRecord)).one()
    shown = client.get(f"/admin/outbox/{record.id}").text
    assert "Well said." in shown and "https://news.example/all" in shown


def test_production_without_a_server_turns_notifications_off_and_says_so_once(
        database_url, caplog):
    config = conftest.test_config(database_url, TESTING=False, DEBUG=False)
    with caplog.at_level(logging.WARNING, logger="newsroom.mail"):
        app = create_app(config)
    warnings = [r.getMessage() for r in caplog.records if r.name == "newsroom.mail"]
    assert warnings == ["email notifications are off: NEWSROOM_MAIL_SERVER is not set"]
    with app.app_context():
        assert mode() == OFF
        with pytest.raises(RuntimeError), postbox() as post:
            post.deliver(message())
        db.session.rollback()
        db.session.execute(db.delete(MailRecord))
        db.session.commit()
        db.engine.dispose()


def test_the_notify_box_is_offered_only_when_mail_can_go(database_url, app, make):
    article = make.article(slug="offered")
    db.session.commit()
    assert 'name="notify"' in app.test_client().get("/articles/offered").text
    off = create_app(conftest.test_config(database_url, TESTING=False, DEBUG=False))
    with off.app_context():
        assert 'name="notify"' not in off.test_client().get(f"/articles/{article.slug}").text
        db.engine.dispose()
