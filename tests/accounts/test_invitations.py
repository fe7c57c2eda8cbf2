"""Staff invitations: an admin invites, the worker mails a link by SMTP, the invitee joins once."""
from __future__ import annotations

import time
from datetime import timedelta

import itsdangerous.timed
import pytest
from flask import g
from itsdangerous import URLSafeTimedSerializer

from newsroom.extensions import db
from newsroom.models import AuditEntry, Invitation, Job, Role, User
from tests.accounts.conftest import INVITE_LINK
from tests.helpers import sign_in_session
from tests.mailbox import html_of, text_of

PASSWORD = "tide tables by lamplight"
INVITEE = "noor.haddad@valley-ledger.example"


def token_in(text: str) -> str:
    (token,) = set(INVITE_LINK.findall(text))
    return token


@pytest.fixture
def admin(login_as):
    return login_as(Role.ADMIN, name="Mara Ellison")


def invite(client, email=INVITEE, role="moderator"):
    return client.post("/admin/invitations", data={"email": email, "role": role})


def mailed_token(smtp, work, email=INVITEE) -> str:
    work()
    return token_in(text_of(smtp.mailbox.to(email)[-1]))


def join(app, token, name="Noor Haddad", password=PASSWORD, confirm=None):
    invitee = app.test_client()
    answer = invitee.post(f"/invitations/{token}", data={
        "name": name, "password": password, "confirm": confirm or password})
    return invitee, answer


def test_an_invitee_joins_with_the_mailed_link_once_and_is_signed_in(app, client, admin, smtp,
                                                                     work):
    response = invite(client, "  Noor.Haddad@Valley-Ledger.example ")
    assert response.status_code == 302
    assert smtp.mailbox.messages == []  # the worker sends it, after the commit
    work()
    (message,) = smtp.mailbox.to(INVITEE)
    assert "invited to join" in message["Subject"]
    assert smtp.mailbox.envelopes == [[INVITEE]]
    token = token_in(text_of(message))
    assert token == token_in(html_of(message))
    assert "Mara Ellison invited you" in text_of(message) and "moderator" in text_of(message)

    invitee = app.test_client()
    for _ in range(2):  # a link scanner's GETs use nothing up
        page = invitee.get(f"/invitations/{token}")
        assert page.status_code == 200 and 'name="password"' in page.text
        assert INVITEE not in page.text  # no address on a page, even this secret one
        assert page.headers["Referrer-Policy"] == "no-referrer"
        assert "no-store" in page.headers["Cache-Control"]
    done = invitee.post(f"/invitations/{token}", data={
        "name": " Noor Haddad ", "password": PASSWORD, "confirm": PASSWORD})
    assert done.status_code == 302 and done.headers["Location"].endswith("/moderation/")
    g.pop("_login_user", None)
    assert invitee.get("/moderation/").status_code == 200  # signed in
    user = db.session.query(User).filter_by(email=INVITEE).one()
    assert (user.name, user.role) == ("Noor Haddad", Role.MODERATOR)
    assert user.check_password(PASSWORD)
    actions = [a.action for a in db.session.query(AuditEntry).order_by(AuditEntry.id)
               if a.action.startswith("invitation")]
    assert actions == ["invitation-create", "invitation-accept"]

    again = app.test_client().get(f"/invitations/{token}")
    assert again.status_code == 410 and "used already" in again.text
    _, reused = join(app, token, password="another tide table")
    assert reused.status_code == 410
    assert db.session.query(User).filter_by(email=INVITEE).count() == 1


def test_resend_kills_the_old_link_and_mails_a_new_one(app, client, admin, smtp, work):
    invite(client)
    first = mailed_token(smtp, work)
    invitation = db.session.query(Invitation).one()
    assert client.post(f"/admin/invitations/{invitation.id}/resend").status_code == 302
    second = mailed_token(smtp, work)
    assert len(smtp.mailbox.to(INVITEE)) == 2 and first != second
    old = app.test_client().get(f"/invitations/{first}")
    assert old.status_code == 410 and "newer invitation" in old.text
    assert app.test_client().get(f"/invitations/{second}").status_code == 200
    assert db.session.query(AuditEntry).filter_by(action="invitation-resend").count() == 1


def test_a_resend_queued_before_another_sends_nothing_stale(app, client, admin, smtp, work):
    invite(client)
    invitation = db.session.query(Invitation).one()
    client.post(f"/admin/invitations/{invitation.id}/resend")
    work()  # two jobs queued; only the latest nonce's mail goes
    (message,) = smtp.mailbox.to(INVITEE)
    assert app.test_client().get(f"/invitations/{token_in(text_of(message))}").status_code == 200


def test_revoke_kills_the_link_and_the_queued_mail(app, client, admin, smtp, work):
    invite(client)
    token = mailed_token(smtp, work)
    invitation = db.session.query(Invitation).one()
    assert client.post(f"/admin/invitations/{invitation.id}/revoke").status_code == 302
    page = app.test_client().get(f"/invitations/{token}")
    assert page.status_code == 410 and "withdrawn" in page.text
    _, refused = join(app, token)
    assert refused.status_code == 410
    assert db.session.query(User).filter_by(email=INVITEE).count() == 0
    again = client.post(f"/admin/invitations/{invitation.id}/resend", follow_redirects=True)
    assert "was revoked" in again.text

    invite(client, "late.revoked@valley-ledger.example")
    late = db.session.query(Invitation).filter_by(email="late.revoked@valley-ledger.example").one()
    client.post(f"/admin/invitations/{late.id}/revoke")
    work()
    assert smtp.mailbox.to("late.revoked@valley-ledger.example") == []


def test_an_expired_link_says_so_and_resend_renews_it(app, client, admin, smtp, work,
                                                      monkeypatch):
    invite(client)
    token = mailed_token(smtp, work)
    later = time.time() + app.config["INVITATION_MAX_AGE"] + 5
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: later)
    page = app.test_client().get(f"/invitations/{token}")
    assert page.status_code == 410 and "expired" in page.text
    monkeypatch.undo()

    invitation = db.session.query(Invitation).one()
    invitation.expires_at -= timedelta(seconds=app.config["INVITATION_MAX_AGE"] + 5)
    db.session.commit()
    assert app.test_client().get(f"/invitations/{token}").status_code == 410
    listed = client.get("/admin/invitations")
    assert "expired" in listed.text and "Resend" in listed.text
    client.post(f"/admin/invitations/{invitation.id}/resend")
    fresh = mailed_token(smtp, work)
    assert app.test_client().get(f"/invitations/{fresh}").status_code == 200


def test_an_address_with_an_account_or_a_pending_invitation_is_refused(client, admin, make,
                                                                       smtp, work):
    make.user(Role.EDITOR, email="ines.editor@valley-ledger.example")
    db.session.commit()
    taken = invite(client, "Ines.Editor@valley-ledger.example")
    assert taken.status_code == 409 and "already has a staff account" in taken.text
    assert 'value="ines.editor@valley-ledger.example"' in taken.text
    assert invite(client).status_code == 302
    twice = invite(client)
    assert twice.status_code == 409 and "pending invitation already" in twice.text
    assert db.session.query(Invitation).count() == 1
    work()
    assert len(smtp.mailbox.messages) == 1


def test_an_account_made_meanwhile_refuses_the_link(app, client, admin, make, smtp, work):
    invite(client)
    token = mailed_token(smtp, work)
    make.user(Role.EDITOR, email=INVITEE)
    db.session.commit()
    _, refused = join(app, token)
    assert refused.status_code == 409 and "exists already" in refused.text
    assert db.session.query(User).filter_by(email=INVITEE).count() == 1


def test_bad_input_reshows_the_forms(app, client, admin, smtp, work):
    bad = invite(client, "not an address", role="superuser")
    assert bad.status_code == 400 and "valid email address" in bad.text
    assert 'value="not an address"' in bad.text and "Not a valid choice" in bad.text
    invite(client)
    token = mailed_token(smtp, work)
    _, weak = join(app, token, password="Password1234!")
    assert weak.status_code == 400 and "too common" in weak.text
    _, nameless = join(app, token, name="  ")
    assert nameless.status_code == 400 and "enter your name" in nameless.text
    _, mismatch = join(app, token, confirm=PASSWORD + "x")
    assert mismatch.status_code == 400 and "not the same" in mismatch.text
    assert 'value="Noor Haddad"' in mismatch.text
    assert app.test_client().get(f"/invitations/{token}").status_code == 200  # still unused


def test_forged_and_garbled_links_say_not_valid(app, client, admin):
    invite(client)
    invitation = db.session.query(Invitation).one()
    forged = URLSafeTimedSerializer("another secret", salt="newsroom.staff-invitation")
    right_key = URLSafeTimedSerializer(app.secret_key, salt="newsroom.staff-invitation")
    reset_salt = URLSafeTimedSerializer(app.secret_key, salt="newsroom.password-reset")
    tokens = ["nonsense", forged.dumps([invitation.id, "x" * 32]),
              right_key.dumps([invitation.id + 99, "x" * 32]), right_key.dumps({"i": 1}),
              reset_salt.dumps([invitation.id, "x" * 32])]
    for token in tokens:
        page = app.test_client().get(f"/invitations/{token}")
        assert page.status_code == 404 and "not valid" in page.text
        assert INVITEE not in page.text


@pytest.mark.parametrize("role", [Role.EDITOR, Role.MODERATOR])
def test_only_admins_reach_the_invitation_pages(app, make, role):
    target = make.user(Role.EDITOR)
    invitation = Invitation(email="x@valley-ledger.example", role=Role.EDITOR,
                            expires_at=target.created_at + timedelta(days=7))
    db.session.add(invitation)
    db.session.commit()
    anonymous, staff = app.test_client(), app.test_client()
    sign_in_session(staff, make.user(role).get_id())
    db.session.commit()
    routes = [("get", "/admin/invitations"), ("post", "/admin/invitations"),
              ("post", f"/admin/invitations/{invitation.id}/resend"),
              ("post", f"/admin/invitations/{invitation.id}/revoke")]
    for method, url in routes:
        g.pop("_login_user", None)  # the test's app context (and g) outlives requests
        assert getattr(anonymous, method)(url).status_code == 302
        g.pop("_login_user", None)
        assert getattr(staff, method)(url).status_code == 403
    assert db.session.query(Job).count() == 0
    assert db.session.get(Invitation, invitation.id).revoked_at is None


def test_every_form_needs_a_csrf_token(make_app, smtp):
    app = make_app(WTF_CSRF_ENABLED=True, **smtp.settings())
    with app.app_context():
        from tests import factories

        admin = factories.user(Role.ADMIN)
        db.session.commit()
        client = app.test_client()
        sign_in_session(client, admin.get_id())
        assert invite(client).status_code == 400
        assert db.session.query(Invitation).count() == 0
        invitation = Invitation(email=INVITEE, role=Role.EDITOR,
                                expires_at=admin.created_at + timedelta(days=7))
        db.session.add(invitation)
        db.session.commit()
        for action in ("resend", "revoke"):
            client.post(f"/admin/invitations/{invitation.id}/{action}")
        db.session.expire_all()
        assert invitation.revoked_at is None and db.session.query(Job).count() == 0
        from newsroom.accounts.tokens import invitation_token

        _, answer = join(app, invitation_token(invitation))
        assert answer.status_code == 400
        assert db.session.query(User).filter_by(email=INVITEE).count() == 0


def test_the_list_takes_a_fixed_number_of_queries(client, admin, make, count_queries):
    def listed(n):
        for i in range(n):
            db.session.add(Invitation(email=f"person{i}-{n}@valley-ledger.example",
                                      role=Role.EDITOR, invited_by_id=admin.id,
                                      expires_at=admin.created_at + timedelta(days=7)))
        db.session.commit()
        with count_queries() as queries:
            assert client.get("/admin/invitations").status_code == 200
        return len(queries)

    assert listed(2) == listed(20)


def test_two_submissions_at_once_make_one_account(app, client, admin, make, smtp, work,
                                                  monkeypatch):
    from newsroom.accounts import invitations

    invite(client)
    token = mailed_token(smtp, work)
    make.user(Role.EDITOR, email=INVITEE)  # what the other request just committed
    db.session.commit()
    monkeypatch.setattr(invitations, "account_for", lambda email: None)  # checked before it
    _, second = join(app, token)
    assert second.status_code == 410 and "used already" in second.text
    assert db.session.query(User).filter_by(email=INVITEE).count() == 1

