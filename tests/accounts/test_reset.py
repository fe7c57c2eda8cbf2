"""Password reset by mail: the same answer for any address, a link that works once and expires."""
from __future__ import annotations

import time

import itsdangerous.timed
import pytest
from flask import g
from itsdangerous import URLSafeTimedSerializer

from newsroom.extensions import db
from newsroom.models import AuditEntry, Job, Role
from tests.accounts.conftest import reset_token_in
from tests.helpers import sign_in_session
from tests.mailbox import html_of, text_of

NEW_PASSWORD = "brass lantern over the quay"


@pytest.fixture
def editor(make):
    user = make.user(Role.EDITOR, email="ines.editor@valley-ledger.example")
    db.session.commit()
    return user


def ask(client, email):
    return client.post("/login/forgot", data={"email": email})


def test_the_link_arrives_by_smtp_and_sets_the_password_once(client, editor, smtp, work):
    response = ask(client, "Ines.Editor@valley-ledger.example ")
    assert response.status_code == 200 and "a link to set a new password" in response.text
    assert smtp.mailbox.messages == []  # sent by the worker, not in the request
    work()
    (message,) = smtp.mailbox.to("ines.editor@valley-ledger.example")
    assert message["Subject"] == "Set a new password"
    token = reset_token_in(text_of(message))
    assert token == reset_token_in(html_of(message))

    for _ in range(2):  # a link scanner's GETs use nothing up
        page = client.get(f"/login/reset/{token}")
        assert page.status_code == 200 and 'name="password"' in page.text
        assert "no-store" in page.headers["Cache-Control"]
    done = client.post(f"/login/reset/{token}",
                       data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    db.session.expire_all()
    assert editor.check_password(NEW_PASSWORD)
    assert db.session.query(AuditEntry).filter_by(action="password-reset").count() == 1

    again = client.get(f"/login/reset/{token}")
    assert again.status_code == 404 and "no longer works" in again.text
    reused = client.post(f"/login/reset/{token}",
                         data={"password": "another long passphrase", "confirm":
                               "another long passphrase"})
    assert reused.status_code == 404
    db.session.expire_all()
    assert editor.check_password(NEW_PASSWORD)
    signed_in = client.post("/login", data={"email": editor.email, "password": NEW_PASSWORD})
    assert signed_in.status_code == 302


def test_unknown_and_known_addresses_get_the_same_answer_and_the_same_work(client, editor,
                                                                           smtp, work):
    known = ask(client, editor.email)
    unknown = ask(client, "nobody@valley-ledger.example")
    assert known.status_code == unknown.status_code == 200
    assert known.text == unknown.text
    assert db.session.query(Job).filter_by(name="send-password-reset").count() == 2
    work()
    assert len(smtp.mailbox.messages) == 1
    assert smtp.mailbox.envelopes == [[editor.email]]


def test_a_deactivated_account_gets_no_mail(client, make, smtp, work):
    make.user(Role.MODERATOR, email="gone@valley-ledger.example", active=False)
    db.session.commit()
    assert ask(client, "gone@valley-ledger.example").status_code == 200
    work()
    assert smtp.mailbox.messages == []


def _token(client, editor, smtp, work) -> str:
    ask(client, editor.email)
    work()
    return reset_token_in(text_of(smtp.mailbox.to(editor.email)[-1]))


def test_a_password_change_or_sign_in_kills_the_link(client, editor, smtp, work):
    token = _token(client, editor, smtp, work)
    editor.set_password("changed somewhere else meanwhile")
    db.session.commit()
    assert client.get(f"/login/reset/{token}").status_code == 404

    token = _token(client, editor, smtp, work)
    client.post("/login", data={"email": editor.email,
                                "password": "changed somewhere else meanwhile"})
    assert client.get(f"/login/reset/{token}").status_code == 404


def test_wrong_and_forged_tokens_are_refused(app, client, editor):
    assert client.get("/login/reset/not-a-token").status_code == 404
    forged = URLSafeTimedSerializer("another secret", salt="newsroom.password-reset")
    assert client.get(f"/login/reset/{forged.dumps([editor.id, 'x' * 32])}").status_code == 404
    right_key = URLSafeTimedSerializer(app.secret_key, salt="newsroom.password-reset")
    for payload in ([editor.id, "0" * 32], {"u": editor.id}, [str(editor.id), "a"]):
        assert client.get(f"/login/reset/{right_key.dumps(payload)}").status_code == 404


def test_an_expired_link_is_refused(app, client, editor, monkeypatch):
    from newsroom.accounts.tokens import reset_token

    token = reset_token(editor)
    assert client.get(f"/login/reset/{token}").status_code == 200
    later = time.time() + app.config["PASSWORD_RESET_MAX_AGE"] + 5
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: later)
    assert client.get(f"/login/reset/{token}").status_code == 404


def test_a_weak_or_mismatched_password_is_refused_and_the_form_reshown(client, editor, smtp,
                                                                      work):
    token = _token(client, editor, smtp, work)
    short = client.post(f"/login/reset/{token}", data={"password": "short", "confirm": "short"})
    assert short.status_code == 400 and "too short" in short.text
    common = client.post(f"/login/reset/{token}",
                         data={"password": "Password1234!", "confirm": "Password1234!"})
    assert common.status_code == 400 and "too common" in common.text
    mismatch = client.post(f"/login/reset/{token}",
                           data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"})
    assert mismatch.status_code == 400 and "not the same" in mismatch.text
    db.session.expire_all()
    assert editor.check_password("correct horse battery")
    assert client.get(f"/login/reset/{token}").status_code == 200  # still unused


def test_a_bad_address_is_reshown_with_an_error(client):
    response = ask(client, "not an address")
    assert response.status_code == 400
    assert "valid email address" in response.text and 'value="not an address"' in response.text


def test_setting_the_password_signs_out_the_other_sessions(app, client, editor, smtp, work):
    other = app.test_client()
    sign_in_session(other, editor.get_id())
    assert other.get("/editor/").status_code == 200
    token = _token(client, editor, smtp, work)
    client.post(f"/login/reset/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    g.pop("_login_user", None)  # the test's app context (and g) outlives requests
    assert other.get("/editor/").status_code == 302


def test_requests_are_limited_per_address_without_telling(make_app, smtp, make):
    app = make_app(PASSWORD_RESET_LIMIT_PER_ACCOUNT="2 per hour",
                   PASSWORD_RESET_LIMIT_PER_IP="4 per hour", **smtp.settings())
    with app.app_context():
        user = make.user(Role.EDITOR)
        db.session.commit()
        client = app.test_client()
        answers = [ask(client, user.email) for _ in range(3)]
        assert [a.status_code for a in answers] == [200, 200, 200]
        assert answers[2].text == answers[0].text
        assert db.session.query(Job).filter_by(name="send-password-reset").count() == 2
        assert ask(client, "someone.else@valley-ledger.example").status_code == 200
        refused = ask(client, "a.third@valley-ledger.example")
        assert refused.status_code == 429 and "Too many reset requests" in refused.text


def test_the_forms_need_a_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        client = app.test_client()
        assert client.get("/login/forgot").headers["Cache-Control"].count("no-store") == 1
        assert ask(client, "someone@valley-ledger.example").status_code == 400
