"""Password-reset and invitation links: signed, timestamped itsdangerous tokens.

A reset link needs no table: the token carries the user id and a fingerprint of the account's
current password hash and session token, signed with SECRET_KEY and timestamped. Setting a password (or signing in,
signing out, being deactivated) changes the fingerprint, so a link dies once used and after any
of those; ``max_age`` makes it expire. An invitation link names the invitation and a
fingerprint of its nonce, which "Resend" replaces; the row says whether it was used or revoked.
"""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

from newsroom.extensions import db
from newsroom.models import Invitation, User, utcnow

_SALT = "newsroom.password-reset"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_SALT)


def _fingerprint(user: User) -> str:
    material = f"{user.id}:{user.password_hash}:{user.session_token}".encode()
    return hashlib.sha256(material).hexdigest()[:32]


def reset_token(user: User) -> str:
    """A signed link token for ``user`` that works until their password or session changes."""
    return _serializer().dumps([user.id, _fingerprint(user)])


def user_for_reset_token(token: str) -> User | None:
    """The active account ``token`` was made for, or None: forged, expired, used or out of date."""
    max_age = int(current_app.config["PASSWORD_RESET_MAX_AGE"])
    try:
        payload = _serializer().loads(token, max_age=max_age)
    except BadData:
        return None
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], int)
            and isinstance(payload[1], str)):
        return None
    user = db.session.get(User, payload[0])
    if user is None or not user.active:
        return None
    return user if hmac.compare_digest(_fingerprint(user), payload[1]) else None


_INVITATION_SALT = "newsroom.staff-invitation"


def _invitation_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_INVITATION_SALT)


def _invitation_fingerprint(invitation: Invitation) -> str:
    return hashlib.sha256(f"{invitation.id}:{invitation.nonce}".encode()).hexdigest()[:32]


def invitation_token(invitation: Invitation) -> str:
    """A signed link token naming ``invitation`` and its current nonce ("Resend" replaces it)."""
    return _invitation_serializer().dumps([invitation.id, _invitation_fingerprint(invitation)])


def invitation_for_token(token: str) -> tuple[Invitation | None, str]:
    """``(invitation, state)`` for a link: state is ``pending``, ``accepted``, ``revoked``,
    ``expired``, ``replaced`` (a newer link was sent) or ``invalid`` (forged or garbled; then
    the invitation is None). Only a token we signed ever names an invitation's state."""
    max_age = int(current_app.config["INVITATION_MAX_AGE"])
    expired = False
    try:
        payload = _invitation_serializer().loads(token, max_age=max_age)
    except SignatureExpired as error:
        payload, expired = error.payload, True
        try:
            payload = _invitation_serializer().load_payload(payload)
        except BadData:
            return None, "invalid"
    except BadData:
        return None, "invalid"
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], int)
            and isinstance(payload[1], str)):
        return None, "invalid"
    invitation = db.session.get(Invitation, payload[0])
    if invitation is None:
        return None, "invalid"
    if not hmac.compare_digest(_invitation_fingerprint(invitation), payload[1]):
        state = invitation.state(utcnow())
        return invitation, "replaced" if state == "pending" else state
    state = invitation.state(utcnow())
    return invitation, "expired" if expired and state == "pending" else state
