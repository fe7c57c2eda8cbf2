"""Reading back what the desk wrote, bypassing the session's cache."""
from __future__ import annotations

from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import Comment, ModerationDecision


def fresh(comment_id: int) -> Comment | None:
    """The comment as the database has it now (None once deleted)."""
    db.session.expire_all()
    return db.session.get(Comment, comment_id)


def decisions_for(comment_ref: int) -> list[ModerationDecision]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(ModerationDecision)
            .where(ModerationDecision.comment_ref == comment_ref)
            .order_by(ModerationDecision.id)
        )
    )
