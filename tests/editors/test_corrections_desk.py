"""The desk's corrections page: add to any story, remove (recorded, never deleted), roles, CSRF."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import ArticleRevision, Correction, CorrectionKind, Role
from tests import factories
from tests.helpers import sign_in_session


@pytest.fixture
def editor(login_as):
    return login_as(Role.EDITOR, name="Mara Inkwell")


@pytest.fixture(params=["own", "syndicated"])
def story(request, make):
    if request.param == "own":
        article = make.article("Harbour wall repaired", slug="harbour-wall")
    else:
        article = make.syndicated_article(headline="Harbour wall repaired", slug="harbour-wall")
    db.session.commit()
    return article


def revisions(article) -> list[ArticleRevision]:
    return list(db.session.scalars(select(ArticleRevision).where(
        ArticleRevision.article_id == article.id).order_by(ArticleRevision.id)))


def add(client, article, **fields):
    data = {"kind": "correction", "text": "The wall is 40 metres long, not 400.", **fields}
    return client.post(f"/editor/articles/{article.id}/corrections", data=data)


def test_an_editor_adds_a_correction_to_any_story(client, editor, story):
    response = add(client, story, pinned_above_comments="y")
    assert response.status_code == 303
    correction = db.session.scalars(select(Correction)).one()
    assert (correction.kind, correction.text) == (
        CorrectionKind.CORRECTION, "The wall is 40 metres long, not 400.")
    assert correction.created_by_id == editor.id and correction.pinned_above_comments
    [revision] = revisions(story)
    assert revision.action == "correction added" and revision.user_id == editor.id
    assert revision.changes == {"correction": [None, "Correction: The wall is 40 metres long, not 400."]}
    page = client.get(f"/editor/articles/{story.id}/corrections").text
    assert "The wall is 40 metres long, not 400." in page and "by Mara Inkwell" in page
    assert "Remove from the story" in page
    assert f"/editor/articles/{story.id}/corrections" in client.get(
        f"/editor/articles/{story.id}").text


@pytest.mark.parametrize("fields, message", [
    ({"text": "   "}, "Please write what the note says."),
    ({"text": "x" * 2001}, "Please keep it under 2000 characters."),
    ({"kind": "retraction"}, "Not a valid choice"),
])
def test_a_refused_correction_shows_the_form_again_with_what_was_typed(
    client, editor, story, fields, message
):
    response = add(client, story, **fields)
    assert response.status_code == 400 and message in response.text
    if fields.get("text", "").strip():
        assert fields["text"][:50] in response.text
    assert db.session.scalars(select(Correction)).all() == []


def test_removing_is_recorded_and_the_correction_stays_in_the_history(client, editor, story):
    add(client, story)
    correction = db.session.scalars(select(Correction)).one()
    url = f"/editor/articles/{story.id}/corrections/{correction.id}/remove"
    assert client.post(url).status_code == 303
    db.session.expire_all()
    correction = db.session.get(Correction, correction.id)
    assert correction is not None and correction.removed_by_id == editor.id
    assert correction.removed_at is not None
    assert [r.action for r in revisions(story)] == ["correction added", "correction removed"]
    assert revisions(story)[-1].changes == {
        "correction": ["Correction: The wall is 40 metres long, not 400.", None]}
    page = client.get(f"/editor/articles/{story.id}/corrections").text
    assert "The wall is 40 metres long, not 400." in page and "readers no longer see it" in page
    assert "Remove from the story" not in page
    history = client.get(f"/editor/articles/{story.id}").text
    assert "<strong>Correction removed</strong> by Mara Inkwell" in history
    again = client.post(url, follow_redirects=True)
    assert "already removed" in again.text
    assert len(revisions(story)) == 2


def test_a_correction_of_another_story_is_not_found(client, editor, make, story):
    add(client, story)
    correction = db.session.scalars(select(Correction)).one()
    other = make.article("Other story")
    db.session.commit()
    url = f"/editor/articles/{other.id}/corrections/{correction.id}/remove"
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("role, status", [(None, 302), (Role.MODERATOR, 403)])
def test_only_editors_add_or_remove(client, login_as, make, role, status):
    article = make.article("Guarded story")
    db.session.commit()
    if role is not None:
        login_as(role)
    assert add(client, article).status_code == status
    assert db.session.scalars(select(Correction)).all() == []


def test_the_page_costs_the_same_queries_for_few_or_many_corrections(
    client, editor, story, count_queries
):
    def queries():
        with count_queries() as recorded:
            assert client.get(f"/editor/articles/{story.id}/corrections").status_code == 200
        db.session.expire_all()
        return len(recorded)

    add(client, story)
    queries()
    few = queries()
    for n in range(25):
        add(client, story, text=f"Note {n}.", kind="update")
    assert queries() == few


@pytest.fixture
def csrf_client(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = factories.user(Role.EDITOR)
        db.session.commit()
        client = app.test_client()
        sign_in_session(client, user.get_id())
        yield client


def test_adding_and_removing_need_the_csrf_token(csrf_client):
    article = factories.article("Guarded story")
    db.session.commit()
    assert add(csrf_client, article).status_code == 400
    assert db.session.scalars(select(Correction)).all() == []
    page = csrf_client.get(f"/editor/articles/{article.id}/corrections").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert add(csrf_client, article, csrf_token=token).status_code == 303
    correction = db.session.scalars(select(Correction)).one()
    url = f"/editor/articles/{article.id}/corrections/{correction.id}/remove"
    assert csrf_client.post(url).status_code == 400
    db.session.expire_all()
    assert db.session.get(Correction, correction.id).removed_at is None
    assert csrf_client.post(url, data={"csrf_token": token}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Correction, correction.id).removed_at is not None
