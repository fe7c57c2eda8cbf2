"""Staff authentication: loading the signed-in user for Flask-Login."""
from __future__ import annotations

from newsroom.extensions import db, login_manager
from newsroom.models import User


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None
