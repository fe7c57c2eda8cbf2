"""The reader's pages on a phone and a desktop, and the reply form with JavaScript turned off."""
import pytest

from newsroom.extensions import db

LONG_URL = "https://tidetables.example/" + "harbourentrancespringneap" * 10
NO_WIDER_THAN_THE_SCREEN = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.parametrize("width", [360, 1280])
def test_article_page_fits_the_screen(live_server, page, make, width):
    article = make.article(
        "A rather long headline about the harbour's entrance channel dredging schedule",
        slug="dredging",
        body=f"<p>Tables at {LONG_URL} and more.</p>",
    )
    parent = make.comment(article, body=f"<p>See <a href=\"{LONG_URL}\">{LONG_URL}</a></p>")
    reply = make.comment(article, parent=parent)
    make.comment(article, parent=make.comment(article, parent=reply))
    make.article("Pier " + "Supercalifragilisticharbour" * 4, standfirst=LONG_URL)
    db.session.commit()
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server}/articles/dredging")
    assert page.evaluate(NO_WIDER_THAN_THE_SCREEN)
    field = page.locator("#body").bounding_box()
    assert field["x"] >= 0 and field["x"] + field["width"] <= width
    page.goto(f"{live_server}/")
    assert page.evaluate(NO_WIDER_THAN_THE_SCREEN)


def test_a_reply_works_without_javascript(live_server, browser, make):
    article = make.article("Quiet pier", slug="quiet-pier")
    parent = make.comment(article, author_name="Oskar Brandt", body="Evening crossings too?")
    db.session.commit()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/articles/quiet-pier")
        page.click(f"#comment-{parent.id} .reply-link")  # an ordinary link: the server fills it in
        assert "Replying to Oskar Brandt" in page.locator(".replying-to").inner_text()
        page.fill("#name", "Gwen Harlow")
        page.fill("#email", "gwen.nojs@example.net")
        page.fill("#body", "Only the morning ones, I think.")
        page.click("button[type=submit]")
        assert "awaiting moderation" in page.locator(".flash").inner_text()
    finally:
        context.close()
    from sqlalchemy import select

    from newsroom.models import Comment

    stored = db.session.scalar(select(Comment).where(Comment.author_email == "gwen.nojs@example.net"))
    assert stored is not None and stored.parent_id == parent.id
