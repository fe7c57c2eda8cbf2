"""The desks in Debian's Chromium at a phone's 390 px and a laptop's 1366 px: a moderator clears
ten comments with the keyboard alone, undoes one and deletes one through the confirmation; every
moderation and editor page type fits the screen, passes axe-core (WCAG 2.2 A/AA and best
practice, axe bundled by axe-playwright-python: no CDN) and parses as valid HTML."""
from __future__ import annotations

import re
from datetime import timedelta

import html5lib
import pytest

from newsroom.extensions import db
from newsroom.models import BanKind, CommentReport, CommentStatus, ReportReason, Role, utcnow
from newsroom.moderation import actions
from tests import factories

WIDTHS = {"phone": (390, 844), "laptop": (1366, 900)}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
HTML_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:\d\d)")


@pytest.fixture
def app(make_app):
    """CSRF on; an admin (both desks), a story with twelve held comments, a ban, a blocklist."""
    app = make_app(WTF_CSRF_ENABLED=True, TIMEZONE="Europe/Paris")
    with app.app_context():
        chief = factories.user(Role.ADMIN, email="chief@newsroom.example", name="Rhea Chief")
        section = factories.section("Harbour", slug="harbour")
        outlet = factories.outlet("Valley Ledger")
        article = factories.syndicated_article(
            outlet, headline="Ferry timetable changes", slug="ferry-timetable", section=section,
            original_url="https://valley.example/ferry", body="<p>The early ferry leaves at six.</p>",
        )
        start = utcnow() - timedelta(hours=2)
        held = [
            factories.comment(
                article, status=CommentStatus.PENDING, author_name=f"Reader {n:02d}",
                author_email=f"reader{n}@readers.example", ip_address=f"192.0.2.{n + 10}",
                user_agent="Mozilla/5.0 (Test)", body=f"<p>Comment number {n} on the ferry.</p>",
                held_reasons=["pre-moderation", "too-many-links"] if n % 3 == 0 else ["pre-moderation"],
                created_at=start + timedelta(minutes=n),
            )
            for n in range(12)
        ]
        reported = factories.comment(article, author_name="Loud Lars",
                                     body="<p>A rude remark about the crew.</p>")
        reported.hidden_at = utcnow()  # three readers' reports hid it
        db.session.add_all([
            CommentReport(comment=reported, reason=reason, details=details,
                          reporter_key=str(n) * 64, reporter_ip=str(n) * 64)
            for n, (reason, details) in enumerate([
                (ReportReason.ABUSE, ""), (ReportReason.ILLEGAL, "It threatens a named crew member."),
                (ReportReason.OTHER, "Not about the ferry at all.")])
        ])
        actions.create_ban(BanKind.EMAIL, "flood@readers.example", chief, reason="flooding",
                           expires_at=utcnow() + timedelta(days=30))
        actions.add_blocklist_entry(actions.BlocklistKind.WORD, "casino", chief)
        db.session.commit()
        app.config["_ids"] = {"article": article.id, "outlet": outlet.id, "section": section.id,
                              "comments": [c.id for c in held]}
        yield app


def _sign_in(page, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", "chief@newsroom.example")
    page.fill("input[name=password]", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/(moderation|editor)/.*|.*/$"))


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    screen = page.evaluate("window.innerWidth")
    assert width <= screen, f"{page.url} is {width} px wide on a {screen} px screen"


def _status(comment_id: int):
    db.session.expire_all()
    comment = db.session.get(actions.Comment, comment_id)
    return comment.status if comment else None


@pytest.mark.parametrize("width", WIDTHS)
def test_a_moderator_clears_ten_with_the_keyboard_undoes_one_and_deletes_one(
    live_server, browser, app, width
):
    ids = app.config["_ids"]["comments"]
    context = browser.new_context(viewport=dict(zip(("width", "height"), WIDTHS[width])))
    page = context.new_page()
    page.set_default_timeout(10_000)
    _sign_in(page, live_server)
    page.goto(f"{live_server}/moderation/")
    _fits(page)
    keys = ["a", "r", "s", "a", "a", "r", "a", "s", "a", "a"]
    page.keyboard.press("j")  # the first (oldest) row
    for number, key in enumerate(keys):
        row = page.locator(f"#row-{ids[number]}")
        assert page.evaluate("document.activeElement.id") == f"row-{ids[number]}"
        page.keyboard.press(key)
        row.locator(".row-notice").wait_for()
        _fits(page)
    expected = {"a": CommentStatus.APPROVED, "r": CommentStatus.REJECTED, "s": CommentStatus.SPAM}
    assert [_status(i) for i in ids[:10]] == [expected[key] for key in keys]
    assert page.url == f"{live_server}/moderation/"  # no reload, no navigation

    # u undoes the last decision: the tenth comment is pending again, and that is recorded
    page.keyboard.press("u")
    page.locator(f"#row-{ids[9]} .row-notice", has_text="Undone").wait_for()
    assert _status(ids[9]) is CommentStatus.PENDING

    # typing in a field never fires a key
    page.focus(f"#reason-{ids[10]}")
    page.keyboard.type("a r s")
    assert _status(ids[10]) is CommentStatus.PENDING

    # "?" shows the keys
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("?")
    assert page.locator("#keys").get_attribute("open") is not None

    # delete asks first, on a page of its own, and comes back to the next row
    page.goto(f"{live_server}/moderation/")
    page.locator(f"#row-{ids[10]}").get_by_role("link", name="Delete…").click()
    assert "/delete?" in page.url and "Deleting cannot be undone" in page.content()
    _fits(page)
    assert _status(ids[10]) is CommentStatus.PENDING
    page.get_by_role("button", name="Delete it").click()
    assert page.url.endswith(f"#row-{ids[11]}")
    assert _status(ids[10]) is None
    assert "Deleted the comment by Reader 10" in page.locator(".flash").inner_text()
    context.close()


def _desk_pages(ids: dict) -> list[str]:
    comment = ids["comments"][0]
    return [
        "/moderation/", "/moderation/?status=all", "/moderation/?status=reported",
        "/moderation/audit", "/moderation/bans",
        "/moderation/bans?show=past", "/moderation/blocklist", "/moderation/blocklist?kind=ip",
        f"/moderation/comments/{comment}/ban", f"/moderation/comments/{comment}/reply",
        f"/moderation/comments/{comment}/delete?next=/moderation/",
        "/editor/", f"/editor/articles/{ids['article']}", f"/editor/articles/{ids['article']}/edit",
        f"/editor/articles/{ids['article']}/preview", "/editor/articles/new", "/editor/outlets",
        f"/editor/articles/{ids['article']}/source-update",
        f"/editor/articles/{ids['article']}/corrections",
        f"/editor/outlets/{ids['outlet']}", f"/editor/outlets/{ids['outlet']}/edit",
        "/editor/outlets/new", "/editor/sections", f"/editor/sections/{ids['section']}/edit",
        "/editor/sections/new", "/admin/jobs", "/admin/outbox",
    ]


def _html_errors(markup: bytes) -> list:
    parser = html5lib.HTMLParser(strict=False)
    parser.parse(markup)
    errors = [str(error) for error in parser.errors]
    for value in re.findall(rb'<time datetime="([^"]*)"', markup):
        if not HTML_DATETIME.fullmatch(value.decode()):
            errors.append(f"bad <time datetime> {value!r}")
    found = re.findall(rb'\sid="([^"]+)"', markup)
    errors.extend(f"duplicate id {i!r}" for i in set(found) if found.count(i) > 1)
    return errors


@pytest.mark.parametrize("width", WIDTHS)
def test_every_desk_page_fits_passes_axe_and_is_valid_html(live_server, browser, app, width):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = browser.new_context(viewport=dict(zip(("width", "height"), WIDTHS[width])))
    page = context.new_page()
    page.set_default_timeout(10_000)
    _sign_in(page, live_server)
    problems = []
    for path in _desk_pages(app.config["_ids"]):
        response = page.goto(live_server + path)
        assert response.status == 200, path
        for details in page.locator("details").all():  # what opens on demand is checked too
            details.evaluate("element => element.open = true")
        width_px = page.evaluate("document.documentElement.scrollWidth")
        if width_px > WIDTHS[width][0]:
            problems.append(f"{path}: {width_px} px wide")
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        assert results.response["passes"], f"axe checked nothing on {path}"
        for violation in results.response["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            problems.append(f"{path}: axe {violation['id']} {targets}")
        problems.extend(f"{path}: {error}" for error in _html_errors(response.body()))
    # the check would catch a problem: a control without a name
    page.evaluate("document.querySelector('main, body').append(document.createElement('button'))")
    caught = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert "button-name" in {violation["id"] for violation in caught.response["violations"]}
    context.close()
    assert problems == [], "\n".join(problems)
