"""Invitations for new staff: an admin names an email and a role, the invitee sets a password."""
from __future__ import annotations

import secrets
from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from newsroom.models.base import Base, UTCDateTime, str_enum, utcnow
from newsroom.models.users import Role, User


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class Invitation(Base):
    """One invitation; its link is a signed token naming it and its current ``nonce``."""

    __tablename__ = "invitations"
    __table_args__ = (
        # the admin list (pending first by time) and "is this address invited already?"
        Index("ix_invitations_state", "accepted_at", "revoked_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Lower case, as accounts are looked up.
    email: Mapped[str] = mapped_column(String(254), index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role, "invitation_role"))
    #: Part of the link's token; replaced on "Resend", so older links stop working.
    nonce: Mapped[str] = mapped_column(String(32), default=new_nonce)
    invited_by_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the latest link was sent; it works until ``expires_at``.
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: The account the invitee created.
    user_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    invited_by: Mapped[Optional[User]] = relationship(foreign_keys=[invited_by_id])

    def state(self, now: datetime) -> str:
        """``accepted``, ``revoked``, ``expired`` or ``pending``."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= now else "pending"

    def __repr__(self) -> str:
        return f"<Invitation {self.id} {self.role.value}>"
