"""The whole loop in a real browser, CSRF on: a reader comments, a moderator signs in and
approves it from the queue, and a fresh visitor sees it with its formatting but not its email."""
from __future__ import annotations

import pytest

from newsroom.extensions import db
from newsroom.models import Role
from tests import factories

EMAIL = "tidewatcher@readers.example"


@pytest.fixture
def app(make_app):
    """The app as in production: CSRF on; a moderator account and a published article."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        factories.user(Role.MODERATOR, email="desk@newsroom.example", name="Dana Desk")
        factories.article("Spring tides reach the promenade", slug="spring-tides")
        db.session.commit()
        yield app


def test_reader_comment_approved_from_the_queue_is_public(live_server, page, browser):
    article_url = f"{live_server}/articles/spring-tides"

    # A reader posts through the real form (hidden honeypot and form token included).
    page.goto(article_url)
    page.fill("#name", "Tilly Watcher")
    page.fill("#email", EMAIL)
    page.fill("#body", "The water reached the <strong>third step</strong> at noon.")
    page.click("form.reply-form button[type=submit]")
    assert "awaiting moderation" in page.locator(".flash").inner_text()

    # A moderator is sent to sign in, then lands on the queue.
    desk = browser.new_context().new_page()
    desk.goto(f"{live_server}/moderation/")
    assert desk.url.startswith(f"{live_server}/login?next=")
    desk.fill("input[name=email]", "desk@newsroom.example")
    desk.fill("input[name=password]", "correct horse battery")
    desk.click("button[type=submit]")
    assert desk.url == f"{live_server}/moderation/"
    assert "1 pending" in desk.locator(".desk-nav").inner_text()
    row = desk.locator(".queue-item", has_text="Tilly Watcher")
    assert EMAIL in row.inner_text()  # moderators see the email
    assert row.locator(".comment-body strong").inner_text() == "third step"

    row.get_by_role("button", name="Approve").click()
    # decided in place (fetch): the row says so, with an undo, and the page did not reload
    row.locator(".row-notice", has_text="Approved: the comment by Tilly Watcher.").wait_for()
    assert row.get_by_role("button", name="Undo").is_visible()
    assert desk.url == f"{live_server}/moderation/"
    desk.reload()
    assert "0 pending" in desk.locator(".desk-nav").inner_text()
    assert "No pending comments." in desk.content()
    desk.context.close()

    # A visitor with no cookies sees it, formatted, and never the email.
    visitor = browser.new_context().new_page()
    visitor.goto(article_url)
    comment = visitor.locator(".comment", has_text="Tilly Watcher")
    assert comment.locator(".comment-body strong").inner_text() == "third step"
    assert EMAIL not in visitor.content()
    assert "tidewatcher" not in visitor.content()
    visitor.context.close()
