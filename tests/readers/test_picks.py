"""The "Editors' picks" block above the thread: what it shows, in which order, and when it changes."""
from __future__ import annotations

import re
from datetime import timedelta

from newsroom.extensions import db
from newsroom.models import CommentStatus, Role, utcnow
from newsroom.moderation.actions import set_status
from newsroom.moderation.featuring import feature

PICKS = re.compile(r'<section class="picks" id="picks".*?</section>', re.S)


def picks_block(html: str) -> str:
    found = PICKS.search(html)
    return found.group(0) if found else ""


def picked_names(html: str) -> list[str]:
    return re.findall(r'<span class="comment-author">([^<]+)</span>', picks_block(html))


def featured_in_order(make, article, names, staff):
    """Comments by ``names``, featured one after the other (the last is the newest pick)."""
    comments = [make.comment(article, author_name=name, body=f"{name} wrote this reply.")
                for name in names]
    start = utcnow() - timedelta(minutes=10)
    for n, comment in enumerate(comments):
        feature(comment, staff)
        comment.featured_at = start + timedelta(seconds=n)
    db.session.commit()
    return comments


def test_no_block_without_picks(client, make):
    article = make.article()
    make.comment(article)
    db.session.commit()
    html = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert 'id="picks"' not in html and "Editors' pick" not in html


def test_the_block_lists_picks_newest_featured_first_capped_at_five(client, make):
    article = make.article()
    staff = make.user(Role.EDITOR)
    names = [f"Pick {letter}" for letter in "ABCDEF"]
    comments = featured_in_order(make, article, names, staff)
    make.comment(article, author_name="Not Picked")
    db.session.commit()
    html = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    block = picks_block(html)
    assert '<h2 id="picks-heading">Editors\' picks</h2>' in block
    assert 'aria-labelledby="picks-heading"' in block
    assert picked_names(html) == ["Pick F", "Pick E", "Pick D", "Pick C", "Pick B"]
    assert "Not Picked" not in block
    # each links to the comment in the thread (on this page: the anchor alone)
    assert f'href="#comment-{comments[-1].id}"' in block
    assert "Pick F wrote this reply." in block
    # above the thread, and still in place in it, marked
    assert html.index('id="picks"') < html.index('id="comments"')
    thread = html[html.index('id="comments"'):]
    item = thread[thread.index(f'id="comment-{comments[-1].id}"'):]
    assert item.index("Editors' pick") < item.index("Pick F wrote this reply.")
    assert 'class="comment depth-1 comment-picked"' in thread


def test_a_pick_on_another_comment_page_links_to_that_page(app, client, make):
    app.config["COMMENTS_PER_PAGE"] = 2
    article = make.article()
    staff = make.user(Role.MODERATOR)
    roots = [make.comment(article, author_name=f"Root {n}") for n in range(5)]
    reply = make.comment(article, parent=roots[4], author_name="Late Reply")
    db.session.commit()
    feature(reply, staff)
    db.session.commit()
    html = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert f'href="/articles/{article.slug}?cpage=3#comment-{reply.id}"' in picks_block(html)
    page3 = client.get(f"/articles/{article.slug}?cpage=3").get_data(as_text=True)
    assert f'href="#comment-{reply.id}"' in picks_block(page3)
    assert f'id="comment-{reply.id}"' in page3


def test_rejecting_or_erasing_a_pick_takes_it_out_of_the_block(client, runner, make):
    article = make.article()
    staff = make.user(Role.MODERATOR)
    kept, rejected, erased = featured_in_order(
        make, article, ["Kept Kim", "Rejected Rob", "Erased Eve"], staff)
    erased.author_email = "erased.eve@example.org"
    db.session.commit()
    page = client.get(f"/articles/{article.slug}")
    assert picked_names(page.get_data(as_text=True)) == ["Erased Eve", "Rejected Rob", "Kept Kim"]
    set_status(rejected, CommentStatus.REJECTED, staff)
    db.session.commit()
    result = runner.invoke(args=["commenters", "erase", "erased.eve@example.org"])
    assert result.exit_code == 0, result.output
    again = client.get(f"/articles/{article.slug}", headers={"If-None-Match": page.headers["ETag"]})
    assert again.status_code == 200  # the page changed: no 304, no stale cached copy
    assert picked_names(again.get_data(as_text=True)) == ["Kept Kim"]


def test_picks_come_from_the_page_cache_only_while_they_are_current(client, make):
    article = make.article()
    comment = make.comment(article, author_name="Cached Cal")
    staff = make.user(Role.MODERATOR)
    db.session.commit()
    assert 'id="picks"' not in client.get(f"/articles/{article.slug}").get_data(as_text=True)
    feature(comment, staff)
    db.session.commit()
    assert picked_names(client.get(f"/articles/{article.slug}").get_data(as_text=True)) == [
        "Cached Cal"]


def test_the_article_page_makes_a_fixed_number_of_queries_with_picks(client, make, count_queries):
    staff = make.user(Role.MODERATOR)

    def queries_for(count: int) -> int:
        article = make.article()
        roots = []
        for n in range(count):
            parent = roots[n % len(roots)] if roots and n % 3 else None
            comment = make.comment(article, parent=parent)
            if parent is None:
                roots.append(comment)
            if n % 4 == 0:
                feature(comment, staff)
        db.session.commit()
        with count_queries() as statements:
            html = client.get(f"/articles/{article.slug}").get_data(as_text=True)
        assert len(picked_names(html)) == min(5, (count + 3) // 4)
        return len(statements)

    # the thread's three, the article, the picks: one query more than a page without picks
    # (and the site's counters, read by the page cache's front before Flask runs)
    assert queries_for(5) == queries_for(500) <= 8
