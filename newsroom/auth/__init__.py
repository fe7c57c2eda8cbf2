"""Staff authentication: sign-in and sign-out, the signed-in user, the role check of staff areas."""
from __future__ import annotations

import hmac

from flask import abort
from flask_login import current_user

from newsroom.extensions import db, login_manager
from newsroom.models import Role, User


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The signed-in user, or None (ending the session) when the account is gone or deactivated,
    or the session's token is not the account's current one (signed out, password changed)."""
    number, _, token = user_id.partition(":")
    if not (number.isascii() and number.isdigit() and len(number) < 10 and token):
        return None
    user = db.session.get(User, int(number))
    if user is None or not user.active:
        return None
    return user if hmac.compare_digest(user.session_token, token) else None


def require_roles(blueprint, *roles: Role) -> None:
    """Guard every view of ``blueprint``: sign-in first, then one of ``roles`` (admins always).

    A signed-out visitor is sent to the login page; a signed-in user without the role gets 403.
    """

    @blueprint.before_request
    def check_role():
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.has_role(*roles):
            abort(403, description=role_needed(roles, current_user.role))


def role_needed(roles: tuple[Role, ...], role: Role) -> str:
    """What a 403 tells a signed-in member of staff: the role the page needs, and theirs."""
    needed = " or ".join(f"{r.value}s" for r in roles)
    article = "an" if role.value[0] in "aeiou" else "a"
    return (
        f"This page is for {needed} (and admins). You are signed in as {article} "
        f"{role.value}; an admin can change your role."
    )


def current_staff() -> User:
    """The signed-in member of staff itself (not Flask-Login's proxy), to record on changes."""
    return current_user._get_current_object()


from newsroom.auth import views  # noqa: E402,F401  (routes register on import)

__all__ = ["current_staff", "load_user", "require_roles", "role_needed"]
