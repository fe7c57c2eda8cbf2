"""Trust needs proof: a moderator's approval of a comment from this browser with this email.

Typing an address that has approved comments skips nothing, and the answer to a stranger
typing a known address is the same as to one typing an unknown address.
"""
from __future__ import annotations

import re

import pytest
from itsdangerous import URLSafeSerializer
from sqlalchemy import func, select

from newsroom import trust
from newsroom.extensions import db
from newsroom.models import CommentStatus, Role, TrustedCommenter
from newsroom.moderation.actions import set_status
from tests.comments.conftest import REPLY, comments

KNOWN = REPLY["email"]


@pytest.fixture
def article(make):
    article = make.article()
    db.session.commit()
    return article


def _approve_latest(make) -> None:
    moderator = make.user(Role.MODERATOR)
    set_status(comments()[-1], CommentStatus.APPROVED, moderator, "")
    db.session.commit()


def _answer(response, client) -> tuple:
    """What a submitter learns: status, where they are sent, and the notice shown there."""
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    notice = page.split('class="flash', 1)[1].split("</", 1)[0] if 'class="flash' in page else ""
    path, fragment = response.headers["Location"].split("#")
    location = path, re.sub(r"\d+$", "<own id>", fragment)  # each lands on its own comment
    return response.status_code, location, notice


def test_an_approval_trusts_that_browser_with_that_email(app, client, reply, make, article):
    reply(article)
    first = comments()[-1]
    assert first.status is CommentStatus.PENDING and first.browser_key
    assert trust.COOKIE in client.get_cookie(trust.COOKIE).key
    _approve_latest(make)

    response = reply(article, body="A second thought about the ferry.")

    assert comments()[-1].status is CommentStatus.APPROVED
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#comment-{comments()[-1].id}")


def test_typing_a_trusted_address_in_another_browser_skips_nothing(app, reply, make, article):
    reply(article)
    _approve_latest(make)
    stranger = app.test_client()

    reply(article, via=stranger, body="Pretending to be Tamsin.")

    assert comments()[-1].status is CommentStatus.PENDING
    assert comments()[-1].held_reasons == ["pre-moderation"]


def test_the_trusted_browser_with_another_email_waits(app, reply, make, article):
    reply(article)
    _approve_latest(make)

    reply(article, email="someone.else@example.org", body="Another person, same laptop.")

    assert comments()[-1].status is CommentStatus.PENDING


def test_a_known_and_an_unknown_address_get_the_same_answer(app, reply, make, article):
    reply(article)
    _approve_latest(make)
    known_stranger, unknown_stranger = app.test_client(), app.test_client()

    known = reply(article, via=known_stranger, body="One.")
    unknown = reply(article, via=unknown_stranger, email="new.reader@example.org", body="Two.")

    assert _answer(known, known_stranger) == _answer(unknown, unknown_stranger)
    assert known.status_code == 303 and re.search(r"#comment-\d+$", known.headers["Location"])
    assert known.headers["Set-Cookie"].split("=")[0] == unknown.headers["Set-Cookie"].split("=")[0]


def test_a_forged_commenter_cookie_is_worth_nothing(app, client, reply, make, article):
    reply(article)
    _approve_latest(make)
    stranger = app.test_client()
    stranger.set_cookie(trust.COOKIE, client.get_cookie(trust.COOKIE).value[:-2] + "xx")

    reply(article, via=stranger, body="With a tampered cookie.")

    assert comments()[-1].status is CommentStatus.PENDING
    assert comments()[-1].browser_key != comments()[0].browser_key


def test_the_cookie_is_http_only_lax_and_secure_on_https(client, reply, article):
    header = reply(article).headers["Set-Cookie"]
    assert header.startswith(f"{trust.COOKIE}=")
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Secure" in header
    assert KNOWN not in header


def test_a_mailed_confirmation_can_trust_the_browser(app, client, reply, article):
    reply(article)
    token = trust._token_of(client.get_cookie(trust.COOKIE).value)
    trust.trust_browser(KNOWN, token)
    db.session.commit()

    reply(article, body="Confirmed by mail.")

    assert comments()[-1].status is CommentStatus.APPROVED
    assert db.session.scalar(select(TrustedCommenter.proof)) == "mail"


def test_approving_a_comment_without_a_browser_trusts_nobody(make):
    comment = make.comment(make.article(), status=CommentStatus.PENDING, author_email=KNOWN)
    db.session.commit()
    set_status(comment, CommentStatus.APPROVED, make.user(Role.MODERATOR), "")
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(TrustedCommenter)) == 0


def test_erasing_a_commenter_forgets_their_browsers(app, runner, reply, make, article):
    reply(article)
    _approve_latest(make)
    assert runner.invoke(args=["commenters", "erase", KNOWN]).exit_code == 0
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(TrustedCommenter)) == 0
    assert comments()[0].browser_key is None


def test_the_cookie_is_the_token_itself_signed(client, reply, article):
    reply(article)
    value = client.get_cookie(trust.COOKIE).value
    token, signature = value.rsplit(".", 1)
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token) and signature
    assert trust._token_of(value) == token


def test_a_cookie_of_the_older_format_keeps_its_trust(app, client, reply, make, article):
    """Browsers got the token as signed JSON before: those cookies (up to 400 days) still count."""
    reply(article)
    _approve_latest(make)
    token = trust._token_of(client.get_cookie(trust.COOKIE).value)
    older = app.test_client()
    cookie = trust._serializer().dumps(token)
    older.set_cookie(trust.COOKIE, cookie)

    reply(article, via=older, body="From the same browser, with its older cookie.")

    assert comments()[-1].status is CommentStatus.APPROVED
    assert comments()[-1].browser_key == comments()[0].browser_key
    assert older.get_cookie(trust.COOKIE).value == cookie  # not issued again


def test_a_cookie_signed_for_something_else_is_worth_nothing(app, reply, make, article):
    stranger = app.test_client()
    forged = URLSafeSerializer(app.config["SECRET_KEY"], salt="another.purpose").dumps("x" * 32)
    stranger.set_cookie(trust.COOKIE, forged)
    reply(article, via=stranger)
    assert comments()[-1].browser_key != trust.browser_key("x" * 32)
