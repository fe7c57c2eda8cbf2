"""The session cookie: signed as Flask signs it, one serializer per app, written uncompressed."""
from __future__ import annotations

from flask.sessions import SecureCookieSessionInterface

from newsroom.extensions import db
from newsroom.models import Article
from newsroom.session_cookie import SessionCookie


def _cookie(client, app) -> str:
    return client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value


def test_a_reader_session_round_trips_and_is_not_compressed(make_app, make):
    app = make_app(WTF_CSRF_ENABLED=True)
    assert isinstance(app.session_interface, SessionCookie)
    with app.app_context():
        article_id = make.article().id
        db.session.commit()
    client = app.test_client()
    tokens = client.get(f"/session/form?article={article_id}").get_json()
    with app.app_context():
        slug = db.session.get(Article, article_id).slug
    posted = client.post(f"/articles/{slug}/comments", data={
        "name": "Ola Brenn", "email": "ola.private@example.net", **tokens,
        "body": "The harbour lights were out again on Tuesday night."})
    assert posted.status_code == 303
    value = _cookie(client, app)
    assert not value.startswith(".")  # itsdangerous marks a compressed payload with a dot
    data = app.session_interface.get_signing_serializer(app).loads(value)
    assert set(data) == {"csrf_token", "own_comments", "_flashes"}
    assert "ola.private" not in str(data)
    # Flask's own interface reads it too: the same salt, key derivation and digest
    assert SecureCookieSessionInterface().get_signing_serializer(app).loads(value) == data
    again = client.get(f"/session/form?article={article_id}").get_json()
    assert again["csrf_token"] == tokens["csrf_token"]


def test_a_compressed_cookie_written_before_is_still_read(make_app):
    app = make_app()
    data = {"own_comments": [[7, 2_000_000_000]], "note": "x" * 400}  # long enough to compress
    older = SecureCookieSessionInterface().get_signing_serializer(app).dumps(data)
    assert older.startswith(".")
    assert app.session_interface.get_signing_serializer(app).loads(older) == data


def test_one_serializer_per_app_and_a_new_one_for_a_new_key(make_app):
    app = make_app()
    interface = app.session_interface
    first = interface.get_signing_serializer(app)
    assert interface.get_signing_serializer(app) is first
    signed = first.dumps({"a": 1})
    app.config["SECRET_KEY_FALLBACKS"] = [app.secret_key]
    app.secret_key = app.config["SECRET_KEY"] = "a-rotated-key-for-this-test"
    rotated = interface.get_signing_serializer(app)
    assert rotated is not first
    assert rotated.loads(signed) == {"a": 1}  # the old key still verifies, as a fallback
    assert rotated.dumps({"a": 1}) != signed


def test_no_secret_key_no_session(make_app):
    app = make_app()
    app.secret_key = None
    assert app.session_interface.get_signing_serializer(app) is None
