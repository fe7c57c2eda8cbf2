"""Every desk route: signed-out visitors sign in, moderators get 403, editors and admins pass."""
import pytest

from newsroom.extensions import db
from newsroom.models import Role

GET_ROUTES = [
    "/editor/",
    "/editor/?state=scheduled",
    "/editor/articles/new",
    "/editor/articles/{article}",
    "/editor/articles/{article}/edit",
    "/editor/articles/{article}/preview",
    "/editor/articles/{article}/source-update",
    "/editor/articles/{article}/corrections",
    "/editor/articles/{article}/rights",
    "/editor/sections",
    "/editor/sections/new",
    "/editor/sections/{section}/edit",
    "/editor/outlets",
    "/editor/outlets/new",
    "/editor/outlets/{outlet}",
    "/editor/outlets/{outlet}/edit",
    "/editor/media",
    "/editor/media?q=harbour&article={article}&use=body",
    "/editor/media/upload",
    "/editor/media/upload?article={article}&use=lead",
]
POST_ROUTES = [
    "/editor/articles/new",
    "/editor/articles/{article}/edit",
    "/editor/articles/{article}/publish",
    "/editor/articles/{article}/schedule",
    "/editor/articles/{article}/unpublish",
    "/editor/articles/{article}/source-update/1/apply",
    "/editor/articles/{article}/source-update/1/dismiss",
    "/editor/articles/{article}/corrections",
    "/editor/articles/{article}/corrections/1/remove",
    "/editor/articles/{article}/rights",
    "/editor/sections/new",
    "/editor/sections/{section}/edit",
    "/editor/sections/{section}/delete",
    "/editor/outlets/new",
    "/editor/outlets/{outlet}/edit",
    "/editor/outlets/{outlet}/fetch",
    "/editor/media/upload",
    "/editor/media/1/place",
]


@pytest.fixture
def ids(make):
    section = make.section()
    outlet = make.outlet()
    article = make.article(published=False, section=section)
    db.session.commit()
    return {"article": article.id, "section": section.id, "outlet": outlet.id}


@pytest.mark.parametrize("route", GET_ROUTES)
@pytest.mark.parametrize(
    "role, status", [(None, 302), (Role.MODERATOR, 403), (Role.EDITOR, 200), (Role.ADMIN, 200)]
)
def test_get_access_by_role(client, login_as, ids, route, role, status):
    if role is not None:
        login_as(role)
    response = client.get(route.format(**ids))
    assert response.status_code == status
    if role is None:
        assert response.location.startswith("/login")


@pytest.mark.parametrize("route", POST_ROUTES)
@pytest.mark.parametrize("role, status", [(None, 302), (Role.MODERATOR, 403)])
def test_post_refused_without_the_role(client, login_as, ids, route, role, status):
    if role is not None:
        login_as(role)
    response = client.post(route.format(**ids), data={"headline": "Changed", "name": "Changed"})
    assert response.status_code == status
    db.session.expire_all()
    from newsroom.models import Article, Section

    assert db.session.get(Article, ids["article"]).headline != "Changed"
    assert db.session.get(Section, ids["section"]).name != "Changed"


def test_a_refused_page_says_which_role_it_needs(client, login_as, ids):
    login_as(Role.MODERATOR)
    page = client.get("/editor/").get_data(as_text=True)
    assert "This page is for editors (and admins)." in page
    assert "You are signed in as a moderator" in page
