"""With CSRF protection on (as in production), the desk refuses POSTs without a valid token."""
import re

import pytest
from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import Article, Role, Section
from tests import factories
from tests.helpers import sign_in_session


@pytest.fixture
def csrf_app(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app


@pytest.fixture
def editor_client(csrf_app):
    user = factories.user(Role.EDITOR)
    db.session.commit()
    client = csrf_app.test_client()
    sign_in_session(client, user.get_id())
    return client


@pytest.fixture
def story(csrf_app):
    article = factories.article("Guarded story", published=False)
    section = factories.section("Guarded")
    db.session.commit()
    return {"article": article.id, "section": section.id}


@pytest.mark.parametrize(
    "route",
    [
        "/editor/articles/new",
        "/editor/articles/{article}/edit",
        "/editor/articles/{article}/publish",
        "/editor/articles/{article}/unpublish",
        "/editor/articles/{article}/schedule",
        "/editor/sections/new",
        "/editor/sections/{section}/delete",
        "/editor/outlets/new",
    ],
)
def test_posts_without_a_token_are_refused(editor_client, story, route):
    response = editor_client.post(
        route.format(**story), data={"headline": "Forged", "name": "Forged"}
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Article, story["article"]).published_at is None
    assert db.session.scalar(select(Article).where(Article.headline == "Forged")) is None
    assert db.session.get(Section, story["section"]) is not None


def test_the_token_from_the_page_is_accepted(editor_client, story):
    page = editor_client.get(f"/editor/articles/{story['article']}").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = editor_client.post(
        f"/editor/articles/{story['article']}/publish", data={"csrf_token": token}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Article, story["article"]).published_at is not None
