"""The reply form: its markup, the server's checks, and what happens to a valid reply."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import Comment, CommentStatus, ModerationDecision, utcnow

VALID = {
    "name": "Gwen Harlow",
    "email": "gwen.private@example.net",
    "website": "https://gwen.example",
    "body": "The east landing ramp is steep; take care with a pushchair.",
}


def post(client, article, **fields):
    return client.post(f"/articles/{article.slug}/comments", data={**VALID, **fields})


def stored_comments() -> list[Comment]:
    return list(db.session.scalars(select(Comment).order_by(Comment.id)))


def test_the_form_has_the_contract_fields_and_notes(client, make):
    article = make.article()
    db.session.commit()
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert f'action="/articles/{article.slug}/comments#respond"' in page
    assert 'name="remember" type="checkbox" value="y"' in page and 'checked' not in page
    assert "Your email address will not be published." in page
    assert "Required fields are marked" in page
    for label in ("Name", "Email", "Comment"):
        assert f'{label} <span class="required">*</span></label>' in page
    assert 'name="name"' in page and 'name="website"' in page and 'name="parent_id"' in page
    assert 'name="email" required type="email"' in page
    assert page.count(" required ") + page.count(" required>") >= 3
    assert 'name="company"' in page  # the honeypot, hidden from people


def test_the_form_has_a_csrf_field_when_csrf_is_on(make_app, make):
    """Empty on the shared page (the form fetches it), filled on a page for one reader."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        article = make.article()
        db.session.commit()
        page = app.test_client().get(f"/articles/{article.slug}").get_data(as_text=True)
        replying = app.test_client().get(f"/articles/{article.slug}?replyto=1").get_data(as_text=True)
    assert 'name="csrf_token" type="hidden" value=""' in page
    assert f'data-session="/session/form?article={article.id}"' in page
    assert 'name="csrf_token" type="hidden" value="' in replying
    assert 'name="csrf_token" type="hidden" value=""' not in replying


def test_a_valid_reply_is_stored_pending_and_the_reader_is_told(client, make):
    article = make.article()
    db.session.commit()
    response = post(client, article)
    assert response.status_code == 303
    (comment,) = stored_comments()
    assert response.headers["Location"] == f"/articles/{article.slug}#comment-{comment.id}"
    assert comment.status is CommentStatus.PENDING
    assert (comment.author_name, comment.author_email) == ("Gwen Harlow", "gwen.private@example.net")
    assert comment.author_website == "https://gwen.example"
    assert comment.ip_address == "127.0.0.1"
    assert comment.held_reasons
    decision = db.session.scalar(select(ModerationDecision))
    assert (decision.comment_ref, decision.to_status) == (comment.id, "pending")
    follow = client.get(response.headers["Location"])
    assert follow.cache_control.private and follow.cache_control.no_store
    text = follow.get_data(as_text=True)
    own = text.split(f'id="comment-{comment.id}" tabindex="-1">')[1].split("</li>")[0]
    assert "Your comment is awaiting moderation" in own and VALID["body"] in own
    assert "reply-link" not in own  # nobody can answer a comment nobody else sees


def test_a_pending_reply_is_invisible_to_everyone_else(app, client, make):
    article = make.article()
    db.session.commit()
    post(client, article)
    other = app.test_client().get(f"/articles/{article.slug}").get_data(as_text=True)
    assert VALID["body"] not in other
    assert ">0 comments<" in other


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Please enter your name."),
        ("name", "   ", "Please enter your name."),
        ("name", "n" * 81, "Field cannot be longer than 80 characters."),
        ("email", "", "Please enter your email address."),
        ("email", "not-an-email", "Please enter a valid email address"),
        ("email", "two@@example.com", "Please enter a valid email address"),
        ("website", "javascript:alert(1)", "starting with http:// or https://"),
        ("website", "ftp://files.example", "starting with http:// or https://"),
        ("body", "", "Please write a comment."),
        ("body", "x" * 5001, "Please keep your comment under 5,000 characters."),
    ],
)
def test_invalid_replies_are_refused_with_the_text_kept(client, make, field, value, message):
    article = make.article()
    db.session.commit()
    response = post(client, article, **{field: value})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert f'id="{field}-error"' in page
    kept = {k: v for k, v in VALID.items() if k != field}
    for name, typed in kept.items():
        assert typed in page, name
    assert stored_comments() == []


def test_a_refused_reply_keeps_html_typed_in_the_body_escaped(client, make):
    article = make.article()
    db.session.commit()
    page = post(client, article, email="", body="<b>bold</b> & <script>x</script>").get_data(
        as_text=True
    )
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;x&lt;/script&gt;" in page


def test_a_reply_to_an_approved_comment_is_threaded(client, make):
    article = make.article()
    parent = make.comment(article)
    db.session.commit()
    post(client, article, parent_id=str(parent.id))
    reply = stored_comments()[-1]
    assert (reply.parent_id, reply.thread_id) == (parent.id, parent.id)
    grandchild_parent = make.comment(article, parent=parent)
    db.session.commit()
    post(client, article, parent_id=str(grandchild_parent.id), body="Deeper reply")
    assert stored_comments()[-1].thread_id == parent.id


def test_the_reply_link_prefills_the_parent(client, make):
    article = make.article()
    parent = make.comment(article, author_name="Oskar Brandt")
    db.session.commit()
    page = client.get(f"/articles/{article.slug}?replyto={parent.id}").get_data(as_text=True)
    assert f'href="/articles/{article.slug}?replyto={parent.id}#respond"' in page
    assert f'name="parent_id" type="hidden" value="{parent.id}"' in page
    assert "Replying to Oskar Brandt." in page


@pytest.mark.parametrize("parent", ["pending", "other-article", "missing", "not-a-number"])
def test_a_reply_to_a_comment_that_is_not_available_is_refused(client, make, parent):
    article = make.article()
    other = make.article()
    values = {
        "pending": lambda: make.comment(article, status=CommentStatus.PENDING).id,
        "other-article": lambda: make.comment(other).id,
        "missing": lambda: 999999,
        "not-a-number": lambda: "12abc",
    }
    parent_id = str(values[parent]())
    db.session.commit()
    before = len(stored_comments())
    response = post(client, article, parent_id=parent_id)
    assert response.status_code == 400
    assert "The comment you replied to is not available." in response.get_data(as_text=True)
    assert VALID["body"] in response.get_data(as_text=True)
    assert len(stored_comments()) == before


def test_the_body_is_sanitised_on_the_way_in(client, make):
    article = make.article()
    db.session.commit()
    post(
        client,
        article,
        body='<p onclick="x()">See https://tidetables.org/harbour and <a href="javascript:alert(1)">this</a>'
        "<script>steal()</script><style>p{}</style><img src=x onerror=y></p>",
    )
    body = stored_comments()[0].body
    assert body == (
        '<p>See <a href="https://tidetables.org/harbour" rel="nofollow ugc noopener">'
        'https://tidetables.org/harbour</a> and <a rel="nofollow ugc noopener">this</a></p>'
    )


def test_the_honeypot_sends_a_reply_to_spam(client, make):
    article = make.article()
    db.session.commit()
    post(client, article, company="Cheap Watches Ltd")
    (comment,) = stored_comments()
    assert comment.status is CommentStatus.SPAM
    assert "honeypot" in comment.held_reasons


def test_the_email_never_reaches_a_public_page(client, make):
    article = make.article()
    approved = make.comment(article, author_email="approved.secret@example.org")
    db.session.commit()
    post(client, article, parent_id=str(approved.id), email="pending.secret@example.org")
    refused = post(client, article, email="refused.secret@example.org", body="")
    pages = [
        client.get(f"/articles/{article.slug}").data,
        client.get("/").data,
        client.get("/articles/nope").data,
        refused.data,
    ]
    for page in pages:
        assert b"approved.secret" not in page and b"pending.secret" not in page
    # the refused form shows the reader's own typed email back to them, and nothing else does
    assert b"refused.secret@example.org" in refused.data


def test_the_email_is_not_logged_at_info(client, make, caplog):
    article = make.article()
    db.session.commit()
    with caplog.at_level("DEBUG"):
        post(client, article, email="logged.secret@example.org")
    assert any("comment" in record.getMessage() for record in caplog.records)
    info = [r.getMessage() for r in caplog.records if r.levelno >= 20]
    assert not any("logged.secret" in message for message in info)


def test_an_oversized_request_gets_a_clean_413(client, make):
    article = make.article()
    db.session.commit()
    response = post(client, article, body="x" * (2 * 1024 * 1024))
    assert response.status_code == 413
    assert b"too large" in response.data and b"Traceback" not in response.data
    assert stored_comments() == []


def test_comments_closed_by_the_editor_are_refused_and_the_form_hidden(client, make):
    article = make.article(comments_enabled=False)
    earlier = make.comment(article, body="Said before comments closed")
    db.session.commit()
    page = client.get(f"/articles/{article.slug}?replyto={earlier.id}").get_data(as_text=True)
    assert "Comments are closed on this article." in page
    assert 'name="body"' not in page and "<form" not in page.split('id="comments"')[1]
    assert "Said before comments closed" in page and "reply-link" not in page
    response = post(client, article)
    assert response.status_code == 303
    assert "Comments are closed" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert stored_comments() == [earlier]


def test_comments_close_after_the_configured_number_of_days(client, make, app):
    days = app.config["COMMENTS_CLOSE_AFTER_DAYS"]
    old = make.article(published=utcnow() - timedelta(days=days, minutes=1))
    recent = make.article(published=utcnow() - timedelta(days=days - 1))
    db.session.commit()
    post(client, old)
    post(client, recent)
    assert [c.article_id for c in stored_comments()] == [recent.id]


def test_a_forged_csrf_token_keeps_the_reply(make_app, make):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        article = make.article()
        db.session.commit()
        response = app.test_client().post(
            f"/articles/{article.slug}/comments", data={**VALID, "csrf_token": "forged"})
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "Your session expired" in page
        assert VALID["body"] in page
        assert stored_comments() == []


def test_a_database_failure_while_storing_a_reply_logs_no_email(make_app, make, caplog):
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    with app.app_context():
        article = make.article()
        db.session.commit()
        with comment_inserts_refused():
            with caplog.at_level("INFO"):
                response = app.test_client().post(
                    f"/articles/{article.slug}/comments",
                    data={**VALID, "email": "crash.secret@example.org"},
                )
    assert response.status_code == 500
    assert b"crash.secret" not in response.data
    failure = [record for record in caplog.records if record.exc_info]
    assert failure and "refused by the test" in caplog.text  # the error itself is logged...
    assert "crash.secret" not in caplog.text  # ...without the values it was inserting


@contextmanager
def comment_inserts_refused():
    """A trigger in the database makes every INSERT into comments fail while the block runs."""
    if db.engine.dialect.name == "sqlite":
        create = ["CREATE TRIGGER refuse_comments BEFORE INSERT ON comments "
                  "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"]
        drop = ["DROP TRIGGER refuse_comments"]
    else:
        create = ["CREATE FUNCTION refuse_comments() RETURNS trigger LANGUAGE plpgsql AS "
                  "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$",
                  "CREATE TRIGGER refuse_comments BEFORE INSERT ON comments "
                  "FOR EACH ROW EXECUTE FUNCTION refuse_comments()"]
        drop = ["DROP TRIGGER refuse_comments ON comments", "DROP FUNCTION refuse_comments()"]
    with db.engine.begin() as connection:
        for statement in create:
            connection.exec_driver_sql(statement)
    try:
        yield
    finally:
        db.session.rollback()  # the failed request's, in the test's own app context
        with db.engine.begin() as connection:
            for statement in drop:
                connection.exec_driver_sql(statement)


def test_line_breaks_count_once_against_the_body_limit(client, make):
    """Browsers send CRLF but count a line break as one character against ``maxlength``."""
    article = make.article()
    db.session.commit()
    lines = ["x" * 99] * 50  # 4,950 characters and 49 line breaks: 4,999 as the browser counts
    response = post(client, article, body="\r\n".join(lines))
    assert response.status_code == 303
    assert stored_comments()[0].body.count("\r") == 0


def _tokens(client, article) -> dict:
    return client.get(f"/session/form?article={article.id}").get_json()


@pytest.fixture
def csrf_reader(make_app, make):
    """A reader of an article on an app with CSRF on: (client, article, the reader's tokens)."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        article = make.article()
        db.session.commit()
        client = app.test_client()
        yield client, article, _tokens(client, article)


def test_a_valid_reply_signs_no_new_csrf_token(csrf_reader, monkeypatch):
    """Only a refused reply re-shows the form, so only a refusal pays for a fresh token."""
    import flask_wtf.csrf

    client, article, tokens = csrf_reader
    signed = []
    real = flask_wtf.csrf.generate_csrf
    monkeypatch.setattr(flask_wtf.csrf, "generate_csrf",
                        lambda *a, **k: signed.append(1) or real(*a, **k))
    response = client.post(f"/articles/{article.slug}/comments",
                           data={**VALID, "csrf_token": tokens["csrf_token"]})
    assert response.status_code == 303
    assert signed == []
    assert [c.body for c in stored_comments()] == [VALID["body"]]


@pytest.mark.parametrize("fields, status, shown", [
    ({"csrf_token": ""}, 400, "press “Post comment” again to send it"),
    ({"csrf_token": "forged"}, 400, "Your session expired"),
    ({"email": "not-an-address"}, 400, "Please enter a valid email address"),
    ({"parent_id": "999999"}, 400, "The comment you replied to is not available."),
])
def test_a_refused_reply_with_csrf_on_shows_a_fresh_token_and_the_text(
        csrf_reader, fields, status, shown):
    client, article, tokens = csrf_reader
    response = client.post(f"/articles/{article.slug}/comments",
                           data={**VALID, "csrf_token": tokens["csrf_token"], **fields})
    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert shown in page
    assert VALID["body"] in page
    assert 'name="csrf_token" type="hidden" value=""' not in page
    assert 'name="csrf_token" type="hidden" value="' in page
    assert stored_comments() == []


def test_a_duplicate_reply_with_csrf_on_is_refused_with_its_text(csrf_reader):
    client, article, tokens = csrf_reader
    data = {**VALID, "csrf_token": tokens["csrf_token"]}
    assert client.post(f"/articles/{article.slug}/comments", data=data).status_code == 303
    again = client.post(f"/articles/{article.slug}/comments", data=data)
    assert again.status_code == 409
    page = again.get_data(as_text=True)
    assert "it was not sent twice" in page and VALID["body"] in page
    assert 'name="csrf_token" type="hidden" value="' in page
    assert len(stored_comments()) == 1
