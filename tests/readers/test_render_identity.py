"""The article page is byte for byte what it was before its thread was assembled in Python and
the shared page's reply fields were rendered once per app.

Each case renders the page twice: with the app's templates, and with the templates as they
were (tests/readers/reference_templates/: the ``comment_thread`` macro called once per comment
and the reply form rendered whole, through WTForms, on every page; readers/article.html with
its call of that macro put back). Only the tokens signed for this second differ between the
two renders, so those are masked; an empty token (the shared page's) is compared as it is.
"""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from jinja2 import ChoiceLoader, DictLoader, FileSystemLoader
from sqlalchemy import update

from newsroom import mail
from newsroom.extensions import db
from newsroom.models import Comment, CommentStatus, Role, utcnow

REFERENCE = Path(__file__).parent / "reference_templates"
#: readers/article.html's thread, as it reads now and as it read before.
NOW = (
    '{% from "_macros/comments.html" import editors_picks %}',
    "{% for node in threads.roots %}{{ comment_thread(node, reply_url, comments_url) }}"
    "{% endfor %}",
)
BEFORE = (
    '{% from "_macros/comments.html" import comment_thread, editors_picks %}',
    "{% for node in threads.roots %}{{ comment_thread(node, reply_url, comments_open and not "
    "preview, comments_url) }}{% endfor %}",
)
SIGNED = re.compile(r'(name="(?:csrf_token|form_token)" type="hidden" value=")[^"]+"')
REPLY = {"name": "Ada <Quill> & \"Co\"", "email": "ada.private@example.net",
         "website": "https://ada.example/?a=1&b=2", "body": "Is the <b>slipway</b> open?"}


@pytest.fixture(params=[False, True], ids=["csrf-off", "csrf-on"])
def app(request, make_app):
    """Every page rendered afresh (no page cache), with CSRF off and on."""
    app = make_app(PAGE_CACHE_ENABLED=False, WTF_CSRF_ENABLED=request.param)
    with app.app_context():
        yield app


@pytest.fixture
def same_page(app, monkeypatch):
    """``same_page(request)``: the page ``request()`` answers, after checking that the former
    templates answer it with the same bytes (masked tokens aside)."""
    source = app.jinja_env.loader.get_source(app.jinja_env, "readers/article.html")[0]
    assert all(part in source for part in NOW), "readers/article.html's thread changed"
    for now, before in zip(NOW, BEFORE):
        source = source.replace(now, before)
    loader = ChoiceLoader([DictLoader({"readers/article.html": source}),
                           FileSystemLoader(REFERENCE), app.jinja_env.loader])
    former = app.jinja_env.overlay(loader=loader, cache_size=50, bytecode_cache=None)
    current = app.jinja_env

    def compare(request, status: int = 200) -> str:
        pages = []
        for env in (current, former, current):  # the third: the shared fields as stored
            monkeypatch.setattr(app, "jinja_env", env)
            response = request()
            assert response.status_code == status
            pages.append(SIGNED.sub(r'\1(signed)"', response.get_data(as_text=True)))
        monkeypatch.setattr(app, "jinja_env", current)
        assert pages[0] == pages[1] == pages[2]
        return pages[0]

    return compare


@pytest.fixture
def thread(app, make):
    """A story whose thread has every kind of comment: replies past the deepest level, a staff
    reply, an editors' pick, markup in names, a website, and a pending comment no one sees."""
    article = make.article(headline="Slipway repairs")
    root = make.comment(article, author_name='Ada <Quill> & "Co" \'x\'',
                        author_website="https://bücher.example/a?b=1&c=2",
                        body='See <a href="https://ferry.example/times">the timetable</a>.')
    parent = root
    for depth in range(2, 7):  # COMMENT_MAX_DEPTH is 4: the last two sit at depth 4
        parent = make.comment(article, parent=parent, author_name=f"Depth {depth}")
    make.comment(article, parent=root, author_name="Desk", is_staff=True)
    picked = make.comment(article, author_name="Picked", featured_at=utcnow())
    make.comment(article, parent=picked, status=CommentStatus.PENDING, author_name="Not yet")
    make.comment(article, author_name="Third thread")
    db.session.commit()
    article.root_id = root.id  # for the tests that reply to it
    return article


def test_the_shared_page_with_its_thread(app, same_page, thread):
    page = same_page(lambda: app.test_client().get(f"/articles/{thread.slug}"))
    assert page.count('class="comment depth-4"') == 3 and "comment-staff" in page
    assert "comment-picked" in page and 'id="picks"' in page and "Not yet" not in page
    assert "Ada &lt;Quill&gt; &amp; &#34;Co&#34; &#39;x&#39;" in page
    assert f'href="/articles/{thread.slug}?replyto=' in page and "/report" in page
    assert ('name="csrf_token" type="hidden" value=""' in page) is app.config["WTF_CSRF_ENABLED"]


def test_comments_without_a_current_fragment(app, same_page, thread):
    db.session.execute(update(Comment).values(rendered_html=None, rendered_version=None))
    db.session.commit()
    page = same_page(lambda: app.test_client().get(f"/articles/{thread.slug}"))
    assert page.count('<div class="comment-body">') == 9


def test_the_settings_the_shared_fields_depend_on(app, same_page, thread):
    """The stored fields follow both settings as they change: notifications offered or not
    (production without a mail server), CSRF on or off."""
    csrf = app.config["WTF_CSRF_ENABLED"]
    for mode, offered, csrf in ((mail.OUTBOX, True, csrf), (mail.OFF, False, csrf),
                                (mail.OFF, False, not csrf), (mail.OUTBOX, True, not csrf)):
        app.extensions["newsroom.mail.mode"] = mode
        app.config["WTF_CSRF_ENABLED"] = csrf
        page = same_page(lambda: app.test_client().get(f"/articles/{thread.slug}"))
        assert ('name="notify"' in page) is offered
        assert ('name="csrf_token" type="hidden" value=""' in page) is csrf


def test_a_later_comment_page_and_its_reply_links(app, same_page, thread):
    app.config["COMMENTS_PER_PAGE"] = 2
    page = same_page(lambda: app.test_client().get(f"/articles/{thread.slug}?cpage=2"))
    assert f"/articles/{thread.slug}?cpage=2&amp;replyto=" in page and "Third thread" in page


def test_comments_closed(app, same_page, thread):
    thread.comments_enabled = False
    db.session.commit()
    page = same_page(lambda: app.test_client().get(f"/articles/{thread.slug}"))
    assert "Comments are closed" in page and "reply-link" not in page and "/report" not in page


def test_a_closed_thread_by_age(app, same_page, make):
    article = make.article(published=utcnow() - timedelta(days=60))
    make.comment(article, author_name="Long ago")
    db.session.commit()
    page = same_page(lambda: app.test_client().get(f"/articles/{article.slug}"))
    assert "Long ago" in page and "reply-link" not in page


def test_the_desk_s_preview(app, same_page, thread, client, login_as):
    login_as(Role.EDITOR)
    page = same_page(lambda: client.get(f"/editor/articles/{thread.id}/preview"))
    assert "The reply form appears here" in page and "reply-link" not in page
    assert "Depth 6" in page


def test_replying_to_a_comment(app, same_page, thread):
    url = f"/articles/{thread.slug}?replyto={thread.root_id}"
    page = same_page(lambda: app.test_client().get(url))
    assert "Replying to Ada &lt;Quill&gt;" in page and f'value="{thread.root_id}"' in page


@pytest.mark.parametrize("fields", [
    {"email": "not an address", "body": ""},
    {"website": "ftp://ada.example", "notify": "y", "remember": "y"},
    {"parent_id": "999999"},  # a comment that is not there: the form says so
])
def test_a_refused_reply_shown_again(app, same_page, thread, fields):
    reader = app.test_client()
    data = {**REPLY, **fields}
    if app.config["WTF_CSRF_ENABLED"]:
        data.update(reader.get(f"/session/form?article={thread.id}").get_json())
    page = same_page(lambda: reader.post(f"/articles/{thread.slug}/comments", data=data), 400)
    assert 'id="error-summary"' in page and "Ada &lt;Quill&gt; &amp; &#34;Co&#34;" in page


def test_a_reply_sent_from_the_shared_page_without_its_tokens(app, same_page, thread):
    """Without JavaScript: answered with the form again, what was typed kept, and its tokens."""
    if not app.config["WTF_CSRF_ENABLED"]:
        pytest.skip("without CSRF, a reply without tokens is taken")
    page = same_page(lambda: app.test_client().post(f"/articles/{thread.slug}/comments",
                                                     data=REPLY), 400)
    assert 'value="Ada &lt;Quill&gt; &amp; &#34;Co&#34;"' in page


def test_the_reader_s_own_pending_comment(app, same_page, thread):
    reader = app.test_client()
    data = {**REPLY, "parent_id": str(thread.root_id)}
    if app.config["WTF_CSRF_ENABLED"]:
        data.update(reader.get(f"/session/form?article={thread.id}").get_json())
    assert reader.post(f"/articles/{thread.slug}/comments", data=data).status_code == 303
    reader.get(f"/articles/{thread.slug}")  # the notice shown once
    page = same_page(lambda: reader.get(f"/articles/{thread.slug}"))
    assert page.count("comment-pending") == 1 and 'tabindex="-1"' in page
    assert "Is the <b>slipway</b> open?" in page
