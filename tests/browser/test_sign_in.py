"""In a real browser, CSRF on: sent to sign in, back to the page, signed out from the staff bar."""
from __future__ import annotations

import pytest
from flask import Blueprint, render_template_string

from newsroom.auth import require_roles
from newsroom.extensions import db
from newsroom.models import Role
from tests import factories

PAGE = """{% extends "base.html" %}{% block content %}
{% include "_partials/staff_bar.html" %}<h1>Inside the probe desk</h1>{% endblock %}"""


@pytest.fixture
def app(make_app):
    """The app with CSRF on and a small moderator-only page that shows the staff bar."""
    app = make_app(WTF_CSRF_ENABLED=True)
    probe = Blueprint("probe", __name__, url_prefix="/probe")
    require_roles(probe, Role.MODERATOR)
    probe.add_url_rule("/", "index", lambda: render_template_string(PAGE))
    app.register_blueprint(probe)
    with app.app_context():
        factories.user(Role.MODERATOR, email="mod@newsroom.example", name="Mo Derator")
        db.session.commit()
        yield app


def test_sign_in_returns_to_the_page_and_sign_out_ends_the_session(live_server, page):
    page.goto(f"{live_server}/probe/?tab=spam")
    assert page.url == f"{live_server}/login?next=%2Fprobe%2F%3Ftab%3Dspam"

    page.fill("input[name=email]", "mod@newsroom.example")
    page.fill("input[name=password]", "wrong password here")
    page.click("button[type=submit]")
    assert page.locator("[role=alert]").inner_text().startswith("That email and password")
    assert page.input_value("input[name=email]") == "mod@newsroom.example"

    page.fill("input[name=password]", "correct horse battery")
    page.click("button[type=submit]")
    assert page.url == f"{live_server}/probe/?tab=spam"
    assert "Signed in as Mo Derator" in page.locator(".staff-bar").inner_text()

    page.click(".staff-bar button")
    assert page.url == f"{live_server}/login"
    assert "You have signed out." in page.content()
    page.goto(f"{live_server}/probe/")
    assert page.url.startswith(f"{live_server}/login?next=")
