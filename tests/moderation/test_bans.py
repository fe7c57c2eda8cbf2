"""Bans from a comment: email, IP or domain, with an expiry and a reason; listed and lifted."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import AuditEntry, Ban, BanKind, CommentStatus, utcnow
from tests.moderation.helpers import decisions_for, fresh

BACK = "/moderation/?status=pending&page=2"


def _bans() -> list[Ban]:
    db.session.expire_all()
    return list(db.session.scalars(select(Ban).order_by(Ban.id)))


def _audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


@pytest.mark.parametrize(
    "kind, value",
    [("email", "troll@Mischief.example"), ("ip", "192.0.2.99"), ("domain", "mischief.example")],
)
def test_ban_from_a_comment(client, moderator, pending, kind, value):
    comment = pending(author_email="troll@mischief.example", ip_address="192.0.2.99")
    response = client.post(f"/moderation/comments/{comment.id}/ban",
                           data={"kind": kind, "reason": "abuse", "next": BACK})
    assert response.status_code == 302 and response.location == BACK
    [ban] = _bans()
    assert (ban.kind, ban.value, ban.reason) == (BanKind(kind), value.lower(), "abuse")
    assert ban.expires_at is None and ban.lifted_at is None
    assert ban.created_by_id == moderator.id and ban.comment_id == comment.id
    [entry] = _audit("ban")
    assert entry.subject == f"{kind} {value.lower()}" and entry.actor_id == moderator.id
    assert entry.detail["ban_id"] == ban.id and entry.detail["reason"] == "abuse"
    assert fresh(comment.id).status is CommentStatus.PENDING  # not asked to mark it as spam
    words = {"email": "email address", "ip": "IP address", "domain": "email domain"}[kind]
    listed = client.get("/moderation/bans").get_data(as_text=True)
    assert f"{words} <strong>{value.lower()}</strong>" in listed  # the kind in words


def test_ban_and_mark_as_spam(client, moderator, pending):
    comment = pending()
    client.post(f"/moderation/comments/{comment.id}/ban",
                data={"kind": "email", "mark_spam": "y", "reason": "link spam"})
    assert fresh(comment.id).status is CommentStatus.SPAM
    [decision] = decisions_for(comment.id)
    assert (decision.to_status, decision.reason) == ("spam", "link spam")


def test_ban_for_some_days(client, moderator, pending):
    comment = pending()
    before = utcnow()
    client.post(f"/moderation/comments/{comment.id}/ban", data={"kind": "ip", "days": "7"})
    [ban] = _bans()
    assert before + timedelta(days=7) <= ban.expires_at <= utcnow() + timedelta(days=7)


def test_ban_until_a_date(client, moderator, pending):
    comment = pending()
    until = (utcnow() + timedelta(days=30)).date()
    client.post(f"/moderation/comments/{comment.id}/ban",
                data={"kind": "email", "until": until.isoformat()})
    [ban] = _bans()
    assert ban.expires_at.date() == until and (ban.expires_at.hour, ban.expires_at.minute) == (0, 0)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"kind": "email", "days": "0"}, "Between 1 and 3,650 days."),
        ({"kind": "email", "days": "many"}, "Not a valid integer value."),
        ({"kind": "email", "until": "2001-01-01"}, "Please choose a date after today."),
        ({"kind": "email", "days": "3", "until": "2099-01-01"},
         "Give a number of days or a date, not both."),
        ({"kind": "name"}, "Not a valid choice."),
    ],
)
def test_bad_ban_form_is_shown_again(client, moderator, pending, data, message):
    comment = pending()
    response = client.post(f"/moderation/comments/{comment.id}/ban",
                           data={**data, "reason": "typed"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html and 'value="typed"' in html
    assert _bans() == []


def test_ban_of_a_cleared_ip_is_refused(client, moderator, pending):
    comment = pending(ip_address=None)
    response = client.post(f"/moderation/comments/{comment.id}/ban", data={"kind": "ip"})
    assert response.status_code == 400
    assert "This comment has no ip to ban" in response.get_data(as_text=True)
    assert _bans() == []


def test_the_same_ban_twice_is_refused(client, moderator, pending):
    comment = pending(author_email="twice@readers.example")
    client.post(f"/moderation/comments/{comment.id}/ban", data={"kind": "email"})
    response = client.post(f"/moderation/comments/{comment.id}/ban", data={"kind": "email"})
    assert response.status_code == 400
    assert "The email twice@readers.example is already banned." in response.get_data(as_text=True)
    assert len(_bans()) == 1


def test_bans_list_active_and_past(client, moderator, make):
    now = utcnow()
    db.session.add_all([
        Ban(kind=BanKind.EMAIL, value="forever@readers.example", reason="threats"),
        Ban(kind=BanKind.IP, value="192.0.2.1", expires_at=now + timedelta(days=3)),
        Ban(kind=BanKind.DOMAIN, value="old.example", expires_at=now - timedelta(days=1)),
        Ban(kind=BanKind.EMAIL, value="forgiven@readers.example",
            lifted_at=now - timedelta(hours=2),
            lifted_by=moderator),
    ])
    db.session.commit()
    active = client.get("/moderation/bans").get_data(as_text=True)
    assert "forever@readers.example" in active and "Until lifted" in active and "threats" in active
    assert "192.0.2.1" in active and "Until <time" in active
    assert "old.example" not in active and "forgiven@readers.example" not in active
    assert active.count(">Lift</button>") == 2
    past = client.get("/moderation/bans?show=past").get_data(as_text=True)
    assert "old.example" in past and "Expired on <time" in past
    assert "forgiven@readers.example" in past and "Lifted by Morgan Desk on" in past
    assert "forever@readers.example" not in past and ">Lift</button>" not in past


def test_lift_a_ban(client, moderator):
    ban = Ban(kind=BanKind.IP, value="192.0.2.50")
    db.session.add(ban)
    db.session.commit()
    response = client.post(f"/moderation/bans/{ban.id}/lift",
                           data={"next": "/moderation/bans?page=1"})
    assert response.location == "/moderation/bans?page=1"
    [lifted] = _bans()
    assert lifted.lifted_at is not None and lifted.lifted_by_id == moderator.id
    [entry] = _audit("lift-ban")
    assert entry.subject == "ip 192.0.2.50" and entry.detail == {"ban_id": ban.id}
    again = client.post(f"/moderation/bans/{ban.id}/lift", follow_redirects=True)
    assert "already lifted" in again.get_data(as_text=True)
    assert len(_audit("lift-ban")) == 1


def test_a_lifted_ban_can_be_made_again(client, moderator, pending):
    comment = pending(author_email="back@readers.example")
    db.session.add(Ban(kind=BanKind.EMAIL, value="back@readers.example", lifted_at=utcnow()))
    db.session.commit()
    response = client.post(f"/moderation/comments/{comment.id}/ban", data={"kind": "email"})
    assert response.status_code == 302
    assert len(_bans()) == 2


def test_queue_row_offers_the_three_bans(client, moderator, pending):
    comment = pending(author_email="row@cove.example", ip_address="192.0.2.8")
    html = client.get("/moderation/").get_data(as_text=True)
    assert f'action="/moderation/comments/{comment.id}/ban"' in html
    assert "the email row@cove.example" in html
    assert "the IP address 192.0.2.8" in html
    assert "the domain cove.example" in html


@pytest.mark.parametrize("email", ["", "erased-0123456789abcdef@invalid"])
@pytest.mark.parametrize("kind", ["email", "domain"])
def test_erased_email_offers_only_the_ip(client, moderator, pending, email, kind):
    """An erasure leaves a placeholder address; neither it nor its domain can be banned."""
    comment = pending(author_email=email, ip_address="192.0.2.61")
    html = client.get("/moderation/").get_data(as_text=True)
    assert 'value="ip" checked' in html and 'value="email"' not in html
    assert 'value="domain"' not in html
    response = client.post(f"/moderation/comments/{comment.id}/ban", data={"kind": kind})
    assert response.status_code == 400
    assert f"This comment has no {kind} to ban" in response.get_data(as_text=True)
    assert _bans() == []


def test_a_fully_erased_comment_offers_no_ban(client, moderator, pending):
    pending(author_email="erased-0123456789abcdef@invalid", ip_address=None)
    html = client.get("/moderation/").get_data(as_text=True)
    assert 'class="queue-item' in html and "<summary>Ban</summary>" not in html


def test_a_ban_outlives_the_comment_it_was_made_from(client, moderator, pending):
    comment = pending(author_email="gone@readers.example")
    client.post(f"/moderation/comments/{comment.id}/ban", data={"kind": "email"})
    client.post(f"/moderation/comments/{comment.id}/delete")
    assert fresh(comment.id) is None
    [ban] = _bans()
    assert ban.value == "gone@readers.example" and ban.comment_id is None
    assert "gone@readers.example" in client.get("/moderation/bans").get_data(as_text=True)


@pytest.mark.parametrize(
    "kind, stored, sent, remote_addr",
    [
        ("email", {"author_email": "Troll@Mischief.EXAMPLE"},
         {"email": "troll@mischief.example"}, "192.0.2.1"),
        ("domain", {"author_email": "Troll@Mischief.EXAMPLE"},
         {"email": "other@MISCHIEF.example"}, "192.0.2.1"),
        ("ip", {"ip_address": "2001:DB8:0:0::7"}, {}, "2001:db8::7"),
        ("ip", {"ip_address": "::ffff:192.0.2.99"}, {}, "192.0.2.99"),
    ],
)
def test_a_ban_made_from_a_comment_catches_the_next_one(client, moderator, pending, make, kind,
                                                        stored, sent, remote_addr):
    """Capitals in the stored email or another spelling of the IP do not let anyone through."""
    from newsroom.comments.intake import form_token
    from newsroom.models import Comment

    comment = pending(**stored)
    assert client.post(f"/moderation/comments/{comment.id}/ban",
                       data={"kind": kind}).status_code == 302
    article = make.article()
    db.session.commit()
    data = {"name": "Again", "email": "fresh@readers.example", "website": "",
            "body": "Back once more.", "form_token": form_token(article), **sent}
    client.post(f"/articles/{article.slug}/comments", data=data,
                environ_base={"REMOTE_ADDR": remote_addr})
    db.session.expire_all()
    new = db.session.scalar(select(Comment).where(Comment.article_id == article.id))
    assert new.status is CommentStatus.SPAM
    assert f"banned-{kind}" in new.held_reasons
