"""Approved comments under an article: threaded, oldest first, paginated, in fixed queries."""
from __future__ import annotations

import re
from datetime import timedelta

import html5lib
import pytest

from newsroom.extensions import db
from newsroom.models import CommentStatus, utcnow


def comment_tree(markup: bytes) -> dict[str, list[str]]:
    """{comment element id: ids of the comment elements nested directly inside it}."""
    document = html5lib.parse(markup, namespaceHTMLElements=False)
    tree: dict[str, list[str]] = {"root": []}

    def walk(element, owner):
        for child in element:
            ident = child.get("id", "")
            if child.tag == "li" and ident.startswith("comment-"):
                tree[owner].append(ident)
                tree[ident] = []
                walk(child, ident)
            else:
                walk(child, owner)

    walk(document, "root")
    return tree


def test_only_approved_comments_are_shown_with_a_count(client, make):
    article = make.article()
    shown = make.comment(article, body="Visible words")
    for status in (CommentStatus.PENDING, CommentStatus.REJECTED, CommentStatus.SPAM):
        make.comment(article, status=status, body=f"Hidden {status.value} words")
    db.session.commit()
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert f'id="comment-{shown.id}"' in page
    assert "Visible words" in page
    assert "Hidden" not in page
    assert ">1 comment<" in page


def test_replies_nest_inside_their_parents_oldest_first(client, make):
    article = make.article()
    first = make.comment(article, created_at=utcnow() - timedelta(hours=5))
    second = make.comment(article, created_at=utcnow() - timedelta(hours=4))
    reply = make.comment(article, parent=first, created_at=utcnow() - timedelta(hours=3))
    reply_to_reply = make.comment(article, parent=reply, created_at=utcnow() - timedelta(hours=2))
    later_reply = make.comment(article, parent=first, created_at=utcnow() - timedelta(hours=1))
    db.session.commit()
    tree = comment_tree(client.get(f"/articles/{article.slug}").data)
    assert tree["root"] == [f"comment-{first.id}", f"comment-{second.id}"]
    assert tree[f"comment-{first.id}"] == [f"comment-{reply.id}", f"comment-{later_reply.id}"]
    assert tree[f"comment-{reply.id}"] == [f"comment-{reply_to_reply.id}"]


def test_a_reply_to_a_hidden_comment_is_not_shown(client, make):
    article = make.article()
    pending = make.comment(article, status=CommentStatus.PENDING)
    orphan = make.comment(article, parent=pending, body="Orphaned reply")
    db.session.commit()
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert f"comment-{orphan.id}" not in page


def test_threads_deeper_than_the_cap_are_shown_at_the_cap(client, make, app):
    article = make.article()
    chain = [make.comment(article)]
    for _ in range(app.config["COMMENT_MAX_DEPTH"] + 2):
        chain.append(make.comment(article, parent=chain[-1]))
    db.session.commit()
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    depths = [int(d) for d in re.findall(r'class="comment depth-(\d+)', page)]
    assert max(depths) == app.config["COMMENT_MAX_DEPTH"]
    assert len(depths) == len(chain)


def test_more_than_a_hundred_top_level_comments_are_paginated(client, make):
    article = make.article()
    comments = [
        make.comment(article, created_at=utcnow() - timedelta(hours=200 - n)) for n in range(105)
    ]
    reply = make.comment(article, parent=comments[103])
    db.session.commit()
    first = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    second = client.get(f"/articles/{article.slug}?cpage=2").get_data(as_text=True)
    assert first.count('class="comment depth-1') == 100
    assert second.count('class="comment depth-1') == 5
    assert f'id="comment-{comments[0].id}"' in first
    assert f'id="comment-{comments[104].id}"' in second
    assert f'id="comment-{reply.id}"' in second
    assert ">106 comments<" in first
    assert "Comments page 1 of 2" in first


@pytest.mark.parametrize("cpage", ["0", "99", "x"])
def test_odd_comment_page_numbers_fall_back_to_a_real_page(client, make, cpage):
    article = make.article()
    make.comment(article, body="Still here")
    db.session.commit()
    response = client.get(f"/articles/{article.slug}?cpage={cpage}")
    assert response.status_code == 200
    assert b"Still here" in response.data


def test_article_page_makes_the_same_number_of_queries_for_5_and_500_comments(
    client, make, count_queries
):
    def queries_for(count: int) -> int:
        article = make.article()
        roots = []
        for n in range(count):
            parent = roots[n % len(roots)] if roots and n % 3 else None
            comment = make.comment(article, parent=parent)
            if parent is None:
                roots.append(comment)
        db.session.commit()
        with count_queries() as statements:
            assert client.get(f"/articles/{article.slug}").status_code == 200
        return len(statements)

    # (one of them the site's counters, read by the page cache's front before Flask runs)
    assert queries_for(5) == queries_for(500) <= 7


def test_public_comment_queries_do_not_even_load_the_email(app, make):
    from newsroom.content.threads import comment_threads

    article = make.article()
    root = make.comment(article)
    make.comment(article, parent=root)
    article_id = article.id
    db.session.commit()
    db.session.expunge_all()  # nothing already in memory: only what the query loads
    threads = comment_threads(db.session.get(type(article), article_id), 1)
    (node,) = threads.roots
    for comment in (node.comment, node.replies[0].comment):
        for private in ("author_email", "ip_address", "user_agent"):
            with pytest.raises(AttributeError):  # a row of the public columns alone
                getattr(comment, private)
