"""A reader reports a comment in Chromium at 390 and 1366 px, by keyboard alone: the Report
link, the reasons, a refusal that keeps what was typed, then the report taken; axe-core finds
no WCAG 2.2 A/AA or best-practice violation on the form or on its refusal."""
from __future__ import annotations

import re

import pytest

from newsroom.extensions import db
from newsroom.models import CommentReport
from tests import factories
from tests.browser.test_readers_loop import axe_violations, open_at

ACTIVE = "document.activeElement"


@pytest.fixture
def app(make_app):
    """CSRF on, as in production; a story with two approved comments."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        article = factories.article("Weir gates replaced", slug="weir-gates")
        factories.comment(article, author_name="Noor Fell", body="About time, they leaked.")
        target = factories.comment(article, author_name="Bram Hollis",
                                   body="The contractor is a crook and I know where he lives.")
        db.session.commit()
        app.config["_target"] = target.id
        yield app


def tab_to(page, test: str, limit: int = 200) -> None:
    """Press Tab until ``test`` (a JS expression on the active element) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => Boolean({test}))({ACTIVE})"):
            return
    raise AssertionError(f"never reached by Tab: {test}")


@pytest.mark.parametrize("width", [390, 1366])
def test_a_reader_reports_a_comment_by_keyboard(live_server, browser, app, width):
    target = app.config["_target"]
    page = open_at(browser, width)
    try:
        page.goto(f"{live_server}/articles/weir-gates")
        tab_to(page, f"el.classList.contains('report-link') && el.closest('#comment-{target}')")
        assert "Report the comment by Bram Hollis" in page.evaluate(f"{ACTIVE}.textContent")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(rf"/comments/{target}/report$"))
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert axe_violations(page) == []

        tab_to(page, "el.name === 'reason'")
        page.keyboard.press("Space")  # the first reason, then down to "illegal"
        for _ in range(3):
            page.keyboard.press("ArrowDown")
        assert page.is_checked("#reason-3")
        page.keyboard.press("Tab")
        assert page.evaluate(f"{ACTIVE}.id") == "details"  # no details: refused by the server
        page.keyboard.press("Tab")
        page.keyboard.type("wren.browser@example.net")
        page.keyboard.press("Tab")
        assert page.evaluate(f"{ACTIVE}.textContent") == "Send report"
        page.keyboard.press("Enter")
        page.wait_for_selector("#error-summary")
        assert "Please tell the moderators" in page.inner_text("#error-summary")
        assert page.is_checked("#reason-3")
        assert page.input_value("#email") == "wren.browser@example.net"
        assert page.get_attribute("#details", "aria-invalid") == "true"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert axe_violations(page) == []

        page.focus("#details")
        page.keyboard.type("It threatens the contractor at his home.")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(rf"/articles/weir-gates#comment-{target}$"))
        assert "Thank you for your report" in page.inner_text(".flash")
        db.session.expire_all()
        (report,) = db.session.scalars(db.select(CommentReport)).all()
        assert report.reason.value == "illegal" and "threatens" in report.details
    finally:
        page.context.close()
