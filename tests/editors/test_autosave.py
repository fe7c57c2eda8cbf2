"""Autosave: kept per story and person, offered back on reopening, never saving over a newer save."""
import pytest
from sqlalchemy import select

from newsroom.editors.services import ARTICLE_FIELDS, save_article
from newsroom.extensions import db
from newsroom.models import Article, ArticleAutosave, Role, utcnow
from tests import factories
from tests.editors.helpers import article_form


@pytest.fixture
def editor(login_as):
    return login_as(Role.EDITOR, name="Mara Inkwell")


def _typed(article, **fields):
    return {"version": article.version, "headline": article.headline, "standfirst": "",
            "body": "<p>Half a sentence</p>", **fields}


def test_autosave_keeps_the_typing_without_touching_the_story(client, editor, make):
    article = make.article("Tide tables", published=False, body="<p>Stored text.</p>")
    db.session.commit()
    response = client.post(f"/editor/articles/{article.id}/autosave",
                           json=_typed(article, body="<p>Typed <script>x()</script>text</p>"))
    assert response.status_code == 200
    assert response.json["conflict"] is None and response.json["saved_at_text"].endswith("UTC")
    db.session.expire_all()
    assert db.session.get(Article, article.id).body == "<p>Stored text.</p>"
    record = db.session.scalar(select(ArticleAutosave))
    assert record.fields["body"] == "<p>Typed text</p>"  # the sanitiser ran
    client.post(f"/editor/articles/{article.id}/autosave", json=_typed(article, body="<p>More</p>"))
    assert db.session.query(ArticleAutosave).count() == 1  # one per story and person


def test_reopening_offers_the_autosave_and_restores_it(client, editor, make):
    article = make.article("Tide tables", published=False, body="<p>Stored text.</p>")
    db.session.commit()
    client.post(f"/editor/articles/{article.id}/autosave", json=_typed(article))
    page = client.get(f"/editor/articles/{article.id}/edit")
    assert "Restore unsaved changes from" in page.text
    assert "Half a sentence" not in page.text
    restored = client.get(f"/editor/articles/{article.id}/edit?restore=1")
    assert "Half a sentence" in restored.text and "Unsaved changes restored" in restored.text
    client.post(f"/editor/articles/{article.id}/edit",
                data=article_form(article, body="<p>Half a sentence</p>", version=article.version))
    assert db.session.query(ArticleAutosave).count() == 0  # saving clears it
    assert "Restore unsaved changes" not in client.get(f"/editor/articles/{article.id}/edit").text


def test_discarding_the_autosave_forgets_it(client, editor, make):
    article = make.article("Tide tables", published=False)
    db.session.commit()
    client.post(f"/editor/articles/{article.id}/autosave", json=_typed(article))
    response = client.post(f"/editor/articles/{article.id}/autosave/discard")
    assert response.status_code == 302
    assert db.session.query(ArticleAutosave).count() == 0


def test_a_newer_save_by_someone_else_is_reported_and_never_overwritten(client, editor, make):
    article = make.article("Tide tables", published=False, body="<p>Stored.</p>")
    db.session.commit()
    base = article.version
    other = factories.user(Role.EDITOR, name="Ossian Reed")
    data = {name: getattr(article, name) for name in ARTICLE_FIELDS}
    save_article(article, {**data, "body": "<p>Ossian's text.</p>"}, other, utcnow())
    db.session.commit()
    response = client.post(f"/editor/articles/{article.id}/autosave",
                           json={**_typed(article), "version": base})
    assert response.status_code == 200
    assert response.json["conflict"].startswith("Ossian Reed saved a newer version at ")
    db.session.expire_all()
    assert db.session.get(Article, article.id).body == "<p>Ossian's text.</p>"
    # saving the restored text from the old version is the stale-save refusal, text kept
    client.get(f"/editor/articles/{article.id}/edit?restore=1")
    refused = client.post(f"/editor/articles/{article.id}/edit",
                          data=article_form(article, body="<p>Half a sentence</p>", version=base))
    assert refused.status_code == 409 and "Half a sentence" in refused.text


@pytest.mark.parametrize("payload, message", [
    ("not json", "Send a JSON object."),
    ({"headline": "x"}, "Send the story's version"),
    ({"version": 1, "body": 5}, "“body” must be text."),
    ({"version": 1, "headline": "h" * 301}, "longer than 300 characters"),
])
def test_a_bad_autosave_gets_a_clear_error(client, editor, make, payload, message):
    article = make.article("Tide tables", published=False)
    db.session.commit()
    if isinstance(payload, str):
        response = client.post(f"/editor/articles/{article.id}/autosave", data=payload,
                               content_type="application/json")
    else:
        response = client.post(f"/editor/articles/{article.id}/autosave", json=payload)
    assert response.status_code == 400
    assert message in response.json["error"]
    missing = client.post("/editor/articles/999999/autosave", json=_typed(article))
    assert missing.status_code == 404 and "error" in missing.json


@pytest.mark.parametrize("version", [2**31, 10**30, "9" * 30, "²", -1, True])
def test_an_odd_version_is_a_clear_400_not_a_500(client, editor, make, version):
    """The JSON body is a boundary too: numbers are range-checked like a form's (issue 9, 6)."""
    article = make.article("Tide tables", published=False)
    db.session.commit()
    response = client.post(f"/editor/articles/{article.id}/autosave",
                           json={**_typed(article), "version": version})
    assert response.status_code == 400
    assert "Send the story's version" in response.json["error"]


def test_control_characters_in_an_autosave_are_stripped(client, editor, make):
    article = make.article("Tide tables", published=False)
    db.session.commit()
    response = client.post(f"/editor/articles/{article.id}/autosave", json={
        "version": article.version, "headline": "Tide\x00 tables\x0b", "standfirst": "A\x01\tb",
        "body": "<p>Low\x00 water</p>"})
    assert response.status_code == 200
    db.session.expire_all()
    fields = db.session.scalars(select(ArticleAutosave)).one().fields
    assert fields["headline"] == "Tide tables" and fields["standfirst"] == "A\tb"
    assert "\x00" not in fields["body"] and "Low water" in fields["body"]
