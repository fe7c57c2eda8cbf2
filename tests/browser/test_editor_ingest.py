"""An editor queues a feed fetch at the desk, sees it arrive, publishes a draft; a reader sees it."""
import re

from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import Article, Role
from tests.feed_server import serving_feed

HEADLINE = "Boardwalk over the reed beds reopens after winter repairs"
ORIGINAL = "https://saltmarsh-beacon.example/news/boardwalk-reopens"


def test_editor_ingests_publishes_and_the_reader_sees_the_credit(
        live_server, page, browser, make, runner):
    make.user(Role.EDITOR, email="desk.editor@newsroom.example", password="tide tables at dawn")
    with serving_feed() as feed_url:
        outlet = make.outlet(
            "Saltmarsh Beacon", homepage_url="https://saltmarsh-beacon.example/", feed_url=feed_url
        )
        db.session.commit()

        page.goto(f"{live_server}/login?next=/editor/")
        page.fill("#email", "desk.editor@newsroom.example")
        page.fill("#password", "tide tables at dawn")
        page.click("form button[type=submit]")
        page.wait_for_url(f"{live_server}/editor/")

        page.click("nav.desk-nav >> text=Outlets")
        page.click("text=Saltmarsh Beacon")
        page.click("button:has-text('Fetch now')")
        page.wait_for_url(f"{live_server}/editor/outlets/{outlet.id}")
        assert "Fetch queued" in page.locator(".flash").inner_text()
        assert "Fetch queued" in page.locator("#fetch-status").inner_text()
        assert runner.invoke(args=["worker", "--burst"]).exit_code == 0
        # the page reloads itself while the fetch is queued or running
        page.wait_for_selector("text=Last fetch job finished", timeout=15_000)
        assert "2 new, 0 updated, 0 skipped" in page.locator("#latest-heading + p").inner_text()

    page.click(f"text={HEADLINE}")
    page.wait_for_url(re.compile(r".*/editor/articles/\d+$"))
    assert "Draft" in page.locator(".facts").inner_text()
    page.click("button:has-text('Publish now')")
    assert "Story published." in page.locator(".flash").inner_text()

    slug = db.session.scalar(select(Article.slug).where(Article.original_url == ORIGINAL))
    reader = browser.new_context().new_page()
    reader.goto(f"{live_server}/articles/{slug}")
    assert reader.locator("h1").inner_text() == HEADLINE
    attribution = reader.locator(".attribution")
    assert "Originally published in Saltmarsh Beacon" in attribution.inner_text()
    assert attribution.locator("a").get_attribute("href") == ORIGINAL
    assert reader.locator("link[rel=canonical]").get_attribute("href") == ORIGINAL
    assert "hijacked" not in reader.title()
    reader.context.close()
