"""Each policy rule, through the reply form: what it does to a comment and the reason it records."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import (
    Ban,
    BanKind,
    BlocklistEntry,
    BlocklistKind,
    CommentStatus,
    ModerationDecision,
    utcnow,
)
from tests.comments.conftest import comments, trust_browser_of

SPAM, PENDING, APPROVED = CommentStatus.SPAM, CommentStatus.PENDING, CommentStatus.APPROVED


def block(kind: str, value: str) -> None:
    db.session.add(BlocklistEntry(kind=BlocklistKind(kind), value=value))
    db.session.commit()


def ban(kind: str, value: str, **fields) -> None:
    db.session.add(Ban(kind=BanKind(kind), value=value, **fields))
    db.session.commit()


def returning(make, client, email="tamsin.orrell@example.org"):
    """``email`` has an approved comment sent from ``client``'s browser, so is trusted there."""
    make.comment(make.article(), status=APPROVED, author_email=email)
    trust_browser_of(client, email)


def test_a_new_commenter_is_held_for_pre_moderation(reply, make):
    article = make.article()
    db.session.commit()
    assert reply(article).status_code == 303
    (comment,) = comments()
    assert (comment.status, comment.held_reasons) == (PENDING, ["pre-moderation"])


@pytest.mark.parametrize("email", ["tamsin.orrell@example.org", "Tamsin.Orrell@EXAMPLE.org"])
def test_a_commenter_with_an_approved_comment_is_approved_at_once(reply, make, email):
    returning(make, reply.client)
    article = make.article()
    db.session.commit()
    response = reply(article, email=email)
    (_, comment) = comments()
    assert (comment.status, comment.held_reasons) == (APPROVED, [])
    assert response.headers["Location"].endswith(f"#comment-{comment.id}")


@pytest.mark.parametrize("status", [PENDING, CommentStatus.REJECTED, SPAM])
def test_only_an_approved_comment_makes_a_returning_commenter(reply, make, status):
    make.comment(make.article(), status=status, author_email="tamsin.orrell@example.org")
    article = make.article()
    db.session.commit()
    reply(article)
    assert comments()[-1].status is PENDING


def test_a_staff_reply_does_not_make_its_address_a_returning_commenter(reply, make):
    make.comment(make.article(), status=APPROVED, author_email="tamsin.orrell@example.org",
                 is_staff=True)
    article = make.article()
    db.session.commit()
    reply(article)
    assert (comments()[-1].status, comments()[-1].held_reasons) == (PENDING, ["pre-moderation"])


def test_pre_moderation_can_be_switched_off(make_app, make, reply):
    app = make_app(COMMENT_PREMODERATION=False)
    with app.app_context():
        article = make.article()
        db.session.commit()
        reply(article, via=app.test_client())
        (comment,) = comments()
    assert (comment.status, comment.held_reasons) == (APPROVED, [])


@pytest.mark.parametrize(
    "body, links",
    [
        ("<a href='https://one.example'>one</a> and https://two.example", 2),
        ("https://one.example https://two.example https://three.example", 3),
        ("<a href='https://a.example'>a</a> <a href='https://b.example'>b</a> mailto:x@c.example"
         " <a href='mailto:d@d.example'>d</a>", 3),
    ],
)
def test_more_than_two_links_hold_even_a_returning_commenter(reply, make, body, links):
    returning(make, reply.client)
    article = make.article()
    db.session.commit()
    reply(article, body=body)
    comment = comments()[-1]
    if links > 2:
        assert (comment.status, comment.held_reasons) == (PENDING, ["too-many-links"])
    else:
        assert (comment.status, comment.held_reasons) == (APPROVED, [])


def test_the_link_limit_is_configurable(make_app, make, reply):
    app = make_app(COMMENT_MAX_LINKS=0)
    with app.app_context():
        browser = app.test_client()
        returning(make, browser)
        article = make.article()
        db.session.commit()
        reply(article, body="see https://one.example", via=browser)
        assert comments()[-1].held_reasons == ["too-many-links"]


@pytest.mark.parametrize(
    "kind, value, fields, reason",
    [
        ("word", "casino", {"body": "Visit the CASINO tonight."}, "blocklisted-word"),
        ("word", "casino", {"name": "Casino Royale"}, "blocklisted-word"),
        ("word", "casino", {"website": "https://casino.example"}, "blocklisted-word"),
        ("word", "cheap pills", {"body": "Cheap\n  Pills here"}, "blocklisted-word"),
        ("word", "Loan-Shark", {"body": "ask the loan-shark"}, "blocklisted-word"),
        ("email", "tamsin.orrell@example.org", {}, "blocklisted-email"),
        ("email", "tamsin.orrell@example.org", {"email": "TAMSIN.orrell@Example.org"},
         "blocklisted-email"),
        ("ip", "198.51.100.23", {}, "blocklisted-ip"),
        ("domain", "example.org", {}, "blocklisted-domain"),
        ("domain", "example.org", {"email": "t@mail.example.org"}, "blocklisted-domain"),
        ("domain", "spam.example", {"body": "https://spam.example/offer"}, "blocklisted-domain"),
        ("domain", "spam.example", {"body": "<a href='http://www.spam.example'>x</a>"},
         "blocklisted-domain"),
        ("domain", "spam.example", {"website": "https://shop.spam.example/"}, "blocklisted-domain"),
        ("domain", "spam.example", {"body": "write to sales@spam.example"}, "blocklisted-domain"),
    ],
)
def test_a_blocklist_match_is_spam(client, reply, make, kind, value, fields, reason):
    block(kind, value)
    article = make.article()
    db.session.commit()
    client.environ_base["REMOTE_ADDR"] = "198.51.100.23"
    reply(article, **fields)
    (comment,) = comments()
    assert comment.status is SPAM
    assert reason in comment.held_reasons


@pytest.mark.parametrize(
    "kind, value, fields",
    [
        ("word", "casino", {"body": "The casinos closed in 1990."}),  # whole words only
        ("word", "cas", {"body": "A casual remark."}),
        ("word", "cheap pills", {"body": "Cheap ferry tickets; pills at the chemist."}),
        ("email", "someone.else@example.org", {}),
        ("ip", "198.51.100.99", {}),
        ("domain", "spam.example", {"body": "https://notspam.example is fine"}),
        ("domain", "mail.example.org", {}),  # a subdomain entry does not catch the parent
    ],
)
def test_a_near_miss_is_not_blocklisted(client, reply, make, kind, value, fields):
    block(kind, value)
    article = make.article()
    db.session.commit()
    client.environ_base["REMOTE_ADDR"] = "198.51.100.23"
    reply(article, **fields)
    (comment,) = comments()
    assert (comment.status, comment.held_reasons) == (PENDING, ["pre-moderation"])


def test_several_blocklist_kinds_are_all_recorded(client, reply, make):
    block("word", "casino")
    block("ip", "198.51.100.23")
    article = make.article()
    db.session.commit()
    client.environ_base["REMOTE_ADDR"] = "198.51.100.23"
    reply(article, body="casino")
    assert comments()[0].held_reasons == ["blocklisted-word", "blocklisted-ip", "pre-moderation"]


@pytest.mark.parametrize(
    "kind, value, fields, reason",
    [
        ("email", "tamsin.orrell@example.org", {}, "banned-email"),
        ("ip", "198.51.100.23", {}, "banned-ip"),
        ("domain", "example.org", {}, "banned-domain"),
        ("domain", "example.org", {"email": "t@lists.example.org"}, "banned-domain"),
    ],
)
def test_a_banned_commenter_goes_to_spam(client, reply, make, kind, value, fields, reason):
    ban(kind, value, expires_at=utcnow() + timedelta(days=1))
    article = make.article()
    db.session.commit()
    client.environ_base["REMOTE_ADDR"] = "198.51.100.23"
    reply(article, **fields)
    (comment,) = comments()
    assert comment.status is SPAM
    assert reason in comment.held_reasons


@pytest.mark.parametrize(
    "fields",
    [
        {"expires_at": utcnow() - timedelta(minutes=1)},
        {"lifted_at": utcnow() - timedelta(minutes=1)},
        {"expires_at": utcnow() + timedelta(days=1), "lifted_at": utcnow()},
    ],
    ids=["expired", "lifted", "lifted-before-expiry"],
)
def test_expired_and_lifted_bans_do_not_apply(reply, make, fields):
    ban("email", "tamsin.orrell@example.org", **fields)
    article = make.article()
    db.session.commit()
    reply(article)
    assert comments()[0].status is PENDING


def test_a_ban_on_a_link_domain_does_not_catch_the_commenter(reply, make):
    ban("domain", "spam.example")
    article = make.article()
    db.session.commit()
    reply(article, body="I saw https://spam.example once")
    assert comments()[0].status is PENDING


def test_the_honeypot_is_spam_even_for_a_returning_commenter(reply, make):
    returning(make, reply.client)
    article = make.article()
    db.session.commit()
    reply(article, company="Acme Widgets")
    comment = comments()[-1]
    assert (comment.status, comment.held_reasons) == (SPAM, ["honeypot"])


def test_a_banned_returning_commenter_is_spam(reply, make):
    returning(make, reply.client)
    ban("email", "tamsin.orrell@example.org")
    article = make.article()
    db.session.commit()
    reply(article)
    comment = comments()[-1]
    assert (comment.status, comment.held_reasons) == (SPAM, ["banned-email"])


@pytest.mark.parametrize(
    "token, reason",
    [
        (None, "missing-form-token"),
        ("", "missing-form-token"),
        ("forged.token.value", "missing-form-token"),
    ],
)
def test_a_missing_or_forged_form_token_holds_the_comment(reply, make, token, reason):
    returning(make, reply.client)
    article = make.article()
    db.session.commit()
    reply(article, form_token=token)
    comment = comments()[-1]
    assert (comment.status, comment.held_reasons) == (PENDING, [reason])


def test_a_token_served_for_another_article_is_not_valid(reply, make):
    from newsroom.comments.intake import form_token

    returning(make, reply.client)
    article, other = make.article(), make.article()
    db.session.commit()
    reply(article, form_token=form_token(other))
    assert comments()[-1].held_reasons == ["missing-form-token"]


@pytest.mark.parametrize("seconds_later, held", [(1, True), (2.9, True), (3, False), (60, False)])
def test_a_form_sent_too_soon_is_held_as_too_fast(
    make_app, make, reply, monkeypatch, seconds_later, held
):
    import newsroom.comments.intake as discussion

    app = make_app(COMMENT_MIN_SECONDS=3)
    with app.app_context():
        browser = app.test_client()
        returning(make, browser)
        article = make.article()
        db.session.commit()
        served = utcnow().replace(microsecond=0)  # the token's timestamp is in whole seconds
        monkeypatch.setattr(discussion, "utcnow", lambda: served + timedelta(seconds=seconds_later))
        monkeypatch.setattr("itsdangerous.timed.time.time", lambda: served.timestamp())
        reply(article, via=browser)
        comment = comments()[-1]
    if held:
        assert (comment.status, comment.held_reasons) == (PENDING, ["too-fast"])
    else:
        assert (comment.status, comment.held_reasons) == (APPROVED, [])


def test_every_held_reason_is_recorded_on_the_first_decision(reply, make):
    block("word", "casino")
    article = make.article()
    db.session.commit()
    body = "casino https://a.example https://b.example https://c.example"
    reply(article, body=body, form_token="")
    (comment,) = comments()
    assert comment.held_reasons == [
        "blocklisted-word", "missing-form-token", "too-many-links", "pre-moderation",
    ]
    (decision,) = db.session.scalars(select(ModerationDecision))
    assert (decision.from_status, decision.to_status) == ("new", "spam")
    assert decision.moderator_id is None
    assert decision.reason == "blocklisted-word, missing-form-token, too-many-links, pre-moderation"
    assert decision.comment_ref == comment.id


def test_an_approval_by_policy_is_recorded_too(reply, make):
    returning(make, reply.client)
    article = make.article()
    db.session.commit()
    reply(article)
    decision = db.session.scalars(select(ModerationDecision)).all()[-1]
    assert (decision.from_status, decision.to_status) == ("new", "approved")
    assert decision.reason == "approved by policy"
