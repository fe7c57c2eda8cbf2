"""Editors' picks in Chromium: featured from the desk with the key f (no reload), then the block
above the thread at a phone's 390 px and a laptop's 1366 px, fitting and axe-clean."""
from __future__ import annotations

import os
import re
from datetime import timedelta

import pytest

from newsroom.extensions import db
from newsroom.models import Comment, Role, utcnow
from newsroom.moderation.featuring import feature
from tests import factories

WIDTHS = {"phone": (390, 844), "laptop": (1366, 900)}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
#: Set to a folder to keep each width's screenshot of the block (to look at, not compared).
SHOTS = os.environ.get("NEWSROOM_SCREENSHOTS")
BODIES = [
    "<p>I sailed the early ferry for twenty years. The six o'clock crossing was never about the "
    "timetable; it was about the fishermen, who set their day by it.</p>",
    "<p>Moving the gauge to the north pier makes sense: the old spot silted up every winter, "
    "and the readings drifted by a hand's width.</p>",
    "<p>Short and to the point.</p>",
]


@pytest.fixture
def app(make_app):
    """CSRF on; an admin; a story with three approved comments (one a reply), one featured."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        factories.user(Role.ADMIN, email="chief@newsroom.example", name="Rhea Chief")
        desk = factories.user(Role.EDITOR, name="Eda Editor")
        article = factories.article("Ferry timetable changes", slug="ferry-timetable",
                                    body="<p>The early ferry leaves at six.</p>")
        start = utcnow() - timedelta(hours=2)
        first = factories.comment(article, author_name="Oskar Brandt", body=BODIES[0],
                                  created_at=start)
        second = factories.comment(article, author_name="Gwen Harlow", body=BODIES[1],
                                   created_at=start + timedelta(minutes=5))
        factories.comment(article, parent=first, author_name="Tomas Lind", body=BODIES[2],
                          created_at=start + timedelta(minutes=9))
        feature(second, desk)
        db.session.commit()
        app.config["_ids"] = {"first": first.id, "second": second.id, "article": article.id}
        yield app


def _sign_in(page, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", "chief@newsroom.example")
    page.fill("input[name=password]", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/(moderation|editor)/.*|.*/$"))


def _featured(comment_id: int) -> bool:
    db.session.expire_all()
    return db.session.get(Comment, comment_id).featured_at is not None


def test_featuring_from_the_desk_updates_the_row_in_place(live_server, page, app):
    ids = app.config["_ids"]
    _sign_in(page, live_server)
    page.goto(f"{live_server}/moderation/?status=approved")
    row = page.locator(f"#row-{ids['first']}")
    assert row.locator(".pick-badge").is_hidden()
    row.focus()
    page.keyboard.press("f")
    row.locator(".row-notice", has_text="is an editors' pick").wait_for()
    assert _featured(ids["first"])
    assert row.locator(".pick-badge").is_visible()
    assert row.get_by_role("button", name="Unfeature").is_visible()
    assert row.get_by_role("button", name="Feature", exact=True).is_hidden()
    assert page.url == f"{live_server}/moderation/?status=approved"  # no reload
    # the other pick, ended with its button
    other = page.locator(f"#row-{ids['second']}")
    other.get_by_role("button", name="Unfeature").click()
    other.locator(".row-notice", has_text="no longer an editors' pick").wait_for()
    assert not _featured(ids["second"]) and other.locator(".pick-badge").is_hidden()
    # a rejected pick is no pick: the row offers neither button
    row.get_by_role("button", name="Reject").click()
    row.locator(".row-notice", has_text="Rejected").wait_for()
    assert row.locator(".pick-badge").is_hidden()
    assert not row.locator("button[data-featured]:visible").count()
    assert not _featured(ids["first"])


@pytest.mark.parametrize("width", WIDTHS)
def test_the_picks_block_fits_and_passes_axe(live_server, browser, app, width):
    from axe_playwright_python.sync_playwright import Axe

    ids = app.config["_ids"]
    context = browser.new_context(viewport=dict(zip(("width", "height"), WIDTHS[width])))
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server}/articles/ferry-timetable")
    block = page.locator("#picks")
    assert block.get_by_role("heading", name="Editors' picks").is_visible()
    assert page.get_by_role("region", name="Editors' picks").is_visible()
    assert "Gwen Harlow" in block.inner_text() and "Oskar Brandt" not in block.inner_text()
    box = block.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS[width][0]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # above the thread, and the link lands on the comment in it
    thread = page.locator("#comments").bounding_box()
    assert box["y"] + box["height"] <= thread["y"]
    if SHOTS:
        block.screenshot(path=os.path.join(SHOTS, f"picks-{width}.png"))
        page.screenshot(path=os.path.join(SHOTS, f"article-{width}.png"), full_page=True)
    block.get_by_role("link", name="Read Gwen Harlow's comment in the thread").click()
    page.wait_for_function(f"location.hash === '#comment-{ids['second']}'")
    marker = page.locator(f"#comment-{ids['second']} .pick-badge")
    assert marker.inner_text() == "Editors' pick" and marker.is_visible()
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.response["passes"]
    problems = [(v["id"], [n["target"] for n in v["nodes"]][:3])
                for v in results.response["violations"]]
    assert problems == []
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_desk_pages_with_pick_buttons_fit_and_pass_axe(live_server, browser, app, width):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport=dict(zip(("width", "height"), WIDTHS[width])))
    page = context.new_page()
    page.set_default_timeout(10_000)
    _sign_in(page, live_server)
    problems = []
    for path in ("/moderation/?status=approved", "/moderation/?status=approved&picks=1",
                 f"/editor/articles/{app.config['_ids']['article']}"):
        assert page.goto(live_server + path).status == 200
        assert page.get_by_role("button", name=re.compile("^(Feature|Unfeature)")).count()
        if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
            problems.append(f"{path}: wider than the screen")
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        problems += [f"{path}: axe {v['id']}" for v in results.response["violations"]]
        if SHOTS:
            name = re.sub(r"\W+", "-", path).strip("-")
            page.screenshot(path=os.path.join(SHOTS, f"{name}-{width}.png"), full_page=True)
    context.close()
    assert problems == []
