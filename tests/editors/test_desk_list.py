"""The desk's story list: tabs by state, filters, search, comment counts, fixed query count."""
from datetime import timedelta

import pytest

from newsroom.extensions import db
from newsroom.models import CommentStatus, Role, utcnow


@pytest.fixture
def editor(login_as):
    return login_as(Role.EDITOR)


def test_tabs_split_stories_by_state_newest_first(client, editor, make):
    make.article("Old draft", published=False, created_at=utcnow() - timedelta(days=2))
    make.article("New draft", published=False, created_at=utcnow() - timedelta(hours=1))
    make.article("Coming soon", published=utcnow() + timedelta(days=1))
    make.article("Out already", published=True)
    db.session.commit()
    drafts = client.get("/editor/").text
    assert "New draft" in drafts and "Old draft" in drafts and "Coming soon" not in drafts
    assert drafts.index("New draft") < drafts.index("Old draft")
    scheduled = client.get("/editor/?state=scheduled").text
    assert (
        "Coming soon" in scheduled
        and "Out already" not in scheduled
        and "New draft" not in scheduled
    )
    published = client.get("/editor/?state=published").text
    assert "Out already" in published and "Coming soon" not in published
    assert 'aria-current="page">Published <span class="count">1</span>' in published
    assert 'Drafts <span class="count">2</span>' in published


def test_unknown_state_falls_back_to_drafts(client, editor, make):
    make.article("A draft", published=False)
    db.session.commit()
    assert "A draft" in client.get("/editor/?state=bogus").text


def test_rows_show_outlet_section_and_approved_comment_counts(client, editor, make):
    outlet = make.outlet("Valley Ledger")
    section = make.section("Harbour")
    story = make.syndicated_article(outlet, headline="Counted story", section=section)
    for status in (
        CommentStatus.APPROVED,
        CommentStatus.APPROVED,
        CommentStatus.PENDING,
        CommentStatus.SPAM,
    ):
        make.comment(story, status=status)
    db.session.commit()
    html = client.get("/editor/?state=published").text
    row = html[html.index("Counted story") :]
    row = row[: row.index("</tr>")]
    assert "Valley Ledger" in row and "Harbour" in row and '<td data-label="Comments">2</td>' in row


def test_filters_by_outlet_section_and_headline_search(client, editor, make):
    outlet = make.outlet("Valley Ledger")
    section = make.section("Harbour")
    make.syndicated_article(outlet, headline="From the valley", published=False)
    make.article("Harbour news 100%", section=section, published=False)
    make.article("Something else", published=False)
    db.session.commit()
    by_outlet = client.get(f"/editor/?outlet={outlet.id}").text
    assert "From the valley" in by_outlet and "Harbour news" not in by_outlet
    own = client.get("/editor/?outlet=own").text
    assert "From the valley" not in own and "Something else" in own
    by_section = client.get(f"/editor/?section={section.id}").text
    assert "Harbour news" in by_section and "Something else" not in by_section
    search = client.get("/editor/?q=HARBOUR").text
    assert "Harbour news" in search and "Something else" not in search
    literal = client.get("/editor/?q=100%25").text  # % is a letter here, not a wildcard
    assert "Harbour news" in literal and "From the valley" not in literal
    assert 'value="HARBOUR"' in client.get("/editor/?q=HARBOUR").text


def test_the_list_is_paginated_and_keeps_filters(client, editor, make):
    section = make.section()
    for n in range(30):
        make.article(f"Paged {n}", published=False, section=section)
    db.session.commit()
    first = client.get(f"/editor/?section={section.id}").text
    assert first.count("Paged ") == 25
    assert f"section={section.id}" in first[first.index('rel="next"') - 200 :]
    second = client.get(f"/editor/?section={section.id}&page=2").text
    assert second.count("Paged ") == 5


def _fill(make, count):
    outlet = make.outlet()
    section = make.section()
    for n in range(count):
        article = (
            make.syndicated_article(outlet, section=section)
            if n % 2
            else make.article(section=section)
        )
        if n % 10 == 0:
            make.comment(article)
    db.session.commit()


def _queries_for(client, count_queries, url):
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_for_10_or_300_stories(client, editor, make, count_queries):
    _fill(make, 10)
    few = _queries_for(client, count_queries, "/editor/?state=published")
    _fill(make, 290)
    many = _queries_for(client, count_queries, "/editor/?state=published")
    # 9: the page's rows and counts, plus the stories with a pending source update and the
    # rights lapsing in the next 7 days (one query each, whatever the number of stories)
    assert few == many <= 9


def test_the_desk_offers_sign_out(client, editor):
    html = client.get("/editor/").text
    assert 'action="/logout"' in html and "Sign out" in html
