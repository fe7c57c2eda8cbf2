"""Sessions end on the server: sign-out, a new sign-in, a new password, deactivation.

The session cookie is signed but kept by the browser; a copy of it must stop working when the
session ends. The account's session token, part of the cookie's user id, makes that so.
"""
from __future__ import annotations

import re

import pytest

from newsroom.auth.passwords import WeakPassword, check_password
from newsroom.extensions import db
from newsroom.models import Role, User
from tests.auth.conftest import PASSWORD
from tests.auth.test_throttle import WRONG, _is_throttled, clock  # noqa: F401  (fixture)

DESK = "/moderation/"


@pytest.fixture
def moderator(make):
    user = make.user(Role.MODERATOR, email="mod@newsroom.example")
    db.session.commit()
    return user


@pytest.fixture
def fresh(make_app, moderator):
    """An app whose requests each get their own app context, as in production.

    (The ``app`` fixture keeps one context open, and Flask-Login caches the user in ``g``.)
    """
    app = make_app()
    client = app.test_client()

    def sign_in(ip: str = "198.51.100.1"):
        data = {"email": "mod@newsroom.example", "password": PASSWORD}
        return client.post("/login", data=data, environ_base={"REMOTE_ADDR": ip})

    return app, client, sign_in


def _signed_in_copy(app, client) -> object:
    """A second browser holding a copy of ``client``'s session cookie."""
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    return copy


def _can_use_desk(client) -> bool:
    return client.get(DESK).status_code == 200


def test_a_copied_cookie_is_refused_after_sign_out(fresh):
    app, client, sign_in = fresh
    assert sign_in().status_code == 302
    copy = _signed_in_copy(app, client)
    assert _can_use_desk(copy)

    assert client.post("/logout").status_code == 302

    assert not _can_use_desk(copy)
    assert copy.get(DESK).headers["Location"].startswith("/login")


def test_signing_in_again_ends_the_older_session(fresh):
    app, client, sign_in = fresh
    sign_in()
    earlier = _signed_in_copy(app, client)
    client.post("/logout")

    sign_in()

    assert _can_use_desk(client) and not _can_use_desk(earlier)


def test_a_new_password_ends_open_sessions(fresh, moderator):
    app, client, sign_in = fresh
    sign_in()
    assert _can_use_desk(client)

    with app.app_context():
        db.session.get(User, moderator.id).set_password("another long passphrase")
        db.session.commit()

    assert not _can_use_desk(client)


def test_deactivation_ends_sessions_for_good(fresh):
    app, client, sign_in = fresh
    sign_in()
    for command in ("deactivate", "activate"):
        result = app.test_cli_runner().invoke(args=["users", command, "mod@newsroom.example"])
        assert result.exit_code == 0

    assert not _can_use_desk(client)


def test_a_session_without_the_token_is_refused(fresh, moderator):
    app, client, _ = fresh
    with client.session_transaction() as session:
        session["_user_id"] = str(moderator.id)  # the id alone, as older cookies carried it
    assert not _can_use_desk(client)


def test_sign_in_replaces_the_csrf_secret(make_app, moderator):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    before = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    login = {"email": "mod@newsroom.example", "password": PASSWORD, "csrf_token": before}
    assert client.post("/login", data=login).status_code == 302

    assert client.post("/logout", data={"csrf_token": before}).status_code == 400
    assert _can_use_desk(client)


@pytest.mark.parametrize(
    "password, words",
    [("short pass", "too short"), ("password1234", "too common"), ("Qwerty123456!", "too common"),
     ("1q2w3e4r5t6y", "too common"), ("x" * 1025, "too long")],
)
def test_weak_passwords_are_refused(password, words):
    with pytest.raises(WeakPassword, match=words):
        check_password(password)


def test_a_long_uncommon_password_is_accepted():
    check_password("harbour lights at nine")


def test_users_create_refuses_a_common_password(runner):
    result = runner.invoke(args=["users", "create", "ed@newsroom.example", "--role", "editor",
                                 "--password", "Password123456"])
    assert result.exit_code != 0
    assert "too common" in result.output.strip().splitlines()[-1]


def test_guessing_from_elsewhere_only_slows_an_address_that_signed_in_before(
    moderator, sign_in, clock
):
    home = "198.51.100.7"
    assert sign_in("mod@newsroom.example", ip=home).status_code == 302
    for n in range(8):
        sign_in("mod@newsroom.example", WRONG, ip=f"203.0.113.{n}")

    assert _is_throttled(sign_in("mod@newsroom.example", ip="192.0.2.50"))  # a new address
    assert sign_in("mod@newsroom.example", WRONG, ip=home).status_code == 400  # not locked
    slowed = sign_in("mod@newsroom.example", ip=home)
    assert _is_throttled(slowed) and int(slowed.headers["Retry-After"]) <= 10
    clock(10)
    assert sign_in("mod@newsroom.example", ip=home).status_code == 302


def test_failures_from_one_address_lock_that_address_for_that_account(make_app, moderator):
    app = make_app(LOGIN_FAILURE_LIMIT_PER_ACCOUNT="100 per minute")
    client = app.test_client()

    def attempt(password, ip):
        data = {"email": "mod@newsroom.example", "password": password}
        return client.post("/login", data=data, environ_base={"REMOTE_ADDR": ip})

    for _ in range(3):
        assert attempt(WRONG, "203.0.113.9").status_code == 400
    assert _is_throttled(attempt(PASSWORD, "203.0.113.9"))
    assert attempt(PASSWORD, "198.51.100.7").status_code == 302
