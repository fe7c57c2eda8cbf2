"""The one clock: NEWSROOM_TIMEZONE for every date shown and typed; stored times stay UTC."""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pytest
from lxml import html as lxml_html

from newsroom.config import ConfigError
from newsroom.dates import from_local, show_date
from newsroom.extensions import db
from newsroom.models import Article, Role
from tests import conftest

PARIS = "Europe/Paris"
EVENT = datetime(2026, 11, 3, 6, 9, tzinfo=timezone.utc)  # 07:09 in Paris (CET)


@pytest.fixture
def app(make_app):
    app = make_app(TIMEZONE=PARIS)
    with app.app_context():
        yield app


def test_dates_are_shown_in_the_site_zone_with_the_zone_named(app):
    assert show_date(EVENT) == "3 November 2026, 07:09 CET"
    assert show_date(datetime(2026, 7, 1, 12, 0, tzinfo=timezone.utc)) == "1 July 2026, 14:00 CEST"


def test_typed_dates_are_read_in_the_site_zone_and_stored_in_utc(app):
    assert from_local(datetime(2026, 11, 3, 7, 9)) == EVENT
    assert from_local(None) is None


def test_an_unknown_zone_stops_start_up_with_one_line(database_url):
    from newsroom import create_app

    with pytest.raises(ConfigError, match="NEWSROOM_TIMEZONE='Mars/Olympus' is not an IANA"):
        create_app(conftest.test_config(database_url, TIMEZONE="Mars/Olympus"))


def app_client(client):
    """A second client on the same app: a reader with no session."""
    return client.application.test_client()


def test_desk_and_public_page_show_the_same_time_and_metadata_agrees(client, make, login_as):
    login_as(Role.EDITOR)
    article = make.article("Ferry timetable", slug="ferry-timetable", published=EVENT)
    db.session.commit()
    # the desk first: requests share the test's app context, and so Flask-Login's cached user
    desk = client.get(f"/editor/articles/{article.id}").text
    assert "3 November 2026, 07:09 CET" in desk
    public = app_client(client).get("/articles/ferry-timetable").text
    assert "3 November 2026, 07:09 CET" in public
    assert '<time datetime="2026-11-03T07:09:00+01:00">' in public
    tree = lxml_html.fromstring(public)
    ld = json.loads(tree.xpath("//script[@type='application/ld+json']/text()")[0])
    og = tree.xpath("//meta[@property='article:published_time']/@content")[0]
    assert datetime.fromisoformat(ld["datePublished"]) == EVENT
    assert datetime.fromisoformat(og) == EVENT
    assert ld["datePublished"].endswith("+01:00")


def test_a_scheduled_time_is_typed_in_the_site_zone(client, make, login_as):
    login_as(Role.EDITOR)
    article = make.article("Regatta night", published=False)
    db.session.commit()
    response = client.post(
        f"/editor/articles/{article.id}/schedule", data={"publish_at": "2036-07-01T20:30"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Article, article.id).published_at
    assert stored == datetime(2036, 7, 1, 18, 30, tzinfo=timezone.utc)
    page = client.get(f"/editor/articles/{article.id}").text
    assert "1 July 2036, 20:30 CEST" in page
    assert 'value="2036-07-01T20:30"' in page  # shown back as typed, not in UTC
    assert "Times are in CET" in page or "Times are in CEST" in page


def test_a_republished_story_shows_both_dates_and_cards_show_the_date_lists_sort_by(
    client, make
):
    outlet = make.outlet("Valley Ledger")
    make.syndicated_article(
        outlet, headline="Orchard frost", slug="orchard-frost",
        published=datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc),
        original_published_at=datetime(2026, 11, 3, 9, 0, tzinfo=timezone.utc),
    )
    make.article("Harbour lights", published=datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc))
    db.session.commit()
    page = client.get("/articles/orchard-frost").text
    text = re.sub(r"\s+", " ", lxml_html.fromstring(page).xpath("string(//p[@class='meta'])"))
    assert "Originally published 3 November 2026 by Valley Ledger · Republished here 1 December 2026" in text
    home = lxml_html.fromstring(client.get("/").text)
    shown = [datetime.fromisoformat(value) for value in home.xpath("//article[@class='card']//time/@datetime")]
    assert shown == sorted(shown, reverse=True)  # newest first, by the date each card shows


def test_the_draft_preview_has_no_dangling_dot_and_no_working_reply_form(client, make, login_as):
    login_as(Role.EDITOR)
    article = make.article("Quiet harbour", byline="Ines Quay", published=False)
    db.session.commit()
    page = client.get(f"/editor/articles/{article.id}/preview").text
    meta = lxml_html.fromstring(page).xpath("string(//p[@class='meta'])")
    assert meta.strip() == "By Ines Quay"
    assert 'class="reply-form' not in page and "The reply form appears here" in page


def test_the_story_history_reads_as_words_in_the_site_zone(client, make, login_as):
    from newsroom.models import ArticleRevision

    login_as(Role.EDITOR)
    article = make.article("Tide tables", published=False)
    db.session.add(ArticleRevision(article=article, action="edited", changes={
        "comments enabled": [False, True], "published at": [None, "2026-11-03T06:09:00+00:00"],
    }))
    db.session.commit()
    page = client.get(f"/editor/articles/{article.id}").text
    history = page.split('id="history-heading"')[1]
    assert "<td>no</td>" in history and "<td>yes</td>" in history
    assert "<td>3 November 2026, 07:09 CET</td>" in history
    for leftover in ("True", "False", "None", "2026-11-03T06"):
        assert leftover not in history
