"""With CSRF checks on (as in production), sign-in and sign-out POSTs need the form's token."""
from __future__ import annotations

import re

import pytest
from flask import render_template
from flask_login import current_user

from newsroom.extensions import db
from newsroom.models import Role
from tests import factories
from tests.auth.conftest import PASSWORD


@pytest.fixture
def csrf_app(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        factories.user(Role.EDITOR, email="ed@newsroom.example")
        db.session.commit()
        yield app


def _token(client, path: str = "/login") -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_login_without_a_token_is_refused(csrf_app):
    client = csrf_app.test_client()

    response = client.post("/login", data={"email": "ed@newsroom.example", "password": PASSWORD})

    assert response.status_code == 400
    with client:
        client.get("/")
        assert not current_user.is_authenticated


def test_login_with_the_token_signs_in(csrf_app):
    client = csrf_app.test_client()
    data = {"email": "ed@newsroom.example", "password": PASSWORD, "csrf_token": _token(client)}

    assert client.post("/login", data=data).status_code == 302


def test_logout_without_a_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    data = {"email": "ed@newsroom.example", "password": PASSWORD, "csrf_token": _token(client)}
    client.post("/login", data=data)

    assert client.post("/logout").status_code == 400
    with client:
        client.get("/")
        assert current_user.is_authenticated


def test_logout_with_the_staff_bar_token_signs_out(csrf_app):
    client = csrf_app.test_client()
    data = {"email": "ed@newsroom.example", "password": PASSWORD, "csrf_token": _token(client)}
    client.post("/login", data=data)
    with client:
        client.get("/")
        bar = render_template("_partials/staff_bar.html")
    token = re.search(r'name="csrf_token" value="([^"]+)"', bar).group(1)

    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    with client:
        client.get("/")
        assert not current_user.is_authenticated
