"""Editors' picks on the desk: who may feature, what is refused, what is recorded, the row."""
from __future__ import annotations

import re

import pytest

from newsroom.extensions import db
from newsroom.models import Article, CommentStatus, Role
from tests.helpers import sign_in_session
from tests.moderation.helpers import decisions_for, fresh

JSON = {"Accept": "application/json"}


def moves(comment_id: int) -> list[tuple[str, str, int | None, str]]:
    return [(d.from_status, d.to_status, d.moderator_id, d.reason)
            for d in decisions_for(comment_id)]


def comments_version(article_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Article, article_id).comments_version


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.EDITOR, Role.ADMIN])
def test_moderators_editors_and_admins_feature_an_approved_comment(client, login_as, make, role):
    comment = make.comment(make.article(), author_name="Pia Pick")
    db.session.commit()
    staff = login_as(role, name="Sam Staff")
    response = client.post(f"/moderation/comments/{comment.id}/feature", headers=JSON,
                           data={"reason": "a first-hand account"})
    assert response.status_code == 200
    assert response.json == {"message": "Featured: the comment by Pia Pick is an editors' pick.",
                             "category": "success", "status": "approved", "featured": True,
                             "undo": None}
    after = fresh(comment.id)
    assert after.featured_at is not None and after.featured_by_id == staff.id
    assert after.status is CommentStatus.APPROVED  # a pick changes no status
    assert moves(comment.id) == [("approved", "featured", staff.id, "a first-hand account")]


def test_an_editor_features_without_reaching_the_rest_of_the_desk(client, login_as, make):
    comment = make.comment(make.article())
    db.session.commit()
    login_as(Role.EDITOR)
    assert client.get("/moderation/").status_code == 403
    assert client.post(f"/moderation/comments/{comment.id}/approve").status_code == 403
    # without JavaScript, back where the form came from: here the editors' desk
    response = client.post(f"/moderation/comments/{comment.id}/feature",
                           data={"next": "/editor/articles/1"})
    assert response.status_code == 302 and response.location.endswith("/editor/articles/1")
    assert fresh(comment.id).featured_at is not None


def test_signed_out_visitors_are_sent_to_sign_in(client, make):
    comment = make.comment(make.article())
    db.session.commit()
    response = client.post(f"/moderation/comments/{comment.id}/feature")
    assert response.status_code == 302 and "/login" in response.location
    assert fresh(comment.id).featured_at is None and decisions_for(comment.id) == []


@pytest.mark.parametrize("status", [CommentStatus.PENDING, CommentStatus.REJECTED,
                                    CommentStatus.SPAM])
def test_only_approved_comments_can_be_featured(client, moderator, make, status):
    comment = make.comment(make.article(), status=status, author_name="Held Hal")
    db.session.commit()
    response = client.post(f"/moderation/comments/{comment.id}/feature", headers=JSON)
    assert response.status_code == 409
    assert response.json["message"] == (
        f"Only approved comments can be editors' picks: the comment by Held Hal is "
        f"{status.value}. Approve it first.")
    assert fresh(comment.id).featured_at is None and decisions_for(comment.id) == []
    # without JavaScript: the same words on the queue
    client.post(f"/moderation/comments/{comment.id}/feature", data={"next": "/moderation/"})
    assert "Only approved comments can be editors" in client.get("/moderation/").get_data(
        as_text=True)


def test_unfeature_is_recorded_and_repeats_say_so(client, moderator, make):
    comment = make.comment(make.article(), author_name="Rae Repeat")
    db.session.commit()
    url = f"/moderation/comments/{comment.id}"
    assert client.post(f"{url}/feature", headers=JSON).status_code == 200
    again = client.post(f"{url}/feature", headers=JSON)
    assert again.json["message"] == "The comment by Rae Repeat is already an editors' pick."
    assert again.json["category"] == "info"
    off = client.post(f"{url}/unfeature", headers=JSON, data={"reason": "thread moved on"})
    assert off.json["featured"] is False and off.json["category"] == "success"
    assert fresh(comment.id).featured_at is None and fresh(comment.id).featured_by_id is None
    assert client.post(f"{url}/unfeature", headers=JSON).json["message"] == (
        "The comment by Rae Repeat was not an editors' pick.")
    assert [(a, b, r) for a, b, _, r in moves(comment.id)] == [
        ("approved", "featured", ""), ("featured", "unfeatured", "thread moved on")]


def test_rejecting_a_pick_ends_it_recorded_and_the_rejection_can_still_be_undone(
    client, moderator, make
):
    comment = make.comment(make.article())
    db.session.commit()
    url = f"/moderation/comments/{comment.id}"
    client.post(f"{url}/feature", headers=JSON)
    rejected = client.post(f"{url}/reject", headers=JSON)
    assert rejected.json["status"] == "rejected"
    assert fresh(comment.id).featured_at is None
    assert [(a, b) for a, b, _, _ in moves(comment.id)] == [
        ("approved", "featured"), ("featured", "unfeatured"), ("approved", "rejected")]
    assert moves(comment.id)[1][3] == "no longer approved (rejected)"
    # the undo puts the comment back; being a pick again is a new decision
    assert client.post(f"{url}/undo", headers=JSON).json["status"] == "approved"
    assert fresh(comment.id).featured_at is None


def test_featuring_and_unfeaturing_raise_the_articles_comments_version(client, moderator, make):
    article = make.article()
    comment = make.comment(article)
    db.session.commit()
    before = comments_version(article.id)
    client.post(f"/moderation/comments/{comment.id}/feature", headers=JSON)
    featured = comments_version(article.id)
    client.post(f"/moderation/comments/{comment.id}/unfeature", headers=JSON)
    assert before < featured < comments_version(article.id)


def test_without_a_csrf_token_featuring_is_refused(make_app, make):
    user = make.user(Role.EDITOR)
    comment = make.comment(make.article())
    db.session.commit()
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    sign_in_session(client, user.get_id())
    for action in ("feature", "unfeature"):
        response = client.post(f"/moderation/comments/{comment.id}/{action}",
                               data={"reason": "x"})
        assert response.status_code == 400
    assert fresh(comment.id).featured_at is None and decisions_for(comment.id) == []


def row_of(html: str, comment_id: int) -> str:
    start = html.index(f'id="row-{comment_id}"')
    end = html.find('<li class="queue-item', start)
    return html[start:end if end > 0 else len(html)]


def visible_buttons(row: str) -> list[str]:
    return [label for attributes, label in re.findall(r"<button([^>]*)>([^<]+)</button>", row)
            if " hidden" not in attributes]


def test_the_rows_show_the_pick_buttons_and_marker_that_fit(client, moderator, make):
    article = make.article()
    plain = make.comment(article, author_name="Plain Pat")
    picked = make.comment(article, author_name="Picked Poppy")
    waiting = make.comment(article, status=CommentStatus.PENDING)
    db.session.commit()
    client.post(f"/moderation/comments/{picked.id}/feature", headers=JSON)
    html = client.get("/moderation/?status=all").get_data(as_text=True)
    assert "Feature" in visible_buttons(row_of(html, plain.id))
    assert "Unfeature" not in visible_buttons(row_of(html, plain.id))
    assert "Unfeature" in visible_buttons(row_of(html, picked.id))
    assert "Feature" not in visible_buttons(row_of(html, picked.id))
    assert not {"Feature", "Unfeature"} & set(visible_buttons(row_of(html, waiting.id)))
    assert re.search(r'class="badge pick-badge">Editors', row_of(html, picked.id))
    assert re.search(r'class="badge pick-badge" hidden>', row_of(html, plain.id))
    assert "Morgan Desk" in row_of(html, picked.id)  # who featured it, in the row's details
    assert 'aria-keyshortcuts="f"' in row_of(html, plain.id)
    assert "<kbd>f</kbd>" in html


def test_the_picks_filter_lists_one_storys_picks(client, moderator, make):
    article, other = make.article(), make.article()
    picked = make.comment(article, author_name="Picked Poppy")
    make.comment(article, author_name="Plain Pat")
    elsewhere = make.comment(other, author_name="Other Otto")
    db.session.commit()
    for comment in (picked, elsewhere):
        client.post(f"/moderation/comments/{comment.id}/feature", headers=JSON)
    html = client.get(f"/moderation/?status=approved&article={article.id}&picks=1").get_data(
        as_text=True)
    assert "Picked Poppy" in html and "Plain Pat" not in html and "Other Otto" not in html
    assert 'name="picks" type="checkbox" value="1" checked' in html
    # every row links to its story's picks
    assert f"article={article.id}&amp;picks=1" in html


def test_the_audit_log_shows_picks_and_filters_by_them(client, moderator, make):
    comment = make.comment(make.article(), author_name="Audit Ada")
    db.session.commit()
    client.post(f"/moderation/comments/{comment.id}/feature", headers=JSON)
    html = client.get("/moderation/audit?action=featured").get_data(as_text=True)
    assert "Featured (editors&#39; pick)" in html and "Audit Ada" in html
    assert "Featured (editors&#39; pick)" not in client.get(
        "/moderation/audit?action=unfeatured").get_data(as_text=True).split("</select>")[-1]
