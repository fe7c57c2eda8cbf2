"""Deciding for throughput: in place (JSON for the desk's script), on to the next row without
it, undo recorded like any decision, deletes that ask first, and the commenter's record."""
from __future__ import annotations

import re

from newsroom.extensions import db
from newsroom.models import CommentStatus
from tests.moderation.helpers import decisions_for, fresh

JSON = {"Accept": "application/json"}


def test_a_decision_asked_for_as_json_answers_json_with_its_undo(client, moderator, pending):
    comment = pending(author_name="Jo Json")
    response = client.post(f"/moderation/comments/{comment.id}/approve", headers=JSON)
    assert response.status_code == 200
    assert response.json == {"message": "Approved: the comment by Jo Json.", "category": "success",
                             "status": "approved",
                             "undo": f"/moderation/comments/{comment.id}/undo"}
    assert fresh(comment.id).status is CommentStatus.APPROVED


def test_without_javascript_a_decision_returns_to_the_next_rows_anchor(client, moderator, make):
    article = make.article()
    first = make.comment(article, status=CommentStatus.PENDING, author_name="First One")
    second = make.comment(article, status=CommentStatus.PENDING, author_name="Second One")
    db.session.commit()
    html = client.get("/moderation/").get_data(as_text=True)
    row = html[html.index(f'id="row-{first.id}"'):html.index(f'id="row-{second.id}"')]
    [next_url] = re.findall(r'name="next" value="([^"]*#row-\d+)"', row)
    assert next_url.endswith(f"#row-{second.id}")
    response = client.post(f"/moderation/comments/{first.id}/reject",
                           data={"next": next_url.replace("&amp;", "&")})
    assert response.status_code == 302 and response.location.endswith(f"#row-{second.id}")


def test_undo_restores_the_previous_status_and_is_recorded(client, moderator, pending):
    comment = pending(author_name="Una Undo")
    client.post(f"/moderation/comments/{comment.id}/spam", data={"next": "/moderation/"})
    # the queue offers the undo (without JavaScript: a form in the notice)
    queue = client.get("/moderation/").get_data(as_text=True)
    assert f'action="/moderation/comments/{comment.id}/undo"' in queue
    response = client.post(f"/moderation/comments/{comment.id}/undo", headers=JSON)
    assert response.status_code == 200 and response.json["status"] == "pending"
    assert fresh(comment.id).status is CommentStatus.PENDING
    moves = [(d.from_status, d.to_status, d.moderator_id) for d in decisions_for(comment.id)]
    assert moves == [("pending", "spam", moderator.id), ("spam", "pending", moderator.id)]
    assert decisions_for(comment.id)[-1].reason == "undo: back to pending"


def test_undo_without_a_decision_to_undo_is_refused_plainly(client, moderator, pending):
    comment = pending(author_name="Nell New")
    response = client.post(f"/moderation/comments/{comment.id}/undo", headers=JSON)
    assert response.status_code == 409
    assert response.json["message"] == "There is no decision to undo on the comment by Nell New."
    response = client.post(f"/moderation/comments/{comment.id}/undo", data={"next": "/moderation/"})
    assert response.status_code == 302
    assert "There is no decision to undo" in client.get("/moderation/").get_data(as_text=True)
    assert decisions_for(comment.id) == []


def test_bulk_delete_asks_first_and_says_how_many(client, moderator, make):
    article = make.article()
    ids = [make.comment(article, status=CommentStatus.PENDING).id for _ in range(3)]
    db.session.commit()
    data = {"ids": [str(i) for i in ids], "action": "delete", "next": "/moderation/"}
    page = client.post("/moderation/comments/bulk", data=data)
    assert page.status_code == 200 and "Delete 3 ticked comments?" in page.text
    assert all(fresh(i) is not None for i in ids)
    for i in ids:
        assert f'name="ids" value="{i}"' in page.text
    done = client.post("/moderation/comments/bulk", data={**data, "confirmed": "yes"})
    assert done.status_code == 302 and all(fresh(i) is None for i in ids)


def test_the_row_shows_the_commenters_record_by_email_and_ip(client, moderator, make):
    article = make.article()
    who = {"author_email": "rec@readers.example", "ip_address": "192.0.2.77"}
    for status in (CommentStatus.APPROVED, CommentStatus.APPROVED, CommentStatus.SPAM):
        make.comment(article, status=status, **who)
    make.comment(article, status=CommentStatus.REJECTED, ip_address="192.0.2.77")
    make.comment(article, status=CommentStatus.PENDING, **who)
    db.session.commit()
    html = client.get("/moderation/").get_data(as_text=True)
    assert "This email: 2 approved, 0 rejected, 1 spam; first seen" in html
    assert "This IP: 2 approved, 1 rejected, 1 spam; first seen" in html


def test_the_keys_are_documented_on_the_page(client, moderator, pending):
    pending()
    html = client.get("/moderation/").get_data(as_text=True)
    for key, meaning in [("j", "next"), ("a", "approve"), ("r", "reject"), ("s", "mark as spam"),
                         ("u", "undo the last decision"), ("?", "show or hide this list")]:
        assert f"<kbd>{key}</kbd>" in html and meaning in html
    assert 'aria-keyshortcuts="a"' in html


def test_blocklist_tabs_are_named_in_words(client, moderator):
    html = client.get("/moderation/blocklist").get_data(as_text=True)
    for label in ("Words and phrases", "Email addresses", "IP addresses", "Email domains"):
        assert f">{label}</a>" in html
    assert "Ips" not in html
