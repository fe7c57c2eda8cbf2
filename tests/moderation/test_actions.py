"""Per-comment and bulk decisions: each is recorded, and the desk comes back to the same place."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from newsroom.comments.identity import email_digest
from newsroom.extensions import db
from newsroom.models import AuditEntry, Comment, CommentStatus, ModerationDecision
from tests.moderation.helpers import decisions_for, fresh

BACK = "/moderation/?status=pending&email=x%40readers.example&page=2"


@pytest.mark.parametrize(
    "action, status",
    [("approve", CommentStatus.APPROVED), ("reject", CommentStatus.REJECTED),
     ("spam", CommentStatus.SPAM)],
)
def test_status_actions_are_recorded(client, moderator, pending, action, status):
    comment = pending()
    response = client.post(f"/moderation/comments/{comment.id}/{action}",
                           data={"reason": "checked the thread", "next": BACK})
    assert response.status_code == 302
    assert response.location == BACK
    assert fresh(comment.id).status is status
    [decision] = decisions_for(comment.id)
    assert decision.comment_id == comment.id
    assert decision.moderator_id == moderator.id
    assert (decision.from_status, decision.to_status) == ("pending", status.value)
    assert decision.reason == "checked the thread"
    assert decision.created_at is not None


def test_reason_is_optional(client, moderator, pending):
    comment = pending()
    client.post(f"/moderation/comments/{comment.id}/approve")
    assert decisions_for(comment.id)[0].reason == ""


def test_decision_on_a_comment_already_there_records_nothing(client, moderator, make):
    comment = make.comment(make.article(), status=CommentStatus.SPAM)
    db.session.commit()
    response = client.post(f"/moderation/comments/{comment.id}/spam", follow_redirects=True)
    assert "was already spam" in response.get_data(as_text=True)
    assert decisions_for(comment.id) == []


def test_moving_an_approved_comment_back_is_recorded(client, moderator, make):
    comment = make.comment(make.article(), status=CommentStatus.APPROVED)
    db.session.commit()
    client.post(f"/moderation/comments/{comment.id}/reject")
    [decision] = decisions_for(comment.id)
    assert (decision.from_status, decision.to_status) == ("approved", "rejected")


@pytest.mark.parametrize(
    "next_value",
    ["https://evil.example/moderation/", "//evil.example/moderation/", "/articles/x",
     "/moderation/../login", "\\\\evil.example", ""],
)
def test_next_outside_the_desk_falls_back_to_the_queue(client, moderator, pending, next_value):
    comment = pending()
    response = client.post(f"/moderation/comments/{comment.id}/approve", data={"next": next_value})
    assert response.location == "/moderation/"


def test_too_long_reason_is_refused(client, moderator, pending):
    comment = pending()
    response = client.post(f"/moderation/comments/{comment.id}/approve",
                           data={"reason": "x" * 501, "next": BACK}, follow_redirects=True)
    assert "Field cannot be longer than 500 characters." in response.get_data(as_text=True)
    assert fresh(comment.id).status is CommentStatus.PENDING


def test_delete_keeps_decisions_and_a_snapshot(client, moderator, make):
    article = make.article("Ferry timetable changes")
    comment = make.comment(article, status=CommentStatus.PENDING, author_name="Del Eted",
                           body="<p>Something <em>regrettable</em> here.</p>")
    db.session.add(ModerationDecision(comment=comment, comment_ref=comment.id, from_status="new",
                                      to_status="pending"))
    db.session.commit()
    comment_id, comment_email = comment.id, comment.author_email
    response = client.post(f"/moderation/comments/{comment_id}/delete",
                           data={"reason": "doxxing", "next": BACK})
    assert response.location == BACK
    assert fresh(comment_id) is None
    arrival, deletion = decisions_for(comment_id)
    assert arrival.comment_id is None and arrival.to_status == "pending"
    assert deletion.comment_id is None
    assert (deletion.from_status, deletion.to_status) == ("pending", "deleted")
    assert deletion.reason == "doxxing"
    assert deletion.moderator_id == moderator.id
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "delete-comment"))
    assert entry.subject == f"comment {comment_id}" and entry.actor_id == moderator.id
    assert entry.detail["author_name"] == "Del Eted"
    assert entry.detail["article_headline"] == "Ferry timetable changes"
    assert entry.detail["excerpt"] == "Something regrettable here."
    assert comment_email not in str(entry.detail)  # only its keyed hash, for erasure
    assert entry.detail["email_hmac"] == email_digest(comment_email)


def test_delete_takes_the_replies_with_a_record_for_each(client, moderator, make):
    article = make.article()
    root = make.comment(article)
    child = make.comment(article, parent=root)
    grandchild = make.comment(article, parent=child, status=CommentStatus.PENDING)
    sibling = make.comment(article, parent=root)
    unrelated = make.comment(article)
    db.session.commit()
    ids = [child.id, grandchild.id]
    client.post(f"/moderation/comments/{child.id}/delete", data={"reason": "off topic"})
    assert [fresh(i) for i in ids] == [None, None]
    assert fresh(root.id) and fresh(sibling.id) and fresh(unrelated.id)
    expected = f"reply to deleted comment {child.id}: off topic"
    assert decisions_for(grandchild.id)[0].reason == expected
    assert decisions_for(grandchild.id)[0].from_status == "pending"
    snapshots = db.session.scalars(select(AuditEntry.subject).where(
        AuditEntry.action == "delete-comment")).all()
    assert sorted(snapshots) == sorted(f"comment {i}" for i in ids)


def test_bulk_decision_on_ticked_comments(client, moderator, make):
    article = make.article()
    ticked = [make.comment(article, status=CommentStatus.PENDING) for _ in range(3)]
    left = make.comment(article, status=CommentStatus.PENDING)
    db.session.commit()
    response = client.post("/moderation/comments/bulk", data={
        "ids": [str(c.id) for c in ticked] + ["nonsense"], "action": "spam",
        "reason": "link farm", "next": BACK,
    })
    assert response.location == BACK
    for comment in ticked:
        assert fresh(comment.id).status is CommentStatus.SPAM
        [decision] = decisions_for(comment.id)
        assert (decision.to_status, decision.reason) == ("spam", "link farm")
        assert decision.moderator_id == moderator.id
    assert fresh(left.id).status is CommentStatus.PENDING
    assert decisions_for(left.id) == []


def test_bulk_delete_of_a_parent_and_its_reply(client, moderator, make):
    article = make.article()
    parent = make.comment(article, status=CommentStatus.PENDING)
    reply = make.comment(article, parent=parent, status=CommentStatus.PENDING)
    db.session.commit()
    ids = [parent.id, reply.id]
    response = client.post("/moderation/comments/bulk",
                           data={"ids": [str(i) for i in ids], "action": "delete",
                                 "confirmed": "yes"})
    assert response.status_code == 302
    assert [fresh(i) for i in ids] == [None, None]
    assert [d.to_status for i in ids for d in decisions_for(i)] == ["deleted", "deleted"]


def test_bulk_without_ticks_says_so(client, moderator, pending):
    comment = pending()
    response = client.post("/moderation/comments/bulk", data={"action": "approve", "next": BACK},
                           follow_redirects=True)
    assert "Tick at least one comment." in response.get_data(as_text=True)
    assert fresh(comment.id).status is CommentStatus.PENDING


def test_bulk_with_an_unknown_action_changes_nothing(client, moderator, pending):
    comment = pending()
    client.post("/moderation/comments/bulk", data={"ids": str(comment.id), "action": "publish"})
    assert fresh(comment.id).status is CommentStatus.PENDING


def test_approved_comment_appears_on_the_article(client, moderator, make):
    article = make.article()
    comment = make.comment(article, status=CommentStatus.PENDING, body="Now *public*, at last")
    db.session.commit()
    assert "Now *public*" not in client.get(f"/articles/{article.slug}").get_data(as_text=True)
    client.post(f"/moderation/comments/{comment.id}/approve")
    assert "Now *public*" in client.get(f"/articles/{article.slug}").get_data(as_text=True)


def test_queue_buttons_post_to_the_action_urls(client, moderator, pending):
    comment = pending()
    html = client.get("/moderation/").get_data(as_text=True)
    for action in ["approve", "reject", "spam"]:
        assert f'formaction="/moderation/comments/{comment.id}/{action}"' in html
    # delete asks first: the row links to a confirmation page whose form POSTs the delete
    assert f'href="/moderation/comments/{comment.id}/delete?next=' in html
    confirm = client.get(f"/moderation/comments/{comment.id}/delete?next=/moderation/").text
    assert f'action="/moderation/comments/{comment.id}/delete"' in confirm
    assert "Deleting cannot be undone" in confirm
    assert f'name="ids" value="{comment.id}" form="bulk"' in html
    status = db.session.scalar(select(Comment.status).where(Comment.id == comment.id))
    assert status is CommentStatus.PENDING
