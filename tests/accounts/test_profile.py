"""The profile page: name and notifications, a password change that ends the other sessions."""
from __future__ import annotations

from flask import g

from newsroom.extensions import db
from newsroom.models import Role
from tests.helpers import sign_in_session

NEW_PASSWORD = "gulls over the fish market"


def test_the_page_needs_a_signed_in_user(client):
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_name_and_notifications_are_saved(client, login_as):
    user = login_as(Role.MODERATOR, name="Old Name")
    page = client.get("/account")
    assert page.status_code == 200 and 'value="Old Name"' in page.text
    assert "no-store" in page.headers["Cache-Control"]
    response = client.post("/account", data={"name": "  Mira Quay ", "digest_minutes": "60",
                                              "alert_illegal_reports": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert (user.name, user.digest_minutes) == ("Mira Quay", 60)
    assert user.alert_illegal_reports and not user.alert_failed_fetches
    assert "Signed in as <strong>Mira Quay</strong>" in client.get("/account").text


def test_a_refused_profile_is_reshown(client, login_as):
    user = login_as(Role.EDITOR, name="Kept")
    response = client.post("/account", data={"name": "N" * 121, "digest_minutes": "7"})
    assert response.status_code == 400
    assert "N" * 121 in response.text and "Not a valid choice" in response.text
    db.session.expire_all()
    assert user.name == "Kept" and user.digest_minutes == 0


def test_a_password_change_needs_the_current_one(client, login_as):
    user = login_as(Role.EDITOR)
    wrong = client.post("/account/password", data={
        "current_password": "not my password", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert wrong.status_code == 400 and "not your current password" in wrong.text
    weak = client.post("/account/password", data={
        "current_password": "correct horse battery", "password": "password1234",
        "confirm": "password1234"})
    assert weak.status_code == 400 and "too common" in weak.text
    db.session.expire_all()
    assert user.check_password("correct horse battery")


def test_a_password_change_keeps_this_session_and_ends_the_others(app, client, login_as):
    user = login_as(Role.EDITOR)
    other = app.test_client()
    sign_in_session(other, user.get_id())
    response = client.post("/account/password", data={
        "current_password": "correct horse battery", "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    db.session.expire_all()
    assert user.check_password(NEW_PASSWORD)
    # the test's app context (and so g) outlives requests: forget Flask-Login's cached user
    g.pop("_login_user", None)
    assert other.get("/account").status_code == 302
    g.pop("_login_user", None)
    assert client.get("/account").status_code == 200


def test_wrong_current_passwords_are_throttled(client, login_as):
    login_as(Role.EDITOR)
    data = {"current_password": "guess number x", "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD}
    codes = [client.post("/account/password", data=data).status_code for _ in range(6)]
    assert codes[0] == 400 and codes[-1] == 429
