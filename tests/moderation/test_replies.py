"""Replying from the desk: published at once as staff, a pending parent approved with it."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import Comment, CommentStatus
from tests.moderation.helpers import decisions_for, fresh

BACK = "/moderation/?status=pending&page=3"


def _staff_reply(parent_id: int) -> Comment:
    db.session.expire_all()
    return db.session.scalar(
        select(Comment).where(Comment.parent_id == parent_id, Comment.is_staff)
    )


def test_reply_to_an_approved_comment(client, moderator, make):
    article = make.article()
    top = make.comment(article)
    parent = make.comment(article, parent=top)
    db.session.commit()
    response = client.post(f"/moderation/comments/{parent.id}/reply",
                           data={"body": "Thanks, <strong>fixed</strong>.<script>x()</script>",
                                 "next": BACK})
    assert response.status_code == 302 and response.location == BACK
    reply = _staff_reply(parent.id)
    assert reply.status is CommentStatus.APPROVED
    assert reply.is_staff and reply.user_id == moderator.id
    assert reply.author_name == "Morgan Desk" and reply.author_email == moderator.email
    assert reply.thread_id == top.id and reply.article_id == article.id
    assert reply.body == "Thanks, <strong>fixed</strong>."
    [decision] = decisions_for(reply.id)
    assert (decision.from_status, decision.to_status) == ("new", "approved")
    assert decision.moderator_id == moderator.id
    assert decisions_for(parent.id) == []
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "Thanks, <strong>fixed</strong>." in page and moderator.email not in page
    assert f'comment-staff" id="comment-{reply.id}"' in page  # marked as staff for readers


def test_reply_to_a_top_level_comment_starts_its_thread(client, moderator, make):
    parent = make.comment(make.article())
    db.session.commit()
    client.post(f"/moderation/comments/{parent.id}/reply", data={"body": "Noted."})
    assert _staff_reply(parent.id).thread_id == parent.id


def test_reply_to_a_pending_comment_approves_it_too(client, moderator, pending):
    parent = pending()
    client.post(f"/moderation/comments/{parent.id}/reply", data={"body": "Good question."})
    assert fresh(parent.id).status is CommentStatus.APPROVED
    [decision] = decisions_for(parent.id)
    assert (decision.from_status, decision.to_status) == ("pending", "approved")
    assert decision.reason == "approved by replying from the desk"
    assert _staff_reply(parent.id).status is CommentStatus.APPROVED


@pytest.mark.parametrize("status", [CommentStatus.REJECTED, CommentStatus.SPAM])
def test_reply_to_a_rejected_or_spam_comment_is_refused(client, moderator, make, status):
    parent = make.comment(make.article(), status=status)
    db.session.commit()
    response = client.post(f"/moderation/comments/{parent.id}/reply", data={"body": "Hello"})
    assert response.status_code == 400
    assert "Only approved or pending comments can be replied to." in response.get_data(as_text=True)
    assert _staff_reply(parent.id) is None
    assert fresh(parent.id).status is status


@pytest.mark.parametrize(
    "body, message",
    [("", "Please write a reply."),
     ("<script>only()</script>", "no text once formatting is removed"),
     ("x" * 5001, "under 5,000 characters")],
)
def test_bad_reply_is_shown_again_with_the_error(client, moderator, pending, body, message):
    parent = pending()
    response = client.post(f"/moderation/comments/{parent.id}/reply",
                           data={"body": body, "next": BACK})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    assert f'value="{BACK.replace("&", "&amp;")}"' in html  # still returns to the same place
    assert _staff_reply(parent.id) is None
    assert fresh(parent.id).status is CommentStatus.PENDING


def test_reply_page_keeps_what_was_typed(client, moderator, pending):
    parent = pending()
    response = client.post(f"/moderation/comments/{parent.id}/reply",
                           data={"body": "<script>typed()</script>"})
    assert "&lt;script&gt;typed()&lt;/script&gt;</textarea>" in response.get_data(as_text=True)


def test_reply_form_page(client, moderator, pending):
    parent = pending(body="What about the night buses?")
    url = f"/moderation/comments/{parent.id}/reply?next=/moderation/?status=all"
    html = client.get(url).get_data(as_text=True)
    assert "What about the night buses?" in html
    assert 'name="next" type="hidden" value="/moderation/?status=all"' in html


def test_a_nameless_moderator_replies_as_the_site_never_as_their_email(client, login_as, make, app):
    from newsroom.models import Role

    nameless = login_as(Role.MODERATOR, email="quiet.moderator@newsroom.example")
    parent = make.comment(make.article())
    db.session.commit()
    client.post(f"/moderation/comments/{parent.id}/reply", data={"body": "Noted.", "next": BACK})
    reply = _staff_reply(parent.id)
    assert reply.author_name == f"{app.config['SITE_NAME']} staff"
    page = client.get(f"/articles/{parent.article.slug}").get_data(as_text=True)
    assert "quiet.moderator" not in page and nameless.email not in page
