"""Password-reset links: itsdangerous tokens bound to the account's password hash and session token.

No table: the token carries the user id and a fingerprint of the account's current password hash
and session token, signed with SECRET_KEY and timestamped. Setting a password (or signing in,
signing out, being deactivated) changes the fingerprint, so a link dies once used and after any
of those; ``max_age`` makes it expire.
"""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from newsroom.extensions import db
from newsroom.models import User

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
