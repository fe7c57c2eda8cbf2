"""The queue page: tabs and counts, what each row shows, order, pagination, filters, query count."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from newsroom.templating import html_datetime
from newsroom.extensions import db
from newsroom.models import CommentStatus, ModerationDecision, Role, utcnow


def _row_order(html: str, *names: str) -> list[int]:
    return [html.index(name) for name in names]


def test_tabs_show_counts_per_status(client, moderator, make):
    article = make.article()
    for status, number in [("pending", 3), ("approved", 2), ("rejected", 1), ("spam", 4)]:
        for _ in range(number):
            make.comment(article, status=CommentStatus(status))
    db.session.commit()
    html = client.get("/moderation/").get_data(as_text=True)
    for tab, number in [("Pending", 3), ("Approved", 2), ("Rejected", 1), ("Spam", 4), ("All", 10)]:
        assert f'{tab} <span class="count">{number}</span>' in html
    assert "3 pending" in html  # the desk navigation's pending count


def test_row_shows_everything_a_moderator_needs(client, moderator, make):
    article = make.article("Harbour wall to be rebuilt")
    parent = make.comment(article, author_name="Pat Parent",
                          body="The original point, made at length.")
    comment = make.comment(
        article,
        parent=parent,
        status=CommentStatus.PENDING,
        author_name="Quinn Query",
        author_email="quinn@readers.example",
        author_website="https://quinn.example/",
        ip_address="192.0.2.44",
        user_agent="Mozilla/5.0 (TestBrowser)",
        body="I <strong>disagree</strong> <script>alert(1)</script>",
        held_reasons=["pre-moderation", "too-many-links"],
    )
    db.session.add(ModerationDecision(comment=comment, comment_ref=comment.id,
                                      from_status="new", to_status="pending",
                                      reason="pre-moderation"))
    db.session.commit()
    html = client.get("/moderation/").get_data(as_text=True)
    assert f'href="/articles/{article.slug}">Harbour wall to be rebuilt</a>' in html
    for shown in ["Quinn Query", "quinn@readers.example", "https://quinn.example/", "192.0.2.44",
                  "Mozilla/5.0 (TestBrowser)", html_datetime(comment.created_at)]:
        assert shown in html
    assert "I <strong>disagree</strong>" in html and "<script>" not in html.split("<main")[1]
    assert "Pat Parent" in html and "The original point, made at length." in html
    assert f'/articles/{article.slug}#comment-{parent.id}' in html
    # hold reasons in plain words, not codes
    assert "First comment from this email address: it waits for a moderator" in html
    assert "More links than the 2 allowed" in html and "too-many-links" not in html
    assert "the comment rules:\n        new → pending — pre-moderation" in html


def test_pending_oldest_first_other_tabs_newest_first(client, moderator, make):
    article = make.article()
    now = utcnow()
    make.comment(article, status=CommentStatus.PENDING, author_name="Early Bird",
                 created_at=now - timedelta(hours=5))
    make.comment(article, status=CommentStatus.PENDING, author_name="Late Owl",
                 created_at=now - timedelta(hours=1))
    make.comment(article, status=CommentStatus.SPAM, author_name="Spam Early",
                 created_at=now - timedelta(hours=5))
    make.comment(article, status=CommentStatus.SPAM, author_name="Spam Late",
                 created_at=now - timedelta(hours=1))
    db.session.commit()
    pending = client.get("/moderation/").get_data(as_text=True)
    early, late = _row_order(pending, "Early Bird", "Late Owl")
    assert early < late
    spam = client.get("/moderation/?status=spam").get_data(as_text=True)
    early, late = _row_order(spam, "Spam Early", "Spam Late")
    assert late < early
    assert "Late Owl" not in spam


def _names(html: str) -> list[str]:
    return re.findall(r'<strong id="who-\d+">([^<]+)</strong>', html)


def test_pagination_keeps_status_and_filters(client, moderator, make):
    article = make.article(slug="tidal-report")
    made = [make.comment(article, status=CommentStatus.PENDING, body="about the tide",
                         author_name=f"Tide {n}") for n in range(7)]
    make.comment(make.article(), status=CommentStatus.PENDING, body="about the tide")
    db.session.commit()
    html = client.get("/moderation/?article=tidal-report&q=tide&per_page=3").get_data(as_text=True)
    assert "Page 1 of 3" in html and _names(html) == ["Tide 0", "Tide 1", "Tide 2"]
    filters = "status=pending&amp;article=tidal-report&amp;q=tide&amp;per_page=3"
    next_link = f'/moderation/?{filters}&amp;page=2&amp;after={made[2].id}'
    assert f'href="{next_link}"' in html
    second = client.get(next_link.replace("&amp;", "&")).get_data(as_text=True)
    assert "Page 2 of 3" in second and _names(second) == ["Tide 3", "Tide 4", "Tide 5"]
    assert f'name="next" value="{next_link}"' in second  # actions come back here
    third = f"/moderation/?article=tidal-report&q=tide&per_page=3&page=3&after={made[5].id}"
    third_html = client.get(third).get_data(as_text=True)
    assert _names(third_html) == ["Tide 6"]
    prev_link = f'/moderation/?{filters}&amp;page=2&amp;before={made[6].id}'
    assert f'href="{prev_link}"' in third_html
    back = client.get(prev_link.replace("&amp;", "&")).get_data(as_text=True)
    assert _names(back) == ["Tide 3", "Tide 4", "Tide 5"]
    assert f'href="/moderation/?{filters}"' in back  # previous from page 2 is plain page 1


def test_offset_and_keyset_pages_agree_newest_first(client, moderator, make):
    article = make.article()
    made = [make.comment(article, status=CommentStatus.SPAM, author_name=f"Spam {n}")
            for n in range(5)]
    db.session.commit()
    by_offset = client.get("/moderation/?status=spam&per_page=2&page=2").get_data(as_text=True)
    by_keyset = client.get(
        f"/moderation/?status=spam&per_page=2&page=2&after={made[3].id}"
    ).get_data(as_text=True)
    assert _names(by_offset) == _names(by_keyset) == ["Spam 2", "Spam 1"]


def test_decision_on_a_keyset_page_keeps_the_place(client, moderator, make):
    article = make.article()
    made = [make.comment(article, status=CommentStatus.PENDING, author_name=f"Row {n}")
            for n in range(6)]
    db.session.commit()
    here = f"/moderation/?per_page=2&page=2&after={made[1].id}"
    response = client.post(f"/moderation/comments/{made[2].id}/approve", data={"next": here})
    assert response.location == here
    assert _names(client.get(here).get_data(as_text=True)) == ["Row 3", "Row 4"]


def test_a_cursor_that_is_gone_falls_back_to_the_page_number(client, moderator, make):
    article = make.article()
    for n in range(5):
        make.comment(article, status=CommentStatus.PENDING, author_name=f"Row {n}")
    db.session.commit()
    html = client.get("/moderation/?per_page=2&page=2&after=999999").get_data(as_text=True)
    assert _names(html) == ["Row 2", "Row 3"]


def test_page_past_the_end_shows_the_last_page(client, moderator, make):
    article = make.article()
    for _ in range(3):
        make.comment(article, status=CommentStatus.PENDING)
    db.session.commit()
    html = client.get("/moderation/?per_page=2&page=9").get_data(as_text=True)
    assert "Page 2 of 2" in html


@pytest.mark.parametrize(
    "query, expected",
    [
        ("article={article_id}", {"Ann Article", "Ann Other"}),
        ("article=lighthouse-opens", {"Ann Article", "Ann Other"}),
        ("email=BOB@readers.example", {"Bob Email"}),
        ("ip=198.51.100.23", {"Cy Address"}),
        ("ip=::FFFF:198.51.100.23", {"Cy Address"}),  # another spelling of the same address
        ("q=seagull", {"Dee Text", "Ann Other"}),
        ("q=seagull&article=lighthouse-opens", {"Ann Other"}),
        ("q=100%25", {"Eve Percent"}),
        ("status=all&email=bob@readers.example", {"Bob Email", "Bob Approved"}),
    ],
)
def test_filters(client, moderator, make, query, expected):
    lighthouse = make.article(slug="lighthouse-opens")
    other = make.article()
    pending = CommentStatus.PENDING
    make.comment(lighthouse, status=pending, author_name="Ann Article")
    make.comment(lighthouse, status=pending, author_name="Ann Other", body="a seagull took it")
    make.comment(other, status=pending, author_name="Bob Email", author_email="bob@readers.example")
    make.comment(other, author_name="Bob Approved", author_email="bob@readers.example")
    make.comment(other, status=pending, author_name="Cy Address", ip_address="198.51.100.23")
    make.comment(other, status=pending, author_name="Dee Text", body="The SEAGULL colony")
    make.comment(other, status=pending, author_name="Eve Percent", body="a 100% rise")
    db.session.commit()
    url = "/moderation/?" + query.format(article_id=lighthouse.id)
    html = client.get(url).get_data(as_text=True)
    names = {"Ann Article", "Ann Other", "Bob Email", "Bob Approved", "Cy Address", "Dee Text",
             "Eve Percent"}
    shown = {name for name in names if f'">{name}</strong>' in html}
    assert shown == expected


def test_tab_counts_follow_the_filters(client, moderator, make):
    article = make.article(slug="filtered-story")
    make.comment(article, status=CommentStatus.PENDING)
    make.comment(article, status=CommentStatus.SPAM)
    make.comment(make.article(), status=CommentStatus.PENDING)
    db.session.commit()
    html = client.get("/moderation/?article=filtered-story").get_data(as_text=True)
    assert 'Pending <span class="count">1</span>' in html
    assert 'href="/moderation/?status=spam&amp;article=filtered-story"' in html
    assert "2 pending" in html  # the navigation counts the whole queue


def test_empty_queue(client, moderator):
    html = client.get("/moderation/").get_data(as_text=True)
    assert "No pending comments." in html
    assert "0 pending" in html


def _fill(make, moderators, number: int) -> list[int]:
    """``number`` pending replies spread over articles, each with a parent and two decisions."""
    articles = [make.article() for _ in range(5)]
    parents = [make.comment(article) for article in articles]
    made = []
    for n in range(number):
        comment = make.comment(articles[n % 5], status=CommentStatus.PENDING,
                               parent=parents[n % 5], held_reasons=["pre-moderation"])
        made.append(comment.id)
        db.session.add_all([
            ModerationDecision(comment=comment, comment_ref=comment.id, from_status="new",
                               to_status="spam"),
            ModerationDecision(comment=comment, comment_ref=comment.id, from_status="spam",
                               to_status="pending", moderator=moderators[n % 2]),
        ])
    db.session.commit()
    return made


@pytest.mark.parametrize(
    "extra, shown",
    [("", 25), ("&per_page=100", 100), ("&page=2&after={first}", 25), ("&before={first}", 0)],
)
def test_query_count_is_fixed(client, moderator, make, count_queries, extra, shown):
    others = [moderator, make.user(Role.ADMIN)]
    first = _fill(make, others, 10)[0]
    url = "/moderation/?status=pending" + extra.format(first=first)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    _fill(make, others, 490)
    with count_queries() as large:
        html = client.get(url).get_data(as_text=True)
    assert html.count('class="queue-item') == shown
    assert len(small) == len(large)
    # user, counts, (cursor), page, decisions, reply counts, commenters' records (one grouped)
    assert len(large) <= (7 if "{first}" in extra else 6), large


def test_counts_stop_at_the_cap(client, moderator, make, monkeypatch):
    from newsroom.moderation import queries

    monkeypatch.setattr(queries, "COUNT_CAP", 3)
    monkeypatch.setattr("newsroom.moderation.blueprint.COUNT_CAP", 3)
    article = make.article()
    for _ in range(5):
        make.comment(article, status=CommentStatus.PENDING)
    make.comment(article, status=CommentStatus.SPAM)
    db.session.commit()
    html = client.get("/moderation/?per_page=2").get_data(as_text=True)
    assert 'Pending <span class="count">3+</span>' in html
    assert 'Spam <span class="count">1</span>' in html
    assert "3+ pending" in html and "Page 1 of 2+" in html
    third = client.get("/moderation/?per_page=2&page=3").get_data(as_text=True)
    assert third.count('class="queue-item') == 1 and 'rel="next"' not in third
    beyond = client.get("/moderation/?per_page=2&page=9").get_data(as_text=True)
    assert "This page is past the end of the queue." in beyond
