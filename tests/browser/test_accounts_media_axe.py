"""axe-core (bundled by axe-playwright-python, no CDN) on the staff accounts pages, the media
pages and the story editor with its image dialog open, at 390 and 1366 px: no WCAG 2.2 A/AA or
best-practice violation, nothing wider than the screen, valid HTML."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest

from newsroom.accounts.tokens import invitation_token, reset_token
from newsroom.extensions import db
from newsroom.media.library import upload
from newsroom.models import Invitation, Role, utcnow
from tests import factories
from tests.browser.test_moderation_desk import _html_errors
from tests.browser.test_readers_loop import axe_violations
from tests.media import images

PASSWORD = "lanterns along the harbour"


@pytest.fixture
def app(make_app, tmp_path):
    app = make_app(MEDIA_DIR=str(tmp_path / "media"))
    with app.app_context():
        admin = factories.user(Role.ADMIN, email="axe.admin@newsroom.example", password=PASSWORD,
                               name="Ada Keel")
        reader = factories.user(Role.EDITOR, email="reset.axe@newsroom.example")
        image, _ = upload(io.BytesIO(images.png(1200, 800)), "quay.png", 10 * 1024 * 1024, admin,
                          alt="The quay at low tide", caption="Boats aground",
                          credit="Photo: Ines Varga")
        article = factories.article("Quay reopened after repairs", published=False,
                                    body="<p>The quay is open again.</p>")
        invitation = Invitation(email="new.hire@newsroom.example", role=Role.MODERATOR,
                                invited_by_id=admin.id, expires_at=utcnow() + timedelta(days=7))
        db.session.add(invitation)
        db.session.commit()
        app.config["_pages"] = {"reset": reset_token(reader), "image": image.id,
                                "article": article.id, "invite": invitation_token(invitation)}
        yield app


def _submit(page):
    page.click("main form button[type=submit] >> nth=-1")
    page.wait_for_load_state("load")


def _weak_password(page):
    page.fill("input[name=password]", "short")
    page.fill("input[name=confirm]", "other")
    _submit(page)


def _forgot(page):
    page.fill("input[name=email]", "someone@newsroom.example")
    _submit(page)


def _bad_invite(page):
    page.fill("#email", "not an address")
    page.click("text=Send the invitation")
    page.wait_for_load_state("load")


def _empty_upload(page):
    page.click("form.desk-form button[type=submit]")
    page.wait_for_selector("#upload-errors")


def _open_dialog(page):
    page.click("button:has-text('Image…')")
    page.wait_for_selector(".media-choice")


def _dialog_upload_error(page):
    _open_dialog(page)
    page.click("text=Upload and insert")
    page.wait_for_selector("#media-dialog-file-error:not([hidden])")


def signed_out_pages(ids):
    return [
        ("/login", None), ("/login/forgot", None), ("/login/forgot", _forgot),
        (f"/login/reset/{ids['reset']}", None), (f"/login/reset/{ids['reset']}", _weak_password),
        (f"/invitations/{ids['invite']}", None), (f"/invitations/{ids['invite']}", _weak_password),
        ("/invitations/not-a-real-link", None),
    ]


def signed_in_pages(ids):
    return [
        ("/account", None), ("/admin/invitations", None), ("/admin/invitations", _bad_invite),
        ("/editor/media", None), ("/editor/media?q=nothing-matches", None),
        (f"/editor/media/{ids['image']}", None), ("/editor/media/upload", None),
        ("/editor/media/upload", _empty_upload),
        (f"/editor/articles/{ids['article']}/edit", _open_dialog),
        (f"/editor/articles/{ids['article']}/edit", _dialog_upload_error),
    ]


def _check(page, live_server, pages, width) -> list[str]:
    problems = []
    for path, action in pages:
        response = page.goto(live_server + path)
        assert response.status in (200, 404), path
        if action is not None:
            action(page)
        name = f"{path} {action.__name__ if action else ''} at {width}px"
        if page.evaluate("document.documentElement.scrollWidth") > width:
            problems.append(f"{name}: wider than the screen")
        problems.extend(f"{name}: {v}" for v in axe_violations(page))
        problems.extend(f"{name}: {e}" for e in _html_errors(page.content().encode()))
    return problems


@pytest.mark.parametrize("width", [390, 1366])
def test_accounts_media_and_the_image_dialog_pass_axe(app, live_server, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    ids = app.config["_pages"]
    try:
        problems = _check(page, live_server, signed_out_pages(ids), width)
        page.goto(f"{live_server}/login")
        page.fill("#email", "axe.admin@newsroom.example")
        page.fill("#password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{live_server}/editor/")
        problems += _check(page, live_server, signed_in_pages(ids), width)
    finally:
        context.close()
    assert problems == [], "\n".join(problems)
