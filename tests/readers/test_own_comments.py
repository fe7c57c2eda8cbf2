"""After posting, the reader lands on their own comment, shown in place to them alone.

Also the refused form's error summary and title, the comment counts on story cards and the
feed links: the reader-facing loop around the reply form, checked on the server's HTML.
"""
from __future__ import annotations

import re

from sqlalchemy import select

from newsroom.comments.intake import form_token
from newsroom.extensions import db
from newsroom.models import Comment, CommentStatus

REPLY = {"name": "Mira Quell", "email": "mira.private@example.net", "body": "Does the ferry run on Sundays?"}


def post(client, article, **fields):
    data = {**REPLY, "form_token": form_token(article), **fields}
    return client.post(f"/articles/{article.slug}/comments", data=data)


def newest() -> Comment:
    return db.session.scalars(select(Comment).order_by(Comment.id.desc())).first()


def own_block(page: str, comment_id: int) -> str:
    """The markup of one comment's own element, up to its first nested list or its end."""
    match = re.search(rf'<li [^>]*id="comment-{comment_id}"[^>]*>(.*?)(</li>|<ol)', page, re.S)
    assert match, f"comment-{comment_id} is not on the page"
    return match.group(0)


def test_the_writer_lands_on_their_pending_reply_in_place(client, app, make):
    article = make.article()
    parent = make.comment(article, body="Only on weekdays, I think.")
    db.session.commit()
    stranger = app.test_client()
    stranger.get(f"/articles/{article.slug}")  # the shared page is cached before the reply
    response = post(client, article, parent_id=str(parent.id))
    comment = newest()
    assert response.status_code == 303
    assert response.headers["Location"] == f"/articles/{article.slug}#comment-{comment.id}"
    assert comment.status is CommentStatus.PENDING

    for _ in range(2):  # with the flashed notice, then without it (the page cache's path)
        page = client.get(response.headers["Location"])
        assert page.cache_control.private and page.cache_control.no_store
        text = page.get_data(as_text=True)
        block = own_block(text, comment.id)
        assert 'tabindex="-1"' in block and "comment-pending" in block
        assert "Your comment is awaiting moderation" in block and REPLY["body"] in block
        parent_start = text.index(f'id="comment-{parent.id}"')
        assert parent_start < text.index(f'id="comment-{comment.id}"')  # nested under its parent
        assert REPLY["email"] not in text

    for reader in (stranger, app.test_client()):  # the cached page and a fresh render
        other = reader.get(f"/articles/{article.slug}")
        assert REPLY["body"] not in other.get_data(as_text=True)
        assert not other.cache_control.no_store


def test_an_earlier_copy_of_the_page_is_not_revived_by_a_304(client, make):
    article = make.article()
    db.session.commit()
    before = client.get(f"/articles/{article.slug}")
    post(client, article)
    client.get(f"/articles/{article.slug}")  # shows the flashed notice
    again = client.get(f"/articles/{article.slug}", headers={"If-None-Match": before.headers["ETag"]})
    assert again.status_code == 200 and REPLY["body"] in again.get_data(as_text=True)


def test_the_writer_sees_it_for_a_limited_time_only(client, app, make):
    app.config["OWN_COMMENT_SECONDS"] = 0  # already over when the page is read
    article = make.article()
    db.session.commit()
    post(client, article)
    client.get(f"/articles/{article.slug}")  # shows the flashed notice: for this reader alone
    page = client.get(f"/articles/{article.slug}")
    assert REPLY["body"] not in page.get_data(as_text=True)
    assert page.cache_control.public and not page.cache_control.no_store  # the shared page


def test_once_approved_it_is_an_ordinary_comment(client, make):
    article = make.article()
    db.session.commit()
    post(client, article)
    comment = newest()
    comment.status = CommentStatus.APPROVED
    db.session.commit()
    block = own_block(client.get(f"/articles/{article.slug}").get_data(as_text=True), comment.id)
    assert "awaiting moderation" not in block and "reply-link" in block


def test_someone_else_s_pending_comment_is_never_shown_even_with_a_forged_id(client, make):
    article = make.article()
    other = make.comment(article, status=CommentStatus.PENDING, body="Somebody else's words.")
    db.session.commit()
    post(client, article)  # this reader has a session with their own id in it
    with client.session_transaction() as session:
        assert [entry[0] for entry in session["own_comments"]] == [newest().id]
    assert "Somebody else's words." not in client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert other.id != newest().id


def test_an_approved_at_once_comment_lands_on_itself(client, app, make):
    app.config["COMMENT_PREMODERATION"] = False
    article = make.article()
    db.session.commit()
    response = post(client, article)
    comment = newest()
    assert comment.status is CommentStatus.APPROVED
    assert response.headers["Location"] == f"/articles/{article.slug}#comment-{comment.id}"
    page = client.get(response.headers["Location"])
    assert f'id="comment-{comment.id}"' in page.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "own_comments" not in session  # public already: nothing to keep private


def test_a_new_thread_lands_on_the_last_comment_page(client, app, make):
    app.config["COMMENTS_PER_PAGE"] = 2
    article = make.article()
    first = make.comment(article, body="Page one.")
    for body in ("Also page one.", "Page two."):
        make.comment(article, body=body)
    db.session.commit()
    top = post(client, article)
    comment = newest()
    assert top.headers["Location"] == f"/articles/{article.slug}?cpage=2#comment-{comment.id}"
    assert REPLY["body"] in client.get(top.headers["Location"]).get_data(as_text=True)
    assert REPLY["body"] not in client.get(f"/articles/{article.slug}").get_data(as_text=True)
    reply = post(client, article, parent_id=str(first.id), body="Answering page one.")
    assert reply.headers["Location"] == f"/articles/{article.slug}#comment-{newest().id}"
    assert "Answering page one." in client.get(reply.headers["Location"]).get_data(as_text=True)


def test_a_refused_reply_opens_at_the_form_with_a_summary(client, make):
    article = make.article()
    db.session.commit()
    response = post(client, article, email="not an address", website="ftp://x", body="")
    assert response.status_code == 400 and "Location" not in response.headers
    page = response.get_data(as_text=True)
    assert re.search(r"<title>Error: [^<]+</title>", page)
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    for field in ("email", "website", "body"):
        assert f'<a href="#{field}">' in summary
    assert '<a href="#name">' not in summary  # the name was fine
    assert page.index('id="respond"') < page.index('id="error-summary"') < page.index('id="name"')
    assert f'action="/articles/{article.slug}/comments#respond"' in page
    assert 'value="Mira Quell"' in page  # what was typed is kept


def test_remembered_details_never_enter_a_page_the_server_renders(client, make):
    article = make.article()
    db.session.commit()
    post(client, article, remember="y", website="https://mira.example")
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    form = page.split('id="respond"')[1]
    assert 'value="Mira Quell"' not in form and REPLY["email"] not in page
    assert "https://mira.example" not in form
    assert re.search(r'<input id="remember" name="remember" type="checkbox" value="y">', form)


def test_story_cards_show_their_approved_comment_counts(client, make):
    section = make.section("Harbour", slug="harbour")
    busy = make.article("Busy story", section=section)
    quiet = make.article("Quiet story", section=section)
    for _ in range(3):
        make.comment(busy)
    make.comment(busy, status=CommentStatus.PENDING)
    make.comment(quiet, status=CommentStatus.REJECTED)
    make.comment(quiet)
    db.session.commit()
    for path in ("/", "/sections/harbour"):
        page = client.get(path).get_data(as_text=True)
        assert f'href="/articles/{busy.slug}#comments">3 comments</a>' in page
        assert f'href="/articles/{quiet.slug}#comments">1 comment</a>' in page


def test_the_feeds_are_linked_from_every_page_and_each_section(client, make):
    make.section("Harbour", slug="harbour")
    db.session.commit()
    home = client.get("/").get_data(as_text=True)
    assert '<a href="/feed.xml">RSS feed</a>' in home and '<a href="/atom.xml">Atom feed</a>' in home
    section = client.get("/sections/harbour").get_data(as_text=True)
    assert '<a href="/sections/harbour/feed.xml">RSS feed</a>' in section
    assert client.get("/sections/harbour/feed.xml").status_code == 200
