"""Corrections as readers get them: above the body, pinned above comments, in feeds and JSON-LD,
with the page's ETag, cache key and modified dates moving the moment one is added or removed."""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from xml.etree import ElementTree as ET

import pytest
from markupsafe import Markup

from newsroom.content.corrections import add_correction, remove_correction
from newsroom.extensions import db
from newsroom.models import CorrectionKind, Role

AT = datetime(2026, 12, 1, 20, 30, tzinfo=timezone.utc)  # 2 December in Auckland
#: When the story was published and last edited: before AT, whatever today's date is.
EARLIER = AT - timedelta(hours=12)
LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture
def app(make_app):
    app = make_app(TIMEZONE="Pacific/Auckland")
    with app.app_context():
        yield app


@pytest.fixture
def story(make):
    outlet = make.outlet("Valley Ledger")
    article = make.syndicated_article(
        outlet, headline="Pier café reopens", slug="pier-cafe",
        body="<p>The café on Pier 4 opened its doors again on Saturday.</p>",
        original_updated_at=datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc),
        published=EARLIER, updated_at=EARLIER)
    db.session.commit()
    return article


def correct(article, text="The café opened on Sunday, not Saturday.",
            kind=CorrectionKind.CORRECTION, pinned=False, at=AT):
    correction = add_correction(article, kind, text, None, at, pinned=pinned)
    db.session.commit()
    return correction


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", Markup(html).striptags())


def test_the_correction_shows_dated_above_the_body(client, story):
    correct(story)
    correct(story, "The café's new hours are on its door.", CorrectionKind.UPDATE,
            at=datetime(2026, 12, 3, 1, 0, tzinfo=timezone.utc))
    html = client.get("/articles/pier-cafe").text
    block = html[html.index('id="corrections"'):html.index('class="story-body"')]
    assert "Correction, 2 December 2026: The café opened on Sunday, not Saturday." in text_of(
        "<x " + block)
    assert "Update, 3 December 2026: The café's new hours are on its door." in text_of(
        "<x " + block).replace("&#39;", "'")
    assert html.index('id="corrections"') < html.index('class="story-body"')
    assert 'id="pinned-note"' not in html


def test_a_note_can_also_be_pinned_above_the_comments(client, story):
    correct(story, "Comments about the old opening day predate this note.",
            CorrectionKind.EDITORS_NOTE, pinned=True)
    html = client.get("/articles/pier-cafe").text
    assert html.index('id="pinned-note"') < html.index('id="comments"')
    pinned = html[html.index('id="pinned-note"'):html.index('id="comments"')]
    assert "Editor's note, 2 December 2026: Comments about" in text_of("<x " + pinned).replace(
        "&#39;", "'")


def test_the_text_is_plain_text_escaped(client, story):
    correct(story, "The <b>café</b> opened on <script>Sunday</script>.")
    html = client.get("/articles/pier-cafe").text
    assert "<b>café</b>" not in html and "<script>Sunday" not in html
    assert "The &lt;b&gt;café&lt;/b&gt; opened on &lt;script&gt;Sunday&lt;/script&gt;." in html


def test_a_removed_correction_leaves_the_page(client, story):
    correction = correct(story)
    remove_correction(correction, None, AT)
    db.session.commit()
    html = client.get("/articles/pier-cafe").text
    assert 'id="corrections"' not in html and "not Saturday" not in html


def test_json_ld_lists_correction_comments_and_moves_date_modified(client, story):
    before = json.loads(LD_JSON.search(client.get("/articles/pier-cafe").text).group(1))
    assert "correction" not in before
    assert before["dateModified"].startswith("2026-11-30T22:00:00")  # the source's, in Auckland
    correct(story)
    data = json.loads(LD_JSON.search(client.get("/articles/pier-cafe").text).group(1))
    assert data["correction"] == [{
        "@type": "CorrectionComment",
        "text": "Correction: The café opened on Sunday, not Saturday.",
        "datePublished": "2026-12-02T09:30:00+13:00",
    }]
    assert data["dateModified"] == "2026-12-02T09:30:00+13:00"


def test_adding_a_correction_changes_the_etag_and_the_cached_page(client, story):
    first = client.get("/articles/pier-cafe")
    assert client.get("/articles/pier-cafe", headers={"If-None-Match": first.headers["ETag"]}
                      ).status_code == 304
    assert "not Saturday" not in client.get("/articles/pier-cafe").text  # cached now
    correct(story)
    again = client.get("/articles/pier-cafe", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and again.headers["ETag"] != first.headers["ETag"]
    assert "not Saturday" in again.text
    assert "not Saturday" in client.get("/articles/pier-cafe").text
    assert again.last_modified >= AT.replace(microsecond=0)


def test_adding_a_correction_leaves_the_edit_version(story):
    version = story.version
    correct(story)
    db.session.expire_all()
    assert story.version == version and story.updated_at == AT


def test_feeds_append_corrections_and_move_their_validators(client, story):
    rss = client.get("/feed.xml")
    atom = client.get("/atom.xml")
    correct(story)
    new_rss = client.get("/feed.xml", headers={"If-None-Match": rss.headers["ETag"]})
    new_atom = client.get("/atom.xml", headers={"If-None-Match": atom.headers["ETag"]})
    assert new_rss.status_code == new_atom.status_code == 200
    ns = {"content": "http://purl.org/rss/1.0/modules/content/", "a": "http://www.w3.org/2005/Atom"}
    item = ET.fromstring(new_rss.data).find("channel/item")
    content = item.find("content:encoded", ns).text
    assert "<strong>Correction, 2 December 2026:</strong> The café opened on Sunday" in content
    assert content.index("Saturday.</p>") < content.index('class="corrections"')
    entry = ET.fromstring(new_atom.data).find("a:entry", ns)
    assert "Correction, 2 December 2026:" in entry.find("a:content", ns).text
    assert entry.find("a:updated", ns).text == "2026-12-01T20:30:00+00:00"  # the correction's time


def test_the_article_page_costs_the_same_queries_with_many_corrections(
    client, story, count_queries
):
    def queries():
        with count_queries() as recorded:
            html = client.get("/articles/pier-cafe?x=1").text  # rendered, never cached
        db.session.expire_all()  # the tests share the requests' session: load afresh each time
        return len(recorded), html

    correct(story)
    queries()  # the first request of a test app loads what it keeps
    few, _ = queries()
    for n in range(30):
        correct(story, f"Note number {n}.", CorrectionKind.UPDATE)
    many, html = queries()
    assert few == many and "Note number 29." in html, (few, many)


def test_feeds_cost_the_same_queries_with_many_corrections(client, make, story, count_queries):
    def queries():
        with count_queries() as recorded:
            assert client.get("/feed.xml").status_code == 200
        db.session.expire_all()
        return len(recorded)

    correct(story)
    few = queries()
    for n in range(20):
        other = make.article(f"Corrected story {n}")
        db.session.commit()
        correct(other, f"Corrected note {n}.")
    assert queries() == few


def test_staff_names_stay_off_the_public_page(client, make, story):
    editor = make.user(Role.EDITOR, name="Desk Hidden-Name", email="desk.hidden@example.org")
    add_correction(story, CorrectionKind.CORRECTION, "A fact fixed.", editor, AT)
    db.session.commit()
    html = client.get("/articles/pier-cafe").text + client.get("/feed.xml").text
    assert "A fact fixed." in html
    assert "Hidden-Name" not in html and "desk.hidden" not in html


def test_a_story_that_never_had_a_correction_costs_no_query_for_them(client, story, count_queries):
    def queries():
        with count_queries() as recorded:
            assert client.get("/articles/pier-cafe?x=1").status_code == 200
        db.session.expire_all()
        return [statement for statement in recorded if "FROM corrections" in statement]

    queries()
    assert queries() == []
    correct(story)
    assert len(queries()) == 1
