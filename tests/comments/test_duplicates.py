"""A reply sent twice is refused the second time, with the reader's text kept."""
from __future__ import annotations

from datetime import timedelta
from html import escape

from newsroom.extensions import db
from newsroom.models import CommentStatus, utcnow
from newsroom.sanitizing import clean_comment
from tests.comments.conftest import REPLY, comments

MESSAGE = "You have just posted this comment here; it was not sent twice."


def test_the_same_reply_twice_is_refused_and_the_text_kept(reply, make):
    article = make.article()
    db.session.commit()
    assert reply(article).status_code == 303
    again = reply(article, website="https://tamsin.example")
    assert again.status_code == 409
    page = again.get_data(as_text=True)
    assert MESSAGE in page
    assert escape(REPLY["body"]) in page  # back in the textarea
    assert 'value="https://tamsin.example"' in page
    assert len(comments()) == 1


def test_a_duplicate_is_refused_whatever_the_first_ones_status(reply, make):
    article = make.article()
    db.session.commit()
    reply(article, company="bot")  # stored as spam
    assert comments()[0].status is CommentStatus.SPAM
    assert reply(article, company="bot").status_code == 409
    assert len(comments()) == 1


def test_the_email_is_compared_without_case(reply, make):
    article = make.article()
    db.session.commit()
    reply(article)
    assert reply(article, email=REPLY["email"].upper()).status_code == 409


def test_the_same_text_elsewhere_or_from_someone_else_is_not_a_duplicate(reply, make):
    article, other = make.article(), make.article()
    db.session.commit()
    assert reply(article).status_code == 303
    assert reply(other).status_code == 303
    assert reply(article, email="someone.else@example.org").status_code == 303
    assert reply(article, body=REPLY["body"] + " Edited.").status_code == 303
    assert len(comments()) == 4


def test_the_same_text_after_the_window_is_accepted(reply, make):
    article = make.article()
    make.comment(
        article,
        status=CommentStatus.PENDING,
        author_email=REPLY["email"],
        body=REPLY["body"],
        created_at=utcnow() - timedelta(minutes=10, seconds=5),
    )
    db.session.commit()
    assert comments()[0].body == clean_comment(REPLY["body"])
    assert reply(article).status_code == 303
    assert len(comments()) == 2


def test_the_window_is_configurable(make_app, make, reply):
    app = make_app(COMMENT_DUPLICATE_WINDOW_MINUTES=60)
    with app.app_context():
        article = make.article()
        make.comment(
            article,
            author_email=REPLY["email"],
            body=REPLY["body"],
            created_at=utcnow() - timedelta(minutes=30),
        )
        db.session.commit()
        assert reply(article, via=app.test_client()).status_code == 409
