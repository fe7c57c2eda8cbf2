"""The invitation link's page, /invitations/<token>: the invitee sets a name and password."""
from __future__ import annotations

import logging

from flask import flash, redirect, render_template
from flask_login import login_user
from sqlalchemy.exc import IntegrityError

from newsroom.accounts.blueprint import blueprint
from newsroom.accounts.forms import AcceptInvitationForm
from newsroom.accounts.invitations import InvitationRefused, accept
from newsroom.accounts.tokens import invitation_for_token
from newsroom.auth.redirects import destination
from newsroom.auth.sessions import new_csrf_secret
from newsroom.extensions import db

log = logging.getLogger(__name__)

#: What a link that cannot be used says, by the invitation's state; with the answer's status.
UNUSABLE = {
    "invalid": ("This invitation link is not valid",
                "Check that the whole link from the message was opened, or ask an admin to "
                "invite you again.", 404),
    "expired": ("This invitation has expired",
                "Ask the admin who invited you to send it again.", 410),
    "revoked": ("This invitation was withdrawn",
                "An admin revoked it. Ask them if you think this is a mistake.", 410),
    "accepted": ("This invitation has been used already",
                 "Its account exists: sign in with it, or use “Forgotten your password?”.", 410),
    "replaced": ("A newer invitation was sent",
                 "This link was replaced: use the link in the latest message.", 410),
}


def _unusable(state: str):
    title, explanation, status = UNUSABLE[state]
    return render_template("accounts/invitation_invalid.html", title=title,
                           explanation=explanation, state=state), status


@blueprint.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """GET shows the form (a link scanner uses nothing up); POST makes the account, signed in."""
    invitation, state = invitation_for_token(token)
    if state != "pending":
        return _unusable(state)
    form = AcceptInvitationForm()
    page = {"form": form, "token": token, "invitation": invitation}
    if not form.is_submitted():
        return render_template("accounts/invitation.html", **page)
    if not form.validate():
        return render_template("accounts/invitation.html", **page), 400
    try:
        user = accept(invitation, form.name.data, form.password.data)
        db.session.commit()
    except InvitationRefused as refused:
        db.session.rollback()
        return render_template("accounts/invitation.html", failure=str(refused), **page), 409
    except IntegrityError:  # the same link sent twice at once: the other request made it
        db.session.rollback()
        return _unusable("accepted")
    new_csrf_secret()
    login_user(user)
    log.info("staff user %s joined by invitation %s", user.id, invitation.id)
    flash(f"Welcome, {user.display_name}: your account is ready and you are signed in.", "info")
    return redirect(destination(user, None))
