"""In a real browser, CSRF on, a real SMTP server and worker: an admin invites a new editor, who
opens the mailed link, sets a name and password, and lands on the desk signed in."""
from __future__ import annotations

import pytest

from newsroom.extensions import db
from newsroom.models import Role
from tests import factories
from tests.accounts.conftest import INVITE_LINK
from tests.helpers import run_due_jobs
from tests.mailbox import text_of

ADMIN_PASSWORD = "signal flags on the mast"
NEW_PASSWORD = "nets drying on the slipway"


@pytest.fixture
def app(make_app, smtp):
    app = make_app(WTF_CSRF_ENABLED=True, **smtp.settings())
    with app.app_context():
        factories.user(Role.ADMIN, email="chief@valley-ledger.example", password=ADMIN_PASSWORD,
                       name="Mara Ellison")
        db.session.commit()
        yield app


def test_invite_then_join_through_the_mailed_link(app, live_server, page, browser, smtp):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/login?next=/admin/invitations")
    page.fill("#email", "chief@valley-ledger.example")
    page.fill("#password", ADMIN_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server}/admin/invitations")
    page.fill("#email", "Tove.Lind@Valley-Ledger.example")
    page.select_option("#role", "editor")
    page.click("text=Send the invitation")
    assert "on its way to tove.lind@valley-ledger.example" in page.locator(".flash").inner_text()
    row = page.locator("table.invitations tbody tr").first
    assert "pending until" in row.inner_text() and "editor" in row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    run_due_jobs(app)
    (message,) = smtp.mailbox.to("tove.lind@valley-ledger.example")
    (link,) = {match.group(0) for match in INVITE_LINK.finditer(text_of(message))}
    path = link[link.index("/invitations/"):]

    invitee = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    invitee.set_default_timeout(10_000)
    invitee.goto(live_server + path)
    assert "You are invited as an editor" in invitee.locator("main").inner_text()
    invitee.fill("#name", "Tove Lind")
    invitee.fill("#password", "short")
    invitee.fill("#confirm", "short")
    invitee.click("main form button[type=submit]")
    assert "too short" in invitee.locator(".field-error").first.inner_text()
    assert invitee.input_value("#name") == "Tove Lind"
    invitee.fill("#password", NEW_PASSWORD)
    invitee.fill("#confirm", NEW_PASSWORD)
    invitee.click("main form button[type=submit]")
    invitee.wait_for_url(f"{live_server}/editor/")
    assert "your account is ready" in invitee.locator(".flash").inner_text()
    assert "Signed in as Tove Lind" in invitee.locator(".staff-bar").inner_text()

    invitee.goto(live_server + path)  # used: it says so
    assert "used already" in invitee.locator("h1").inner_text()
    invitee.context.close()
    page.reload()
    assert "accepted" in page.locator("table.invitations tbody tr").first.inner_text()
