"""Invitations for new staff: invite, resend, revoke, accept, and the job that mails the link.

State changes are plain functions that add to the session and never commit: the view does.
Each is recorded in the audit log. The mail goes from the worker, after the commit.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from newsroom.accounts.tokens import invitation_token
from newsroom.extensions import db
from newsroom.jobs import enqueue, handler
from newsroom.mail import site_url
from newsroom.mail.sending import Outgoing, postbox
from newsroom.models import AuditEntry, Invitation, Role, User, utcnow
from newsroom.models.invitations import new_nonce

log = logging.getLogger(__name__)

SEND_INVITATION = "send-invitation"


class InvitationRefused(ValueError):
    """An invitation that cannot be made or used; the message says why, in plain words."""


def account_for(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))


def pending_for(email: str, now: datetime) -> Invitation | None:
    """The unexpired, unused, unrevoked invitation for ``email``, if any."""
    return db.session.scalar(
        select(Invitation).where(
            Invitation.email == email.lower(), Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None), Invitation.expires_at > now,
        ).limit(1)
    )


def _max_age() -> timedelta:
    return timedelta(seconds=int(current_app.config["INVITATION_MAX_AGE"]))


def _audit(action: str, invitation: Invitation, actor: User | None, **detail) -> None:
    db.session.add(AuditEntry(actor_id=actor.id if actor else None, action=action,
                              subject=invitation.email,
                              detail={"invitation": invitation.id,
                                      "role": invitation.role.value, **detail}))


def _send(invitation: Invitation) -> None:
    enqueue(SEND_INVITATION, {"invitation_id": invitation.id, "nonce": invitation.nonce})


def invite(email: str, role: Role, actor: User) -> Invitation:
    """A new invitation for ``email`` as ``role``, its mail queued.

    :raises InvitationRefused: the address has an account, or a pending invitation already.
    """
    email, now = email.strip().lower(), utcnow()
    if account_for(email) is not None:
        raise InvitationRefused(f"{email} already has a staff account: nobody was invited. "
                                "Its owner can sign in, or use “Forgotten your password?”.")
    if pending_for(email, now) is not None:
        raise InvitationRefused(f"{email} has a pending invitation already: use “Resend” "
                                "in the list below to send its link again.")
    invitation = Invitation(email=email, role=role, invited_by_id=actor.id, created_at=now,
                            sent_at=now, expires_at=now + _max_age())
    db.session.add(invitation)
    db.session.flush()
    _audit("invitation-create", invitation, actor)
    _send(invitation)
    return invitation


def resend(invitation: Invitation, actor: User) -> None:
    """A new link (the old one stops working) with a new expiry, mailed again.

    :raises InvitationRefused: the invitation was used or revoked.
    """
    state = invitation.state(utcnow())
    if state in ("accepted", "revoked"):
        raise InvitationRefused(f"The invitation for {invitation.email} was {state}: "
                                "there is nothing to resend.")
    if account_for(invitation.email) is not None:
        raise InvitationRefused(f"{invitation.email} has a staff account now: revoke this "
                                "invitation instead.")
    now = utcnow()
    invitation.nonce, invitation.sent_at = new_nonce(), now
    invitation.expires_at = now + _max_age()
    _audit("invitation-resend", invitation, actor)
    _send(invitation)


def revoke(invitation: Invitation, actor: User) -> None:
    """The invitation's link stops working at once.

    :raises InvitationRefused: it was used or revoked already.
    """
    state = invitation.state(utcnow())
    if state in ("accepted", "revoked"):
        raise InvitationRefused(f"The invitation for {invitation.email} was {state} already.")
    invitation.revoked_at = utcnow()
    _audit("invitation-revoke", invitation, actor)


def accept(invitation: Invitation, name: str, password: str) -> User:
    """The invitee's new account, with the invitation's role; the invitation is used up.

    :raises InvitationRefused: an account with the address was made meanwhile.
    """
    if account_for(invitation.email) is not None:
        raise InvitationRefused("An account with this address exists already: sign in, or use "
                                "“Forgotten your password?” on the sign-in page.")
    user = User(email=invitation.email, name=name, role=invitation.role)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    invitation.accepted_at, invitation.user_id = utcnow(), user.id
    _audit("invitation-accept", invitation, user)
    return user


@handler(SEND_INVITATION)
def send_invitation(payload: dict) -> str:
    """Mail the invitation's link, unless it was resent, revoked or used since it was queued."""
    invitation = db.session.get(Invitation, int(payload["invitation_id"]))
    if invitation is None or invitation.nonce != payload.get("nonce"):
        return "the invitation was removed or sent again since: nothing sent"
    state = invitation.state(utcnow())
    if state != "pending":
        return f"the invitation is {state}: nothing sent"
    inviter = invitation.invited_by.display_name if invitation.invited_by else "An admin"
    message = Outgoing(
        key=f"invitation:{invitation.id}:{invitation.nonce}", kind="invitation",
        to=invitation.email, subject=f"You are invited to join the staff of "
                                     f"{current_app.config['SITE_NAME']}",
        context={"inviter": inviter, "role": invitation.role.value,
                 "accept_url": site_url("accounts.accept_invitation",
                                        token=invitation_token(invitation)),
                 "days": max(1, int(current_app.config["INVITATION_MAX_AGE"]) // 86400)},
    )
    with postbox() as post:
        return post.deliver(message)
