"""A reader replies in a real browser; the reply waits for moderation, unseen by others."""
import re

from newsroom.extensions import db


def test_reader_replies_and_sees_the_awaiting_moderation_notice(live_server, page, browser, make):
    article = make.article("Ferry timetable changes", slug="ferry-timetable-changes")
    db.session.commit()
    url = f"{live_server}/articles/ferry-timetable-changes"

    page.goto(url)
    page.fill("#name", "Gwen Harlow")
    page.fill("#email", "gwen.browser@example.net")
    page.fill("#website", "https://gwen.example")
    page.fill("#body", "Is the east ramp fine for a <strong>pushchair</strong>?")
    page.click("button[type=submit]")

    page.wait_for_url(re.compile(rf"{re.escape(url)}#comment-\d+$"))
    assert "awaiting moderation" in page.locator(".flash").inner_text()
    own = page.locator(".comment-pending")  # shown to its writer alone, marked as held
    assert "pushchair" in own.inner_text() and "awaiting moderation" in own.inner_text()

    stranger = browser.new_context().new_page()
    stranger.goto(url)
    assert "pushchair" not in stranger.content()
    assert "0 comments" in stranger.locator("#comments-heading").inner_text()
    stranger.context.close()


def test_the_browser_refuses_an_empty_form_before_sending(live_server, page, make):
    make.article("Quiet story", slug="quiet-story")
    db.session.commit()
    page.goto(f"{live_server}/articles/quiet-story")
    page.click("button[type=submit]")
    assert page.url == f"{live_server}/articles/quiet-story"  # required fields stopped it
    assert page.eval_on_selector("#name", "el => el.validity.valueMissing")
    page.fill("#name", "Oskar")
    page.fill("#email", "not-an-email")
    assert page.eval_on_selector("#email", "el => el.validity.typeMismatch")


def test_reply_link_threads_the_answer_with_javascript(live_server, page, make):
    article = make.article("Threaded story", slug="threaded-story")
    parent = make.comment(article, author_name="Oskar Brandt", body="Evening crossings too?")
    db.session.commit()
    page.goto(f"{live_server}/articles/threaded-story")
    page.click(f"#comment-{parent.id} .reply-link")
    assert page.input_value("input[name=parent_id]") == str(parent.id)
    assert "Replying to Oskar Brandt" in page.locator(".replying-to").inner_text()
