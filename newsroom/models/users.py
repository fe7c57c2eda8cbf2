"""Staff accounts and their roles."""
from __future__ import annotations

import enum
import secrets
from datetime import datetime
from typing import Optional

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import String, false
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from newsroom.models.base import Base, UTCDateTime, str_enum, utcnow


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class Role(enum.StrEnum):
    """What a staff member may do: admins do everything."""

    ADMIN = "admin"
    EDITOR = "editor"
    MODERATOR = "moderator"


class User(UserMixin, Base):
    """A member of staff who signs in to the editorial or moderation desk."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: Moderators and editors: email a digest of the pending queue every N minutes when it is
    #: not empty; 0: never. (Set on the profile page.)
    digest_minutes: Mapped[int] = mapped_column(default=0, server_default="0")
    #: When the digest last looked at the queue (sent or found it empty).
    digest_checked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: Email at once when a reader reports a comment as illegal content.
    alert_illegal_reports: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Editors: email when an outlet's feed has failed three fetches in a row.
    alert_failed_fetches: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Part of the session cookie's user id; a new one (sign-in, sign-out, password change,
    #: deactivation) ends every session that carries the old one.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)

    def get_id(self) -> str:  # Flask-Login stores this in the session; see load_user
        return f"{self.id}:{self.session_token}"

    def end_sessions(self) -> None:
        """Refuse every session signed in so far (the caller commits)."""
        self.session_token = new_session_token()

    @property
    def is_active(self) -> bool:  # Flask-Login: deactivated accounts cannot sign in
        return self.active

    def set_password(self, password: str) -> None:
        """Set a new password; sessions signed in with the old one end."""
        method = current_app.config["PASSWORD_HASH_METHOD"]
        self.password_hash = generate_password_hash(password, method=method)
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def has_role(self, *roles: Role) -> bool:
        return self.role is Role.ADMIN or self.role in roles

    @property
    def display_name(self) -> str:
        return self.name or self.email.split("@", 1)[0]

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"
