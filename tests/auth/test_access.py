"""Access tables (role × route → status): the role guard, and the real staff desks."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Blueprint
from werkzeug.exceptions import MethodNotAllowed, NotFound

from newsroom.auth import require_roles
from newsroom.extensions import db
from newsroom.models import Role
from tests.helpers import sign_in_session

ANONYMOUS = None
ROLES = [ANONYMOUS, Role.MODERATOR, Role.EDITOR, Role.ADMIN]

#: What each role gets on each desk; anonymous visitors go to the login page.
EXPECTED = {
    "moderation": {Role.MODERATOR: 200, Role.EDITOR: 403, Role.ADMIN: 200},
    "editor": {Role.MODERATOR: 403, Role.EDITOR: 200, Role.ADMIN: 200},
}


def _probe_blueprint(name: str, role: Role) -> Blueprint:
    """A tiny staff area guarded the way the real desks are."""
    blueprint = Blueprint(f"probe_{name}", __name__, url_prefix=f"/probe/{name}")
    require_roles(blueprint, role)

    @blueprint.get("/")
    def index():
        return "inside"

    @blueprint.post("/act")
    def act():
        return "done"

    return blueprint


@pytest.fixture
def probe_app(make_app):
    app = make_app()
    app.register_blueprint(_probe_blueprint("moderation", Role.MODERATOR))
    app.register_blueprint(_probe_blueprint("editor", Role.EDITOR))
    with app.app_context():
        yield app


def _sign_in(client, make, role: Role | None) -> None:
    if role is None:
        return
    user = make.user(role)
    db.session.commit()
    sign_in_session(client, user.get_id())


def _assert_sent_to_login(response, path: str) -> None:
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login"
    assert parse_qs(location.query)["next"] == [path]


@pytest.mark.parametrize("desk", ["moderation", "editor"])
@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.value if role else "anonymous")
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_require_roles(probe_app, make, desk, role, method):
    client = probe_app.test_client()
    _sign_in(client, make, role)
    path = f"/probe/{desk}/" if method == "GET" else f"/probe/{desk}/act"

    response = client.open(path, method=method)

    if role is ANONYMOUS:
        _assert_sent_to_login(response, path)
    else:
        assert response.status_code == EXPECTED[desk][role]


def test_a_deactivated_user_is_sent_to_login(probe_app, make):
    client = probe_app.test_client()
    user = make.user(Role.ADMIN, active=False)
    db.session.commit()
    sign_in_session(client, user.get_id())

    _assert_sent_to_login(client.get("/probe/editor/"), "/probe/editor/")


def test_signing_in_from_the_login_page_returns_to_the_desk(probe_app, make):
    client = probe_app.test_client()
    make.user(Role.MODERATOR, email="mod@newsroom.example")
    db.session.commit()
    login_url = client.get("/probe/moderation/").headers["Location"]
    next_path = parse_qs(urlsplit(login_url).query)["next"][0]

    login = {"email": "mod@newsroom.example", "password": "correct horse battery"}
    response = client.post("/login", data={**login, "next": next_path})

    assert response.headers["Location"] == "/probe/moderation/"
    assert client.get("/probe/moderation/").status_code == 200


def _skip_unless_routed(app, path: str) -> None:
    """Run once the desk's blueprint is registered (other areas of the project build them)."""
    try:
        app.url_map.bind("news.example").match(path, method="GET")
    except (NotFound, MethodNotAllowed):
        pytest.skip(f"no GET {path} route is registered yet")


@pytest.mark.parametrize("desk", ["moderation", "editor"])
@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.value if role else "anonymous")
def test_the_real_desks(app, client, make, desk, role):
    path = f"/{desk}/"
    _skip_unless_routed(app, path)
    _sign_in(client, make, role)

    response = client.get(path)

    if role is ANONYMOUS:
        _assert_sent_to_login(response, path)
    else:
        assert response.status_code == EXPECTED[desk][role]
