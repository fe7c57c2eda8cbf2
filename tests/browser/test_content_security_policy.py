"""Every page type in Chromium with the Content-Security-Policy on: no violation, no console error.

Violations are collected by a ``securitypolicyviolation`` listener added to every document
before its own scripts run; console errors and uncaught exceptions are collected too.
"""
from __future__ import annotations

import pytest

from newsroom.extensions import db
from newsroom.models import CommentStatus, Role
from tests import factories

LISTENER = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " blocked " + event.blockedURI);
});
"""

STATUSES = ["pending", "approved", "rejected", "spam", "reported"]


@pytest.fixture
def app(make_app):
    """CSRF on, as in production; a story with a thread, a held comment and an admin."""
    app = make_app(WTF_CSRF_ENABLED=True, PAGE_CACHE_ENABLED=True)
    with app.app_context():
        factories.user(Role.ADMIN, email="chief@newsroom.example", name="Rhea Chief")
        section = factories.section("Harbour", slug="harbour")
        outlet = factories.outlet("Valley Ledger")
        article = factories.syndicated_article(
            outlet, headline="Ferry timetable changes", slug="ferry-timetable", section=section,
            body="<h2>New times</h2><p>The <em>early</em> ferry leaves at six.</p>",
        )
        first = factories.comment(article, author_name="Ines Harrow", body="When from Monday?")
        factories.comment(article, parent=first, author_name="Olu Brandt", body="From Monday.")
        factories.comment(article, status=CommentStatus.PENDING, author_name="Held Reader")
        db.session.commit()
        app.config["_ids"] = {"article": article.id, "outlet": outlet.id,
                              "section": section.id, "comment": first.id}
        yield app


@pytest.fixture
def watched(page):
    """The page, plus the list every violation, console error and page error lands in."""
    problems: list[str] = []
    page.add_init_script(LISTENER)
    page.on("console", lambda message: message.type == "error" and not message.text.startswith(
        "Failed to load resource") and problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    # A failed load is reported by its response instead: a page's own 400 or 404 is what the
    # test expects (a refused form), a stylesheet, script or icon that fails is a problem.
    page.on("response", lambda response: response.status >= 400
            and not response.request.is_navigation_request()
            and problems.append(f"{response.status} for {response.url}"))

    def visit(url: str, expect_status: int = 200):
        response = page.goto(url)
        assert response.status == expect_status, (url, response.status)
        assert "default-src 'self'" in response.headers["content-security-policy"]
        check(url)

    def check(where: str):
        page.wait_for_load_state("load")
        found = page.evaluate("window.__violations || []")
        problems.extend(f"{where}: CSP {violation}" for violation in found)

    visit.check = check
    visit.problems = problems
    return visit


def test_reader_pages_and_feeds(live_server, page, watched):
    for path in ["/", "/sections/harbour", "/articles/ferry-timetable",
                 "/articles/ferry-timetable",  # the second from the page cache
                 "/articles/ferry-timetable?replyto=1", "/feed.xml", "/atom.xml",
                 "/sections/harbour/feed.xml", "/articles/ferry-timetable/comments.xml",
                 "/sitemap.xml", "/sitemap-news.xml", "/robots.txt", "/api/v1/articles",
                 "/api/v1/openapi.json"]:
        watched(live_server + path)
    watched(live_server + "/no-such-page", expect_status=404)
    assert watched.problems == [], "\n".join(watched.problems)


def test_reply_link_share_link_and_a_refused_form(live_server, page, watched):
    watched(f"{live_server}/articles/ferry-timetable")
    page.locator(".reply-link[data-parent-id]").first.click()  # share.js fills parent_id
    assert page.locator(".replying-to").count() == 1
    page.fill("#name", "Tove Marsh")
    page.fill("#email", "tove@example.org")
    page.evaluate("document.querySelector('form.reply-form').noValidate = true")
    page.click("form.reply-form button[type=submit]")  # no comment text: refused, kept
    watched.check("refused form")
    assert page.input_value("#email") == "tove@example.org"
    page.fill("#body", "The six o'clock ferry was full.")
    page.click("form.reply-form button[type=submit]")
    watched.check("after posting")
    assert "awaiting moderation" in page.locator(".flash").inner_text()
    assert watched.problems == [], "\n".join(watched.problems)


def test_sign_in_moderation_and_editor_desks(live_server, page, watched, app):
    ids = app.config["_ids"]
    watched(f"{live_server}/login")
    page.fill("input[name=email]", "chief@newsroom.example")
    page.fill("input[name=password]", "wrong password")
    page.click("button[type=submit]")
    watched.check("refused sign-in")
    page.fill("input[name=password]", "correct horse battery")
    page.click("button[type=submit]")
    watched.check("signed in")
    desk = [f"/moderation/?status={status}" for status in STATUSES] + [
        "/moderation/audit", "/moderation/bans", "/moderation/blocklist",
        f"/moderation/comments/{ids['comment']}/ban",
        f"/moderation/comments/{ids['comment']}/reply",
        "/editor/", f"/editor/articles/{ids['article']}",
        f"/editor/articles/{ids['article']}/edit", f"/editor/articles/{ids['article']}/preview",
        "/editor/articles/new", "/editor/outlets", f"/editor/outlets/{ids['outlet']}",
        f"/editor/outlets/{ids['outlet']}/edit", "/editor/outlets/new", "/editor/sections",
        f"/editor/sections/{ids['section']}/edit", "/editor/sections/new",
        "/articles/ferry-timetable",  # a reader page as staff see it
    ]
    for path in desk:
        watched(live_server + path)
    page.goto(f"{live_server}/moderation/?status=pending")
    held = page.locator(".queue-item", has_text="Held Reader")
    held.get_by_role("button", name="Approve").click()
    held.locator(".row-notice", has_text="Approved").wait_for()  # in place, by fetch
    watched.check("after approving")
    assert watched.problems == [], "\n".join(watched.problems)


def test_a_violation_would_be_caught(live_server, page, watched):
    """The listener works: an inline script added to a page is blocked and reported."""
    watched(f"{live_server}/")
    page.evaluate("""() => {
      const script = document.createElement("script");
      script.textContent = "window.__ran = true";
      document.body.appendChild(script);
    }""")
    watched.check("injected")
    assert page.evaluate("window.__ran === undefined")
    assert any("script-src" in problem for problem in watched.problems)
