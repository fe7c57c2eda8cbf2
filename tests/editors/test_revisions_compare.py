"""Revisions compared word by word (escaped), and restored as a new revision."""
import pytest
from markupsafe import Markup
from sqlalchemy import select

from newsroom.editors.revisions import word_diff
from newsroom.extensions import db
from newsroom.models import Article, ArticleRevision, Role
from tests.editors.helpers import article_form


@pytest.fixture
def editor(login_as):
    return login_as(Role.EDITOR, name="Mara Inkwell")


def _revisions(article_id):
    return list(db.session.scalars(select(ArticleRevision)
                                   .where(ArticleRevision.article_id == article_id)
                                   .order_by(ArticleRevision.id)))


def test_word_diff_marks_words_and_escapes_everything():
    html = word_diff("<p>The ferry left at <b>noon</b></p>", "<p>The ferry left at dusk</p>")
    assert isinstance(html, Markup)
    assert "<del> &lt;b&gt;noon&lt;/b&gt;</del><ins> dusk</ins>" in html
    assert html.startswith("&lt;p&gt;The ferry left at<del>")
    assert "<script>" not in word_diff("", "<script>alert(1)</script>")


def _write_two_versions(client):
    client.post("/editor/articles/new", data=article_form(
        headline="Ferry timetable", body="<p>The ferry leaves at noon every day.</p>"))
    article = db.session.scalar(select(Article).where(Article.headline == "Ferry timetable"))
    client.post(f"/editor/articles/{article.id}/edit", data=article_form(
        article, body="<p>The ferry leaves at dusk on weekdays.</p>", version=article.version))
    db.session.expire_all()
    return article


def test_compare_any_two_revisions(client, editor):
    article = _write_two_versions(client)
    first, second = _revisions(article.id)
    assert first.snapshot["body"] == "<p>The ferry leaves at noon every day.</p>"
    page = client.get(f"/editor/articles/{article.id}/compare?a={first.id}&b={second.id}")
    assert page.status_code == 200
    assert "leaves at<del> noon every day.</del><ins> dusk on weekdays.</ins>&lt;/p&gt;" in page.text
    reverse = client.get(f"/editor/articles/{article.id}/compare?a={second.id}&b={first.id}")
    assert "<del> dusk on weekdays.</del><ins> noon every day.</ins>" in reverse.text
    same = client.get(f"/editor/articles/{article.id}/compare?a={first.id}&b={first.id}")
    assert "These two revisions read the same." in same.text


def test_restoring_a_revision_records_a_new_one(client, editor):
    article = _write_two_versions(client)
    first, _second = _revisions(article.id)
    response = client.post(f"/editor/articles/{article.id}/revisions/{first.id}/restore")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Article, article.id).body == "<p>The ferry leaves at noon every day.</p>"
    revisions = _revisions(article.id)
    assert [r.action for r in revisions] == ["created", "edited", "restored"]
    assert "restored from" in revisions[-1].changes and "body" in revisions[-1].changes
    again = client.post(f"/editor/articles/{article.id}/revisions/{first.id}/restore",
                        follow_redirects=True)
    assert "already reads like that revision" in again.text
    assert len(_revisions(article.id)) == 3


def test_a_revision_of_another_story_is_not_found(client, editor, make):
    article = _write_two_versions(client)
    other = make.article("Other story")
    db.session.commit()
    first = _revisions(article.id)[0]
    assert client.post(f"/editor/articles/{other.id}/revisions/{first.id}/restore").status_code == 404
    assert client.get(f"/editor/articles/{other.id}/compare?a={first.id}").status_code == 200
