"""Moderation as data: each change of a comment, ban or blocklist leaves a record.

These functions change the session and never commit; the view (or command) that calls them does.
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from markupsafe import Markup
from sqlalchemy import select

from newsroom.comments.identity import email_digest, is_placeholder_email
from newsroom.comments.policy import MAX_PHRASE_WORDS, normalise_ip, word_list
from newsroom.comments.records import (
    AuditAction,
    Decision,
    add_comment,
    comment_approved,
    record_decision,
)
from newsroom import trust
from newsroom.extensions import db
from newsroom.models import (
    AuditEntry,
    Ban,
    BanKind,
    BlocklistEntry,
    BlocklistKind,
    Comment,
    CommentStatus,
    User,
    utcnow,
)
from newsroom.moderation.queries import active_ban_condition, last_decision
from newsroom.sanitizing import clean_comment

#: The per-comment actions that set a status; "delete" is handled on its own.
STATUS_ACTIONS = {
    "approve": CommentStatus.APPROVED,
    "reject": CommentStatus.REJECTED,
    "spam": CommentStatus.SPAM,
}
ACTIONS = (*STATUS_ACTIONS, "delete")


@dataclass(frozen=True)
class RowAction:
    """A button on a queue row: the action's URL name, its label, its key, the status it sets."""

    action: str
    label: str
    key: str
    status: str


#: The queue row's decision buttons, in order; each POSTs to ``/moderation/comments/<id>/<action>``.
ROW_ACTIONS = (
    RowAction("approve", "Approve", "a", "approved"),
    RowAction("reject", "Reject", "r", "rejected"),
    RowAction("spam", "Spam", "s", "spam"),
)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")


class ModerationError(Exception):
    """An action that cannot be done; the message is shown to the moderator."""


def set_status(comment: Comment, status: CommentStatus, moderator: User, reason: str = "") -> bool:
    """Move ``comment`` to ``status`` and record the decision; False if it was already there."""
    if comment.status == status:
        return False
    if status is not CommentStatus.APPROVED:
        end_pick(comment, moderator, f"no longer approved ({status.value})")
    record_decision(comment, comment.status, status, reason, moderator)
    comment.status = status
    if status is CommentStatus.APPROVED:
        comment_approved.send(comment)
        trust.trust_approved(comment)
    return True


def end_pick(comment: Comment, moderator: User | None, reason: str = "") -> bool:
    """Take ``comment`` out of the editors' picks (recorded); False if it was not one."""
    if comment.featured_at is None:
        return False
    record_decision(comment, Decision.FEATURED, Decision.UNFEATURED, reason, moderator)
    comment.featured_at = None
    comment.featured_by = None
    return True


def undo_decision(comment: Comment, moderator: User) -> CommentStatus:
    """Return ``comment`` to the status its last decision moved it from; that status.

    The undo goes through :func:`set_status`, so it is recorded like any other decision.

    :raises ModerationError: the last decision cannot be undone (none, or the comment's arrival).
    """
    last = last_decision(comment)
    statuses = {status.value for status in CommentStatus}
    if last is None or last.to_status != comment.status.value or last.from_status not in statuses:
        raise ModerationError(f"There is no decision to undo on the comment by "
                              f"{comment.author_name}.")
    previous = CommentStatus(last.from_status)
    set_status(comment, previous, moderator, f"undo: back to {previous.value}")
    return previous


def excerpt(html: str, length: int = 200) -> str:
    """The first ``length`` characters of a comment's text, without its markup."""
    # Bandit B704 judged safe: sanitised HTML, made plain text by striptags().
    text = Markup(html).striptags()  # nosec B704
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _subtree(comment: Comment) -> list[Comment]:
    """``comment`` and every reply below it, parents before their replies (one query a level)."""
    found, frontier = [comment], [comment.id]
    while frontier:
        children = db.session.scalars(select(Comment).where(Comment.parent_id.in_(frontier))).all()
        found.extend(children)
        frontier = [child.id for child in children]
    return found


def delete_comment(comment: Comment, moderator: User, reason: str = "") -> list[int]:
    """Delete ``comment`` with all its replies; returns the ids deleted.

    Replies go too (they would hang from nothing). Each deleted comment leaves a decision
    ("… → deleted", kept by ``comment_ref``) and an audit entry with a snapshot of what it was.
    """
    doomed = _subtree(comment)
    for target in doomed:
        why = reason
        if target is not comment:
            why = f"reply to deleted comment {comment.id}" + (f": {reason}" if reason else "")
        record_decision(target.id, target.status, Decision.DELETED, why, moderator)
        db.session.add(_deletion_snapshot(target, moderator, why))
    for target in reversed(doomed):
        db.session.delete(target)
    db.session.flush()
    return [target.id for target in doomed]


def _deletion_snapshot(comment: Comment, moderator: User, reason: str) -> AuditEntry:
    """What a deleted comment was, minus the commenter's contact details.

    The email is kept only as a keyed hash, so ``commenters erase`` can find and scrub it.
    """
    return AuditEntry(
        actor=moderator,
        action=AuditAction.DELETE_COMMENT,
        subject=f"comment {comment.id}",
        detail={
            "comment_id": comment.id,
            "author_name": comment.author_name,
            "email_hmac": email_digest(comment.author_email),
            "article_id": comment.article_id,
            "article_headline": comment.article.headline,
            "parent_id": comment.parent_id,
            "status": comment.status.value,
            "created_at": comment.created_at.isoformat(),
            "excerpt": excerpt(comment.body),
            "reason": reason,
        },
    )


def reply_as_staff(parent: Comment, moderator: User, body: str) -> Comment:
    """Publish a staff reply to ``parent``; a pending parent is approved with it (recorded).

    :raises ModerationError: the parent is rejected or spam, or the reply is empty.
    """
    if parent.status not in (CommentStatus.PENDING, CommentStatus.APPROVED):
        raise ModerationError("Only approved or pending comments can be replied to.")
    html = clean_comment(body)
    # Bandit B704 judged safe: clean_comment's output, made plain text by striptags().
    if not Markup(html).striptags().strip():  # nosec B704
        raise ModerationError("The reply has no text once formatting is removed.")
    set_status(parent, CommentStatus.APPROVED, moderator, "approved by replying from the desk")
    reply = add_comment(
        parent,
        article_id=parent.article_id,
        status=CommentStatus.APPROVED,
        # the staff member's own name; never the email's local part (display_name's fallback)
        author_name=(moderator.name or f"{current_app.config['SITE_NAME']} staff")[:80],
        author_email=moderator.email,
        body=html,
        is_staff=True,
        user=moderator,
        held_reasons=[],
    )
    record_decision(reply, Decision.NEW, CommentStatus.APPROVED, "staff reply", moderator)
    comment_approved.send(reply)
    return reply


def bannable_email(comment: Comment) -> str | None:
    """The commenter's address, lowercased; None when there is none or it was erased."""
    email = (comment.author_email or "").lower()
    return email if "@" in email and not is_placeholder_email(email) else None


def ban_value(comment: Comment, kind: BanKind) -> str:
    """The email, IP address or email domain of ``comment`` that a ban of ``kind`` keeps out."""
    email = bannable_email(comment)
    if kind is BanKind.EMAIL and email:
        return email
    if kind is BanKind.DOMAIN and email:
        return email.rsplit("@", 1)[1]
    if kind is BanKind.IP and comment.ip_address:
        return comment.ip_address
    raise ModerationError(f"This comment has no {kind.value} to ban (it may have been cleared).")


def create_ban(
    kind: BanKind,
    value: str,
    moderator: User,
    *,
    reason: str = "",
    expires_at: datetime | None = None,
    comment: Comment | None = None,
) -> Ban:
    """Ban an email, IP address or domain, and note it in the audit log.

    :raises ModerationError: the same value is already banned.
    """
    value = normalise_ip(value) if kind is BanKind.IP else value.strip().lower()
    existing = db.session.scalar(
        select(Ban.id).where(Ban.kind == kind, Ban.value == value, active_ban_condition(utcnow()))
    )
    if existing is not None:
        raise ModerationError(f"The {kind.value} {value} is already banned.")
    ban = Ban(
        kind=kind, value=value, reason=reason, expires_at=expires_at, created_by=moderator,
        comment_id=comment.id if comment else None,
    )
    db.session.add(ban)
    db.session.flush()
    db.session.add(
        AuditEntry(
            actor=moderator, action=AuditAction.BAN, subject=f"{kind.value} {value}",
            detail={
                "ban_id": ban.id,
                "reason": reason,
                "expires_at": expires_at.isoformat() if expires_at else None,
                "comment_id": ban.comment_id,
            },
        )
    )
    return ban


def lift_ban(ban: Ban, moderator: User) -> bool:
    """Lift ``ban`` now and note it; False if it was already lifted."""
    if ban.lifted_at is not None:
        return False
    ban.lifted_at = utcnow()
    ban.lifted_by = moderator
    db.session.add(
        AuditEntry(
            actor=moderator, action=AuditAction.LIFT_BAN, subject=f"{ban.kind.value} {ban.value}",
            detail={"ban_id": ban.id},
        )
    )
    return True


def ban_state(ban: Ban, now: datetime) -> str:
    """"active", "expired" or "lifted"."""
    if ban.lifted_at is not None:
        return "lifted"
    if ban.expires_at is not None and ban.expires_at <= now:
        return "expired"
    return "active"


def normalise_entry(kind: BlocklistKind, raw: str) -> str:
    """A blocklist value in the form the policy compares: lowercase, trimmed, checked.

    :raises ValueError: with a message for the form when the value cannot be one of ``kind``.
    """
    value = " ".join(raw.split()).lower()
    if kind is BlocklistKind.WORD:
        return _normalise_phrase(value)
    if kind is BlocklistKind.DOMAIN:
        value = value.lstrip("@*.").rstrip(".")
    if not value:
        raise ValueError("Please enter a value.")
    if kind is BlocklistKind.EMAIL and not _EMAIL.match(value):
        raise ValueError("Please enter an email address, like name@example.com.")
    if kind is BlocklistKind.DOMAIN and not _DOMAIN.match(value):
        raise ValueError("Please enter a domain, like example.com.")
    if kind is BlocklistKind.IP:
        try:
            ipaddress.ip_address(value)
        except ValueError:
            raise ValueError("Please enter an IP address, like 203.0.113.7.") from None
        value = normalise_ip(value)
    return value


def _normalise_phrase(value: str) -> str:
    """A word or phrase as the word rule compares it: its words, one space apart."""
    words = word_list(value)
    if not value:
        raise ValueError("Please enter a value.")
    if not words:
        raise ValueError("Please enter a word or phrase with letters or digits.")
    if len(words) > MAX_PHRASE_WORDS:
        raise ValueError(f"Please enter at most {MAX_PHRASE_WORDS} words: "
                         "longer phrases are never matched.")
    return " ".join(words)


def add_blocklist_entry(kind: BlocklistKind, raw: str, moderator: User) -> BlocklistEntry:
    """Add a word, email, IP or domain to the blocklist and note it.

    :raises ModerationError: the entry is already on the list.
    """
    value = normalise_entry(kind, raw)
    exists = db.session.scalar(
        select(BlocklistEntry.id).where(BlocklistEntry.kind == kind, BlocklistEntry.value == value)
    )
    if exists is not None:
        raise ModerationError(f"The {kind.value} {value} is already on the blocklist.")
    entry = BlocklistEntry(kind=kind, value=value, created_by_id=moderator.id)
    db.session.add(entry)
    db.session.add(
        AuditEntry(actor=moderator, action=AuditAction.BLOCKLIST_ADD, subject=f"{kind.value} {value}")
    )
    return entry


def remove_blocklist_entry(entry: BlocklistEntry, moderator: User) -> None:
    """Take an entry off the blocklist and note it."""
    db.session.add(
        AuditEntry(
            actor=moderator, action=AuditAction.BLOCKLIST_REMOVE, subject=f"{entry.kind.value} {entry.value}"
        )
    )
    db.session.delete(entry)
