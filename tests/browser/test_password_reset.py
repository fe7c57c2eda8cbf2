"""In a real browser, CSRF on, a real SMTP server: forgotten password from /login to signed in."""
from __future__ import annotations

import pytest

from newsroom.extensions import db
from newsroom.models import Role
from tests import factories
from tests.accounts.conftest import RESET_LINK
from tests.mailbox import text_of

NEW_PASSWORD = "tide tables for the outer harbour"


@pytest.fixture
def app(make_app, smtp):
    app = make_app(WTF_CSRF_ENABLED=True, **smtp.settings())
    with app.app_context():
        factories.user(Role.EDITOR, email="reset.me@valley-ledger.example", name="Rhea Setter")
        db.session.commit()
        yield app


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_reset_from_the_login_page_through_the_mailed_link(app, live_server, page, smtp):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server}/login")
    page.click("text=Forgotten your password?")
    assert page.url == f"{live_server}/login/forgot" and fits(page)
    page.fill("input[name=email]", "reset.me@valley-ledger.example")
    page.click("button[type=submit]")
    assert "a link to set a new password is on its way" in page.locator("[role=status]").inner_text()

    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    (message,) = smtp.mailbox.to("reset.me@valley-ledger.example")
    (link,) = {match.group(0) for match in RESET_LINK.finditer(text_of(message))}
    path = link[link.index("/login/reset/"):]

    page.goto(live_server + path)
    assert fits(page)
    page.fill("input[name=password]", "too short")
    page.fill("input[name=confirm]", "too short")
    page.click("button[type=submit]")
    assert "too short" in page.locator(".field-error").first.inner_text()
    page.fill("input[name=password]", NEW_PASSWORD)
    page.fill("input[name=confirm]", NEW_PASSWORD)
    page.click("button[type=submit]")
    assert page.url == f"{live_server}/login"
    assert "Your new password is set" in page.content()

    page.fill("input[name=email]", "reset.me@valley-ledger.example")
    page.fill("input[name=password]", NEW_PASSWORD)
    page.click("button[type=submit]")
    assert page.url == f"{live_server}/editor/"
    assert "Signed in as Rhea Setter" in page.locator(".staff-bar").inner_text()

    page.goto(live_server + path)
    assert "This link no longer works" in page.content()
