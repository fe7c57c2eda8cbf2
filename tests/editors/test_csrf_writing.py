"""The writing tools' POSTs refuse a missing CSRF token (autosave takes it in X-CSRFToken)."""
import re

import pytest

from newsroom.extensions import db
from newsroom.models import ArticleAutosave, Role
from tests import factories
from tests.helpers import sign_in_session


@pytest.fixture
def csrf_client(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = factories.user(Role.EDITOR)
        article = factories.article("Guarded", published=False)
        db.session.commit()
        client = app.test_client()
        sign_in_session(client, user.get_id())
        yield client, article.id


@pytest.mark.parametrize("route", ["trash", "restore", "autosave", "autosave/discard"])
def test_posts_without_a_token_are_refused(csrf_client, route):
    client, article_id = csrf_client
    response = client.post(f"/editor/articles/{article_id}/{route}", json={"version": 1})
    assert response.status_code == 400


def test_bulk_without_a_token_is_refused(csrf_client):
    client, article_id = csrf_client
    response = client.post("/editor/articles/bulk", data={"action": "trash",
                                                           "article_id": str(article_id)})
    assert response.status_code == 400


def test_autosave_with_the_page_token_in_the_header_is_kept(csrf_client):
    client, article_id = csrf_client
    page = client.get(f"/editor/articles/{article_id}/edit").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(f"/editor/articles/{article_id}/autosave",
                           json={"version": 1, "headline": "Guarded", "standfirst": "",
                                 "body": "<p>typed</p>"},
                           headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert db.session.query(ArticleAutosave).count() == 1
