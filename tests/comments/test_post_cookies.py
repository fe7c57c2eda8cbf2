"""What a reply POST leaves in the reader's browser: no more than its answer needs.

A held comment is shown to its writer alone, in place, until a moderator decides: its id (and
when to forget it) and the notice ride in the signed session cookie, the only per-reader state
the server keeps. So a reader who came without cookies gets a session cookie holding exactly
those two, plus the commenter cookie (the browser's token, newsroom/trust.py); a reader whose
comment is refused gets no session at all.
"""
from __future__ import annotations

from http.cookies import SimpleCookie

from newsroom import trust
from tests.comments.conftest import comments


def set_cookies(response) -> dict[str, str]:
    jar = SimpleCookie()
    for header in response.headers.getlist("Set-Cookie"):
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def session_of(app, value: str) -> dict:
    return app.session_interface.get_signing_serializer(app).loads(value)


def test_a_held_reply_from_a_cookieless_reader_sets_its_own_comment_and_notice_alone(
        app, make, reply):
    article = make.article()
    client = app.test_client(use_cookies=False)
    response = reply(article, via=client)
    assert response.status_code == 303
    (comment,) = comments()
    cookies = set_cookies(response)
    assert set(cookies) == {app.config["SESSION_COOKIE_NAME"], trust.COOKIE}
    session = session_of(app, cookies[app.config["SESSION_COOKIE_NAME"]])
    assert set(session) == {"own_comments", "_flashes"}
    assert [entry[0] for entry in session["own_comments"]] == [comment.id]
    assert [category for category, _ in session["_flashes"]] == ["success"]


def test_a_refused_reply_sets_no_session(app, make, reply):
    article = make.article()
    client = app.test_client(use_cookies=False)
    response = reply(article, via=client, body="")
    assert response.status_code == 400
    assert app.config["SESSION_COOKIE_NAME"] not in set_cookies(response)
    assert comments() == []
