"""Sign-in and sign-out: where users land, the one failure message, POST-only sign-out."""
from __future__ import annotations

import pytest
from flask import render_template
from flask_login import current_user

from newsroom.auth.views import FAILED
from newsroom.extensions import db
from newsroom.models import Role


@pytest.mark.parametrize(
    ("role", "home"),
    [(Role.MODERATOR, "/moderation/"), (Role.EDITOR, "/editor/"), (Role.ADMIN, "/editor/")],
)
def test_sign_in_sends_each_role_to_its_desk(make, sign_in, role, home):
    user = make.user(role, email="staff@newsroom.example")
    db.session.commit()

    response = sign_in("staff@newsroom.example")

    assert response.status_code == 302
    assert response.headers["Location"] == home
    db.session.refresh(user)
    assert user.last_login_at is not None


def test_sign_in_ignores_case_and_spaces_in_the_email(make, sign_in):
    make.user(Role.EDITOR, email="ada@newsroom.example")
    db.session.commit()

    assert sign_in("  Ada@Newsroom.EXAMPLE ").status_code == 302


def test_signed_in_session_loads_the_user(make, client, sign_in):
    user = make.user(Role.EDITOR, email="ada@newsroom.example", name="Ada Quill")
    db.session.commit()
    sign_in("ada@newsroom.example")

    with client:
        client.get("/")
        assert current_user.is_authenticated and current_user.id == user.id


def test_login_page_has_the_contract_fields(client):
    response = client.get("/login?next=/editor/articles")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="email"' in html and 'name="password"' in html and 'type="password"' in html
    assert 'name="next" type="hidden" value="/editor/articles"' in html


def test_signed_in_user_visiting_login_goes_on(login_as, client):
    login_as(Role.MODERATOR)

    response = client.get("/login")

    assert response.status_code == 302 and response.headers["Location"] == "/moderation/"


@pytest.mark.parametrize("case", ["unknown email", "wrong password", "deactivated"])
def test_every_failure_reads_the_same(make, sign_in, case):
    make.user(Role.EDITOR, email="ada@newsroom.example")
    make.user(Role.EDITOR, email="gone@newsroom.example", active=False)
    db.session.commit()
    email, password = {
        "unknown email": ("nobody@newsroom.example", "correct horse battery"),
        "wrong password": ("ada@newsroom.example", "wrong horse battery"),
        "deactivated": ("gone@newsroom.example", "correct horse battery"),
    }[case]

    response = sign_in(email, password)

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert FAILED in html
    assert email in html  # the typed email is kept…
    assert password not in html  # …the password never is


def test_missing_fields_are_reported_beside_them(client):
    response = client.post("/login", data={"email": "", "password": ""})

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Please enter your email address." in html
    assert "Please enter your password." in html


def test_logout_signs_out_by_post(login_as, client):
    login_as(Role.EDITOR)

    response = client.post("/logout")

    assert response.status_code == 302 and response.headers["Location"] == "/login"
    with client:
        client.get("/")
        assert not current_user.is_authenticated


def test_logout_by_get_is_not_allowed(login_as, client):
    login_as(Role.EDITOR)

    assert client.get("/logout").status_code == 405
    with client:
        client.get("/")
        assert current_user.is_authenticated


def test_deactivating_ends_an_open_session(login_as, client):
    user = login_as(Role.EDITOR)
    user.active = False
    db.session.commit()

    with client:
        client.get("/")
        assert not current_user.is_authenticated


def _staff_bar(client) -> str:
    """Render the partial inside a request of ``client``, as a desk page includes it."""
    with client:
        client.get("/")
        return render_template("_partials/staff_bar.html")


@pytest.mark.parametrize(
    ("role", "links"),
    [
        (Role.MODERATOR, ["/moderation/"]),
        (Role.EDITOR, ["/editor/"]),
        (Role.ADMIN, ["/moderation/", "/editor/"]),
    ],
)
def test_staff_bar_names_the_user_and_their_desks(login_as, client, role, links):
    login_as(role, name="Ada <Quill>")

    html = _staff_bar(client)

    assert "Ada &lt;Quill&gt;" in html
    assert 'action="/logout"' in html and 'name="csrf_token"' in html
    for desk in ("/moderation/", "/editor/"):
        assert (f'href="{desk}"' in html) is (desk in links)


def test_staff_bar_is_empty_when_signed_out(client):
    assert _staff_bar(client).strip() == ""
