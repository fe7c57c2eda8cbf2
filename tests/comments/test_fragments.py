"""Stored comment fragments: written by every public change, assembled into the same page the
macro renders, never holding an email, and never stale after a change of template or zone."""
from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from flask import url_for
from sqlalchemy import select, update

from newsroom.comments.fragments import fragment_version
from newsroom.extensions import db
from newsroom.models import Comment, CommentStatus, Role
from tests.moderation.helpers import fresh

ERASED = "erased.reader@example.org"


@pytest.fixture
def app(make_app):
    """Every article page rendered afresh: a comparison must not read a stored page."""
    app = make_app(PAGE_CACHE_ENABLED=False)
    with app.app_context():
        yield app


def stored(comment_id: int) -> tuple[str | None, str | None]:
    db.session.expire_all()
    return db.session.execute(
        select(Comment.rendered_html, Comment.rendered_version).where(Comment.id == comment_id)
    ).one()


def forget_fragments() -> None:
    """As after an upgrade: no comment has a fragment (and no listener hears of it)."""
    db.session.execute(update(Comment).values(rendered_html=None, rendered_version=None))
    db.session.commit()


@pytest.fixture
def thread(app, client, make, login_as):
    """A thread built through the desk and the commands: replies, a website link, a staff
    reply, an editors' pick, an erased commenter; returns the article's slug and comment ids."""
    article = make.article()
    root = make.comment(article, author_name="Ada <Quill>", author_website="https://bücher.example/a?b=1&c=2",
                        body='See <a href="https://ferry.example/times">the timetable</a> &amp; more.')
    reply = make.comment(article, parent=root, status=CommentStatus.PENDING, body="A pending reply.")
    erased = make.comment(article, parent=root, author_name="Erin Later", author_email=ERASED,
                          author_website="https://erin.example")
    other = make.comment(article, body="Another thread, to be picked.")
    db.session.commit()
    ids = {"root": root.id, "reply": reply.id, "erased": erased.id, "other": other.id}
    login_as(Role.MODERATOR, name="Morgan Desk")
    assert client.post(f"/moderation/comments/{reply.id}/approve").status_code == 302
    client.post(f"/moderation/comments/{root.id}/reply", data={"body": "Thanks, <em>fixed</em>."})
    assert client.post(f"/moderation/comments/{other.id}/feature").status_code == 302
    result = app.test_cli_runner().invoke(args=["commenters", "erase", ERASED])
    assert result.exit_code == 0, result.output
    staff = db.session.scalar(select(Comment.id).where(Comment.is_staff.is_(True)))
    return article.slug, {**ids, "staff": staff}


def page(app, slug: str) -> str:
    """The article page's comments, from the heading to the reply form (whose signed
    timestamp differs from one second to the next), for a new reader."""
    response = app.test_client().get(f"/articles/{slug}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    start, end = html.index('<section class="comments"'), html.index('<form', html.index('<section class="comments"'))
    return html[start:end]


def test_every_public_change_wrote_a_current_fragment(app, thread):
    _, ids = thread
    version = fragment_version()
    for name, comment_id in ids.items():
        html, rendered = stored(comment_id)
        assert rendered == version, name
        assert f'href="#comment-{comment_id}"' in html
    assert "Editors' pick" in stored(ids["other"])[0]
    assert "Staff" in stored(ids["staff"])[0]
    assert "Erin Later" not in stored(ids["erased"])[0]  # the erased name is in no copy


def test_the_assembled_page_is_the_page_the_macro_renders(app, thread):
    slug, ids = thread
    assembled = page(app, slug)
    forget_fragments()
    rendered = page(app, slug)
    assert assembled == rendered
    for comment_id in ids.values():
        assert f'id="comment-{comment_id}"' in assembled
    assert "Anonymous" in assembled and "Erin Later" not in assembled
    assert 'href="https://xn--bcher-kva.example/a?b=1&amp;c=2"' in assembled
    assert "Ada &lt;Quill&gt;" in assembled
    with app.test_request_context():  # the report links, built from one URL per page
        report = url_for("readers.report_comment", slug=slug, comment_id=ids["reply"])
        reply = url_for("readers.article", slug=slug, replyto=ids["reply"], _anchor="respond")
    assert f'<a class="report-link" href="{report}" rel="nofollow">' in assembled
    assert f'<a class="reply-link" href="{reply}"' in assembled


def test_no_fragment_holds_an_email(app, thread):
    fragments = db.session.scalars(select(Comment.rendered_html)).all()
    emails = db.session.scalars(select(Comment.author_email)).all()
    assert fragments and all(fragments)
    for email in emails:
        assert not [html for html in fragments if email in html]
    assert "@" not in "".join(fragments)


def test_leaving_approved_clears_the_fragment_and_approval_writes_it(app, client, make, login_as):
    article = make.article()
    comment = make.comment(article, status=CommentStatus.PENDING, author_name="Pat Pending")
    db.session.commit()
    assert stored(comment.id) == (None, None)
    login_as(Role.MODERATOR)
    client.post(f"/moderation/comments/{comment.id}/approve")
    html, version = stored(comment.id)
    assert "Pat Pending" in html and version == fragment_version()
    client.post(f"/moderation/comments/{comment.id}/reject")
    assert stored(comment.id) == (None, None)
    assert fresh(comment.id).status is CommentStatus.REJECTED


def test_an_edit_of_a_shown_column_renders_the_fragment_again(app, make):
    comment = make.comment(make.article(), author_name="Before Name")
    db.session.commit()
    assert "Before Name" in stored(comment.id)[0]
    comment = db.session.get(Comment, comment.id)
    comment.body = "<p>Edited by the desk.</p>"
    comment.author_name = "After Name"
    db.session.commit()
    html, _ = stored(comment.id)
    assert "After Name" in html and "Edited by the desk." in html and "Before Name" not in html


def test_a_change_of_timezone_is_never_shown_from_old_fragments(app, make, runner):
    article = make.article()
    comment = make.comment(article)
    db.session.commit()
    utc_page = page(app, article.slug)
    old_version = stored(comment.id)[1]
    app.config["TIMEZONE_INFO"] = ZoneInfo("Pacific/Auckland")
    assert fragment_version() != old_version
    local_page = page(app, article.slug)  # the macro renders it: its fragment is of another zone
    assert local_page != utc_page and ("NZDT" in local_page or "NZST" in local_page)
    result = runner.invoke(args=["comments", "render"])
    assert result.exit_code == 0 and "1 comment fragment(s) rendered." in result.output
    assert stored(comment.id)[1] == fragment_version()
    assert page(app, article.slug) == local_page
    assert "0 comment fragment(s)" in runner.invoke(args=["comments", "render"]).output


def test_the_render_command_fills_what_an_upgrade_left_empty(app, thread, runner):
    slug, ids = thread
    before = page(app, slug)
    forget_fragments()
    result = runner.invoke(args=["comments", "render", "--batch", "2"])
    assert result.exit_code == 0
    assert f"{len(ids)} comment fragment(s) rendered." in result.output
    assert all(stored(comment_id)[1] == fragment_version() for comment_id in ids.values())
    assert page(app, slug) == before
