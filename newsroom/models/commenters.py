"""Proof that a browser belongs to the owner of an email address (trust skips the queue)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from newsroom.models.base import Base, UTCDateTime, utcnow


class TrustedCommenter(Base):
    """An (email, browser) pair whose comments are published without waiting.

    Made when a moderator approves a comment sent from that browser with that email (and, with
    mail, when the address's owner confirms it from that browser). Typing an address is never
    enough: the browser's signed commenter cookie must match too.
    """

    __tablename__ = "trusted_commenters"
    __table_args__ = (UniqueConstraint("email", "browser_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Lowercased; never public.
    email: Mapped[str] = mapped_column(String(254))
    #: A keyed hash of the browser's commenter token (the token itself lives only in the cookie).
    browser_key: Mapped[str] = mapped_column(String(64))
    #: What proved it: "approval" (a moderator approved a comment) or "mail" (a confirmed link).
    proof: Mapped[str] = mapped_column(String(16), default="approval")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
