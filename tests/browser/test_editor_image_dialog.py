"""In a real browser, CSRF on: the story editor's "Image…" dialog, by keyboard, inserts a library
image at the caret and uploads another; the published story shows both with srcset."""
from __future__ import annotations

import io
import re

import pytest

from newsroom.extensions import db
from newsroom.media.library import upload
from newsroom.models import Article, Role
from tests import factories
from tests.media import images

PASSWORD = "pilot boats at first light"


@pytest.fixture
def app(make_app, tmp_path):
    app = make_app(MEDIA_DIR=str(tmp_path / "media"), WTF_CSRF_ENABLED=True)
    with app.app_context():
        editor = factories.user(Role.EDITOR, email="dialog.editor@newsroom.example",
                                password=PASSWORD)
        upload(io.BytesIO(images.png(1400, 900)), "breakwater.png", 10 * 1024 * 1024, editor,
               alt="Waves breaking over the outer breakwater", caption="The storm on Tuesday",
               credit="Photo: Ines Varga")
        upload(io.BytesIO(images.png(500, 300)), "buoy.png", 10 * 1024 * 1024, editor,
               alt="A red buoy")
        article = factories.article("Storm tests the new breakwater", published=False,
                                    body="<p>First paragraph.</p><p>Last paragraph.</p>")
        db.session.commit()
        app.config["_article"] = article.id
        yield app


def test_insert_from_the_library_and_by_upload_then_publish(app, live_server, page, browser,
                                                             tmp_path):
    article_id = app.config["_article"]
    page.goto(f"{live_server}/login?next=/editor/articles/{article_id}/edit")
    page.fill("#email", "dialog.editor@newsroom.example")
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server}/editor/articles/{article_id}/edit")

    page.click("#body-area p:first-child")  # the caret at the end of the first paragraph
    page.keyboard.press("End")
    opener = page.locator("button:has-text('Image…')")
    assert opener.get_attribute("aria-haspopup") == "dialog"
    opener.focus()
    page.keyboard.press("Enter")  # by keyboard
    dialog = page.locator("#media-dialog")
    assert dialog.is_visible()
    assert page.evaluate("document.activeElement.id") == "media-dialog-q"
    page.wait_for_selector(".media-choice")
    assert "2 images in the library" in dialog.locator("[role=status]").inner_text()
    page.keyboard.press("Escape")  # closes, the focus back on the button
    assert not dialog.is_visible()
    assert page.evaluate("document.activeElement.textContent") == "Image…"

    page.keyboard.press("Enter")
    page.keyboard.type("breakwater")
    page.keyboard.press("Enter")  # the search
    page.wait_for_function("() => document.querySelectorAll('.media-choice').length === 1")
    page.keyboard.press("Tab")  # past the search button, onto the one result
    page.keyboard.press("Tab")
    assert "Waves breaking" in page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    assert not dialog.is_visible()
    body = page.locator("#body-area")
    assert body.locator("p:first-child + figure img").get_attribute("alt") == (
        "Waves breaking over the outer breakwater")  # at the caret, not at the end
    assert "1400w" in body.locator("figure img").first.get_attribute("srcset")

    photo = tmp_path / "harbour master.jpg"
    photo.write_bytes(images.jpeg_with_gps(1000, 700, orientation=1))
    page.click("#body-area p:last-child")
    page.keyboard.press("End")
    opener.click()
    page.click("text=Upload and insert")  # no file, no alt text: said next to each field
    page.wait_for_selector("#media-dialog-file-error:not([hidden])")
    assert "choose an image file" in page.locator("#media-dialog-file-error").inner_text()
    assert page.locator("#media-dialog-alt").get_attribute("aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "media-dialog-file"
    page.set_input_files("#media-dialog-file", str(photo))
    page.fill("#media-dialog-alt", "The harbour master on the pier")
    page.fill("#media-dialog-caption", "Checking the moorings")
    page.click("text=Upload and insert")
    page.wait_for_selector("#body-area figure:nth-of-type(2)")
    assert body.locator("figure").nth(1).locator("figcaption").inner_text() == (
        "Checking the moorings")
    assert "Waves breaking" in page.locator("[data-editor-preview]").inner_html()
    opener.click()  # the library now lists the new upload first
    page.wait_for_selector(".media-choice")
    assert "The harbour master" in page.locator(".media-choice").first.inner_text()
    page.keyboard.press("Escape")

    page.click("form.desk-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/editor/articles/\d+$"))
    page.click("button:has-text('Publish now')")
    assert "Story published." in page.locator(".flash").inner_text()
    db.session.expire_all()
    article = db.session.get(Article, article_id)
    assert len(article.body_images) == 2

    reader = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    reader.goto(f"{live_server}/articles/{article.slug}")
    pictures = reader.locator(".story-body figure img")
    assert pictures.count() == 2
    assert pictures.nth(0).get_attribute("alt") == "Waves breaking over the outer breakwater"
    assert "480w" in pictures.nth(0).get_attribute("srcset")
    assert "480w" in pictures.nth(1).get_attribute("srcset")
    reader.wait_for_function(
        "() => [...document.querySelectorAll('.story-body figure img')]"
        ".every(i => i.complete && i.naturalWidth > 0)")
    assert re.search(r"/media/[0-9a-f]{64}/(480|960)\.png$",
                     pictures.nth(0).evaluate("i => i.currentSrc"))
    assert "Photo: Ines Varga" in reader.locator(".story-body figcaption").first.inner_text()
    reader.context.close()
