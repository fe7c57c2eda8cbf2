"""An editor writes a story, uploads its lead image with alt text through the form, publishes;
a reader's browser loads it from the srcset."""
import re

import pytest

from newsroom.extensions import db
from newsroom.models import Role
from tests.media import images

HEADLINE = "Lifeboat crew rehearse a night rescue off the breakwater"


@pytest.fixture
def app(make_app, tmp_path):
    app = make_app(MEDIA_DIR=str(tmp_path / "media"))
    with app.app_context():
        yield app


def test_upload_a_lead_image_publish_and_the_reader_loads_its_srcset(
    live_server, page, browser, make, tmp_path
):
    make.user(Role.EDITOR, email="pic.editor@newsroom.example", password="gulls over the quay")
    db.session.commit()
    photo = tmp_path / "lifeboat rehearsal.jpg"
    photo.write_bytes(images.jpeg_with_gps(1800, 1200, orientation=1))
    page.goto(f"{live_server}/login?next=/editor/articles/new")
    page.fill("#email", "pic.editor@newsroom.example")
    page.fill("#password", "gulls over the quay")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server}/editor/articles/new")
    page.fill("#headline", HEADLINE)
    page.click(".editor-area")  # the story editor (static/js/editor.js) over the body field
    page.keyboard.type("The crew launched at nine and were back by ten.")
    page.click("form.desk-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/editor/articles/\d+$"))
    page.click("a.button:has-text('Edit')")
    page.click("text=Upload a lead image")

    page.set_viewport_size({"width": 390, "height": 844})
    page.click("form.desk-form button[type=submit]")  # nothing chosen: refused, said why
    assert "Please choose an image file" in page.locator("#upload-errors").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_input_files("#file", str(photo))
    page.fill("#alt", "Four crew in yellow jackets hauling a line aboard the lifeboat")
    page.fill("#caption", "The rehearsal off the breakwater")
    page.fill("#credit", "Photo: Ines Varga")
    page.click("form.desk-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/editor/articles/\d+/edit$"))
    assert "lead image" in page.locator(".flash").inner_text()
    assert page.input_value("#image_alt").startswith("Four crew in yellow jackets")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.click("a:has-text(\"Back to the story's page\")")
    page.click("button:has-text('Publish now')")
    assert "Story published." in page.locator(".flash").inner_text()
    slug = page.locator(".facts code").inner_text().removeprefix("/articles/")

    reader = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    reader.goto(f"{live_server}/articles/{slug}")
    image = reader.locator("figure.lead-image img")
    assert image.get_attribute("alt").startswith("Four crew in yellow jackets")
    assert "480w" in image.get_attribute("srcset") and image.get_attribute("sizes")
    reader.wait_for_function(
        "() => { const i = document.querySelector('figure.lead-image img');"
        " return i.complete && i.naturalWidth > 0; }"
    )
    current = reader.evaluate("document.querySelector('figure.lead-image img').currentSrc")
    assert re.search(r"/media/[0-9a-f]{64}/(480|960|1600)\.webp$", current), current
    assert "Photo: Ines Varga" in reader.locator("figure.lead-image figcaption").inner_text()
    reader.context.close()
