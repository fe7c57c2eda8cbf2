"""With CSRF protection on (as in production), desk POSTs without a valid token are refused."""
from __future__ import annotations

import re

import pytest

from newsroom.extensions import db
from newsroom.models import CommentStatus, Role
from tests.helpers import sign_in_session
from tests.moderation.helpers import decisions_for, fresh


@pytest.fixture
def csrf_client(make_app, make):
    """A client of an app with CSRF on, signed in as a moderator."""
    user = make.user(Role.MODERATOR)
    db.session.commit()
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    sign_in_session(client, user.get_id())
    return client


@pytest.fixture
def comment(make):
    comment = make.comment(make.article(), status=CommentStatus.PENDING)
    db.session.commit()
    return comment


@pytest.mark.parametrize("action", ["approve", "reject", "spam", "delete"])
def test_action_without_token_is_refused(csrf_client, comment, action):
    response = csrf_client.post(f"/moderation/comments/{comment.id}/{action}", data={"reason": "x"})
    assert response.status_code == 400
    after = fresh(comment.id)
    assert after is not None and after.status is CommentStatus.PENDING
    assert decisions_for(comment.id) == []


@pytest.mark.parametrize(
    "url, data",
    [
        ("/moderation/comments/bulk", {"ids": "{id}", "action": "spam"}),
        ("/moderation/comments/{id}/keep", {"reason": "fine"}),
        ("/moderation/comments/{id}/reply", {"body": "A reply"}),
        ("/moderation/comments/{id}/ban", {"kind": "email"}),
        ("/moderation/blocklist", {"kind": "word", "value": "casino"}),
    ],
)
def test_other_posts_without_token_are_refused(csrf_client, comment, url, data):
    data = {key: value.format(id=comment.id) for key, value in data.items()}
    response = csrf_client.post(url.format(id=comment.id), data=data)
    assert response.status_code == 400
    assert fresh(comment.id).status is CommentStatus.PENDING
    assert decisions_for(comment.id) == []


def test_wrong_token_is_refused(csrf_client, comment):
    response = csrf_client.post(
        f"/moderation/comments/{comment.id}/approve", data={"csrf_token": "forged"}
    )
    assert response.status_code == 400
    assert fresh(comment.id).status is CommentStatus.PENDING


def test_token_from_the_queue_page_is_accepted(csrf_client, comment):
    page = csrf_client.get("/moderation/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = csrf_client.post(
        f"/moderation/comments/{comment.id}/approve", data={"csrf_token": token}
    )
    assert response.status_code == 302
    assert fresh(comment.id).status is CommentStatus.APPROVED


def test_lifting_a_ban_or_removing_an_entry_without_token_is_refused(csrf_client):
    from newsroom.models import Ban, BanKind, BlocklistEntry, BlocklistKind

    ban = Ban(kind=BanKind.IP, value="192.0.2.31")
    entry = BlocklistEntry(kind=BlocklistKind.WORD, value="casino")
    db.session.add_all([ban, entry])
    db.session.commit()
    ban_id, entry_id = ban.id, entry.id
    assert csrf_client.post(f"/moderation/bans/{ban_id}/lift").status_code == 400
    assert csrf_client.post(f"/moderation/blocklist/{entry_id}/remove").status_code == 400
    db.session.expire_all()
    assert db.session.get(Ban, ban_id).lifted_at is None
    assert db.session.get(BlocklistEntry, entry_id) is not None
