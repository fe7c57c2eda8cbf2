"""The readers' loop in Chromium at a phone's and a desktop's width.

Posting lands on the reader's own pending comment with focus; a refused post lands on the
error summary, as the POST's own answer; the remember-me box round trip; a second browser
never sees the pending comment or the saved name; a visible focus ring on every control;
axe-core (bundled by axe-playwright-python, no CDN) finds no WCAG 2.2 A/AA or best-practice
violation on any reader page type.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from newsroom.extensions import db
from newsroom.models import CommentStatus
from tests import factories

WIDTHS = [390, 1366]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
ACTIVE_ID = "document.activeElement && document.activeElement.id"
IN_VIEW = """id => { const box = document.getElementById(id).getBoundingClientRect();
  return box.top >= -1 && box.top < window.innerHeight; }"""


@pytest.fixture
def app(make_app):
    """CSRF on, as in production; a long story with a thread, a closed one, a syndicated one."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        section = factories.section("Harbour", slug="harbour", description="Boats and tides.")
        long_body = "".join(f"<p>Paragraph {n} about the harbour's new timetable.</p>" for n in range(40))
        article = factories.article("Ferry timetable changes", slug="ferry", section=section, body=long_body)
        first = factories.comment(article, author_name="Ines Harrow", body="When from Monday?")
        factories.comment(article, parent=first, author_name="Olu Brandt", body="From Monday.")
        factories.comment(article, author_name="Pim Sand", body="Good news for the island.")
        factories.article("Pier closed for repairs", slug="closed", comments_enabled=False, section=section)
        outlet = factories.outlet("Valley Ledger", credit_line="Republished with permission.")
        syndicated = factories.syndicated_article(outlet, slug="syndicated", section=section)
        syndicated.image_url, syndicated.image_caption = "/static/none.jpg", "The pier at dawn"
        db.session.commit()
        app.config["_first"] = first.id
        yield app


def open_at(browser, width: int, javascript: bool = True):
    context = browser.new_context(viewport={"width": width, "height": 844 if width < 500 else 900},
                                  java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def fill_reply(page, body="Will the 7:10 still run?", email="mira.browser@example.net"):
    page.fill("#name", "Mira Quell")
    page.fill("#email", email)
    page.fill("#body", body)


@pytest.mark.parametrize("width", WIDTHS)
def test_posting_lands_on_the_reader_s_own_pending_comment(live_server, browser, width):
    page, stranger = open_at(browser, width), open_at(browser, width)
    try:
        url = f"{live_server}/articles/ferry"
        page.goto(url)
        fill_reply(page)
        page.click("#respond button[type=submit]")
        page.wait_for_url(re.compile(r"/articles/ferry#comment-\d+$"))
        own_id = page.url.rsplit("#", 1)[1]
        expect(page.locator(f"#{own_id}")).to_be_focused()
        own = page.locator(f"#{own_id}")
        assert "Your comment is awaiting moderation" in own.inner_text()
        assert "Will the 7:10 still run?" in own.inner_text()
        assert page.evaluate(IN_VIEW, own_id)
        assert page.locator("#comments .comment-list > li").last.get_attribute("id") == own_id

        stranger.goto(url)  # another browser: never the pending comment
        assert "Will the 7:10 still run?" not in stranger.content()
        assert stranger.locator(f"#{own_id}").count() == 0
        page.reload()  # the writer still sees it, without the flashed notice now
        assert page.locator(f"#{own_id} .comment-awaiting").count() == 1
    finally:
        page.context.close()
        stranger.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_refused_post_lands_on_the_error_summary(live_server, browser, width):
    page = open_at(browser, width)
    try:
        page.goto(f"{live_server}/articles/ferry")
        fill_reply(page)
        page.fill("#website", "ftp://files.example")  # a valid URL to the browser, refused by us
        with page.expect_navigation() as navigation:
            page.click("#respond button[type=submit]")
        response = navigation.value
        assert response.request.method == "POST" and response.status == 400  # no redirect
        assert page.url.endswith("/articles/ferry/comments#respond")
        assert page.title().startswith("Error: ")
        expect(page.locator("#error-summary")).to_be_focused()
        assert page.evaluate(IN_VIEW, "error-summary")
        assert page.input_value("#body") == "Will the 7:10 still run?"  # what was typed is kept
        page.click("#error-summary a[href='#website']")
        assert page.evaluate(ACTIVE_ID) == "website"
    finally:
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_without_javascript_the_refused_page_opens_at_the_summary(live_server, browser, width):
    page = open_at(browser, width, javascript=False)
    try:
        page.goto(f"{live_server}/articles/ferry")
        fill_reply(page, body="")
        page.fill("#email", "mira@example.net")
        page.eval_on_selector("#body", "el => el.removeAttribute('required')")
        with page.expect_navigation():
            page.click("#respond button[type=submit]")
        page.wait_for_load_state("load")  # the browser scrolls to #respond once styles are in
        assert page.title().startswith("Error: ")
        # scrolled to #respond, summary on top (polled: the fragment scroll follows layout)
        page.wait_for_function(f"({IN_VIEW})('error-summary')", polling=100, timeout=5_000)
        assert page.locator("[autofocus]").count() == 0
    finally:
        page.context.close()


def test_without_javascript_a_reply_posts_with_one_more_click(live_server, browser):
    """The shared page carries no one's token: the first POST's answer carries this reader's."""
    page = open_at(browser, 1366, javascript=False)
    try:
        page.goto(f"{live_server}/articles/ferry")
        assert page.input_value("input[name=csrf_token]") == ""
        fill_reply(page, body="Sent without JavaScript.")
        with page.expect_navigation() as navigation:
            page.click("#respond button[type=submit]")
        assert navigation.value.status == 400
        assert "again to send it" in page.locator("#error-summary").inner_text()
        assert page.input_value("#body") == "Sent without JavaScript."
        assert page.input_value("input[name=csrf_token]") != ""
        page.click("#respond button[type=submit]")
        page.wait_for_url(re.compile(r"/articles/ferry#comment-\d+$"))
        assert "Sent without JavaScript." in page.locator(".comment-pending").inner_text()
    finally:
        page.context.close()


def test_with_javascript_the_form_fetches_its_tokens_when_focused(live_server, browser):
    page = open_at(browser, 1366)
    try:
        page.goto(f"{live_server}/articles/ferry")
        assert page.input_value("input[name=csrf_token]") == ""  # the page everyone gets
        with page.expect_response(lambda answer: "/session/form" in answer.url) as fetched:
            page.focus("#name")
        assert fetched.value.status == 200
        page.wait_for_function(
            "document.querySelector('input[name=csrf_token]').value !== ''", polling=50)
        assert page.input_value("input[name=form_token]") != ""
    finally:
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_remember_me_round_trip_stays_in_this_browser(live_server, browser, width):
    page, stranger = open_at(browser, width), open_at(browser, width)
    url = f"{live_server}/articles/ferry"
    try:
        page.goto(url)
        assert not page.is_checked("#remember")  # unticked by default
        fill_reply(page)
        page.fill("#website", "https://mira.example")
        page.check("#remember")
        page.click("#respond button[type=submit]")
        page.wait_for_url(re.compile(r"#comment-\d+$"))
        page.goto(f"{live_server}/articles/closed")
        page.goto(url)
        assert page.input_value("#name") == "Mira Quell"
        assert page.input_value("#email") == "mira.browser@example.net"
        assert page.input_value("#website") == "https://mira.example"
        assert page.is_checked("#remember")
        served = page.request.get(url).text()  # the HTML as the server sent it, same cookies
        assert "mira.browser@example.net" not in served and 'value="Mira Quell"' not in served

        stranger.goto(url)
        assert stranger.input_value("#name") == "" and stranger.input_value("#email") == ""
        assert "Mira Quell" not in stranger.content()

        page.uncheck("#remember")  # unticking forgets at once
        assert page.evaluate("Object.keys(localStorage).length") == 0
        page.goto(url)
        assert page.input_value("#name") == "" and not page.is_checked("#remember")
    finally:
        page.context.close()
        stranger.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_reply_moves_the_form_under_the_comment_and_back(live_server, browser, app, width):
    first = app.config["_first"]
    page = open_at(browser, width)
    try:
        page.goto(f"{live_server}/articles/ferry")
        page.click(f"#comment-{first} > article .reply-link")
        assert page.locator(f"#comment-{first} #respond").count() == 1
        assert page.input_value("#respond input[name=parent_id]") == str(first)
        assert page.locator("#respond h2").inner_text() == "Reply to Ines Harrow"
        assert page.evaluate(ACTIVE_ID) == "name"
        page.click("#respond .cancel-reply")
        assert page.locator(f"#comment-{first} #respond").count() == 0
        assert page.input_value("#respond input[name=parent_id]") == ""
        assert page.locator("#respond .replying-to").count() == 0
    finally:
        page.context.close()


CONTRAST = """el => {
  function rgb(value) { return (value.match(/[\\d.]+/g) || []).slice(0, 3).map(Number); }
  function lum(c) { const [r, g, b] = c.map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; }
  function ratio(a, b) { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05); }
  function background(node) {
    for (; node; node = node.parentElement) {
      const color = getComputedStyle(node).backgroundColor;
      if (color && !/rgba\\(.*, 0\\)$/.test(color) && color !== "transparent") { return rgb(color); }
    }
    return [255, 255, 255];
  }
  const style = getComputedStyle(el);
  const ring = rgb(style.outlineColor);
  return {tag: el.tagName + (el.id ? "#" + el.id : "") + (el.className ? "." + el.className : ""),
          style: style.outlineStyle, width: parseFloat(style.outlineWidth),
          own: ratio(ring, background(el)), around: ratio(ring, background(el.parentElement))};
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_every_control_shows_a_focus_ring(live_server, browser, width):
    page = open_at(browser, width)
    seen = []
    try:
        for path in ("/articles/ferry", "/", "/sections/harbour", "/login"):
            page.goto(live_server + path)
            for _ in range(80):
                page.keyboard.press("Tab")
                if page.evaluate("document.activeElement === document.body"):
                    break
                ring = page.evaluate(f"({CONTRAST})(document.activeElement)")
                seen.append(ring["tag"])
                assert ring["style"] != "none" and ring["width"] >= 2, (path, ring)
                assert ring["own"] >= 3 and ring["around"] >= 3, (path, ring)
    finally:
        page.context.close()
    assert any(tag.startswith("BUTTON") for tag in seen)  # the dark "Post comment" button
    assert any(tag.startswith("INPUT#remember") for tag in seen)
    assert sum(tag.startswith("A") for tag in seen) > 20  # links on every page, feeds included


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert len(results.response["passes"]) > 10  # the rules did run on this page
    return [
        f"{violation['id']}: {node['target']} {node.get('failureSummary', '')}"
        for violation in results.response["violations"]
        for node in violation["nodes"]
    ]


def post_refused(page):
    fill_reply(page)
    page.fill("#website", "ftp://files.example")
    page.click("#respond button[type=submit]")
    page.wait_for_selector("#error-summary")


def post_accepted(page):
    fill_reply(page, body="Thanks for the update.")
    page.click("#respond button[type=submit]")
    page.wait_for_url(re.compile(r"#comment-\d+$"))


#: Every reader page type: (name, path, what to do there before checking, expected status).
READER_PAGES = [
    ("home", "/", None),
    ("section", "/sections/harbour", None),
    ("article with comments and form", "/articles/ferry", None),
    ("refused form", "/articles/ferry", post_refused),
    ("after posting", "/articles/ferry", post_accepted),
    ("closed comments", "/articles/closed", None),
    ("syndicated story", "/articles/syndicated", None),
    ("not found", "/articles/no-such-story", None),
    ("method not allowed", "/articles/ferry/comments", None),
    ("login", "/login", None),
]


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_violation_on_any_reader_page(live_server, browser, width):
    page = open_at(browser, width)
    problems = []
    try:
        for name, path, action in READER_PAGES:
            page.goto(live_server + path)
            if action is not None:
                action(page)
            page.wait_for_load_state("load")
            problems.extend(f"{name} at {width}px: {v}" for v in axe_violations(page))
    finally:
        page.context.close()
    assert problems == [], "\n".join(problems)
