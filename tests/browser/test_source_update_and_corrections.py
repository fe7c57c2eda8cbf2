"""An editor sees "Source updated", reads the diff, applies it and adds a correction; a reader
sees the new text with the correction above it. At a phone's 390 px and a laptop's 1366 px,
every page on the way fits the screen, passes axe-core (WCAG 2.2 A/AA, best practice) and
parses as valid HTML."""
from __future__ import annotations

import re

import pytest

from newsroom.extensions import db
from newsroom.models import Role
from newsroom.syndication.updates import follow_source
from tests import factories
from tests.browser.test_moderation_desk import AXE_TAGS, _html_errors

WIDTHS = [390, 1366]
OLD = "Ferry timetable changes for the winter"
NEW = "Ferry timetable changes again for the winter"


@pytest.fixture
def app(make_app):
    app = make_app(WTF_CSRF_ENABLED=True, TIMEZONE="Europe/Paris")
    with app.app_context():
        factories.user(Role.EDITOR, email="desk.editor@newsroom.example", name="Mara Inkwell")
        outlet = factories.outlet("Valley Ledger")
        article = factories.syndicated_article(
            outlet, headline=OLD, slug="ferry-timetable",
            body="<p>The early ferry leaves at six from the north pier.</p>")
        db.session.commit()
        fields = {name: getattr(article, name) for name in (
            "headline", "standfirst", "body", "byline", "image_url", "original_url",
            "original_author", "original_published_at", "original_updated_at")}
        fields.update(headline=NEW, body="<p>The early ferry leaves at seven from the north pier.</p>")
        assert follow_source(article, fields) == "pending"
        db.session.commit()
        app.config["_article_id"] = article.id
        yield app


def axe_problems(page, where: str, width: int) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    problems = [f"{where}: {error}" for error in _html_errors(page.request.get(page.url).body())]
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        problems.append(f"{where}: {scroll} px wide")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.response["passes"], f"axe checked nothing on {where}"
    for violation in results.response["violations"]:
        targets = [node["target"] for node in violation["nodes"]][:3]
        problems.append(f"{where}: axe {violation['id']} {targets}")
    return problems


@pytest.mark.parametrize("width", WIDTHS)
def test_editor_applies_the_update_and_corrects_and_the_reader_sees_both(
        live_server, browser, app, width):
    article_id = app.config["_article_id"]
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = []
    page.goto(f"{live_server}/login?next=/editor/?state=published")
    page.fill("#email", "desk.editor@newsroom.example")
    page.fill("#password", "correct horse battery")
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r".*/editor/\?state=published$"))
    tag = page.locator("a.tag-source-updated")
    assert tag.inner_text() == "Source updated"
    problems += axe_problems(page, "desk list", width)

    for path in (f"/editor/articles/{article_id}", f"/editor/articles/{article_id}/edit"):
        page.goto(live_server + path)
        page.click("#source-updated summary")  # the diff opens in place too
        assert page.locator("#source-updated button:has-text('Apply update')").is_visible()
        problems += axe_problems(page, f"{path} with the diff open", width)
    page.goto(f"{live_server}/editor/?state=published")
    page.locator("a.tag-source-updated").click()
    page.wait_for_url(f"{live_server}/editor/articles/{article_id}/source-update")
    diff = page.locator(".source-diff")
    assert diff.locator("ins").first.inner_text().strip() in ("again", "changes again")
    assert "six" in diff.locator("del").all_inner_texts()[-1]
    assert "seven" in diff.locator("ins").all_inner_texts()[-1]
    problems += axe_problems(page, "diff", width)

    page.click("button:has-text('Apply update')")
    page.wait_for_url(f"{live_server}/editor/articles/{article_id}")
    assert "Source update applied" in page.locator(".flash").inner_text()
    assert page.locator("h1").inner_text() == NEW
    assert page.locator("#source-updated").count() == 0

    page.click("a:has-text('Corrections')")
    page.wait_for_url(f"{live_server}/editor/articles/{article_id}/corrections")
    problems += axe_problems(page, "corrections (empty)", width)
    page.select_option("#kind", "correction")
    page.fill("#text", "An earlier version gave the wrong pier.")
    page.click("button:has-text('Add to the story')")
    page.wait_for_url(f"{live_server}/editor/articles/{article_id}/corrections")
    assert "Correction added" in page.locator(".flash").inner_text()
    problems += axe_problems(page, "corrections", width)

    reader = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    reader.goto(f"{live_server}/articles/ferry-timetable")
    assert reader.locator("h1").inner_text() == NEW
    assert "seven" in reader.locator(".story-body").inner_text()
    note = reader.locator("#corrections li").inner_text()
    assert re.fullmatch(r"Correction, \d{1,2} \w+ \d{4}: An earlier version gave the wrong pier\.",
                        note.strip()), note
    above = reader.evaluate("document.querySelector('#corrections').compareDocumentPosition("
                            "document.querySelector('.story-body')) & Node.DOCUMENT_POSITION_FOLLOWING")
    assert above
    problems += axe_problems(reader, "reader's article", width)
    reader.context.close()
    context.close()
    assert problems == [], "\n".join(problems)
