"""A commenter's personal data: export it, erase it, and clear old IPs and user agents.

These functions change the session and never commit; the commands in ``privacy.cli`` do.
The audit never holds the email itself, only a keyed hash of it, so an erasure leaves no
copy of the address behind.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import joinedload, selectinload

from newsroom.comments.identity import ANONYMOUS, email_digest, placeholder_email
from newsroom.comments.policy import domain_and_parents
from newsroom.comments.records import (
    AuditAction,
    Decision,
    in_threads,
    record_decision,
    thread_root,
)
from newsroom import trust
from newsroom.content.versions import bump_comments
from newsroom.extensions import db
from newsroom.privacy.mailing import mailing_export
from newsroom.models import (
    Article,
    AuditEntry,
    Ban,
    BanKind,
    BlocklistEntry,
    BlocklistKind,
    Comment,
    utcnow,
)

REMOVED_BODY = "<p>This comment was removed at its author’s request.</p>"
REMOVED_EXCERPT = "(removed at its author’s request)"
ERASED_REASON = "personal data erased at the commenter's request"

def comments_of(email: str) -> list[Comment]:
    """Every comment written with ``email`` (any case), with its article and decisions."""
    return list(
        db.session.scalars(
            select(Comment)
            .where(Comment.author_email == email.strip().lower())
            .options(joinedload(Comment.article), selectinload(Comment.decisions))
            .order_by(Comment.created_at, Comment.id)
        )
    )


def related_entries(model, kinds, email: str, addresses: set[str]):
    """Bans or blocklist entries naming the email, its domain or one of the addresses used."""
    domains = sorted(domain_and_parents(email.rpartition("@")[2]))
    return list(
        db.session.scalars(
            select(model)
            .where(
                or_(
                    (model.kind == kinds.EMAIL) & (model.value == email),
                    (model.kind == kinds.DOMAIN) & model.value.in_(domains),
                    (model.kind == kinds.IP) & model.value.in_(sorted(addresses)),
                )
            )
            .order_by(model.id)
        )
    )


def export_commenter(email: str, now: datetime) -> dict[str, Any]:
    """Everything stored about the commenter who writes as ``email``.

    :raises LookupError: nothing is stored about that email.
    """
    email = email.strip().lower()
    comments = comments_of(email)
    addresses = {comment.ip_address for comment in comments if comment.ip_address}
    bans = related_entries(Ban, BanKind, email, addresses)
    entries = related_entries(BlocklistEntry, BlocklistKind, email, addresses)
    snapshots = deletion_snapshots(email)
    mailing = mailing_export(email)  # subscriptions, reports with this address, messages
    if not (comments or bans or entries or snapshots or any(mailing.values())):
        raise LookupError(email)
    return {
        "email": email,
        "exported_at": now.isoformat(),
        "comments": [_comment_record(comment) for comment in comments],
        "deleted_comments": [
            {key: value for key, value in entry.detail.items() if key != "email_hmac"}
            | {"deleted_at": _iso(entry.created_at)}
            for entry in snapshots
        ],
        "bans": [_ban_record(ban) for ban in bans],
        "blocklist_entries": [
            {"kind": entry.kind.value, "value": entry.value, "created_at": _iso(entry.created_at)}
            for entry in entries
        ],
        **mailing,
    }


def _comment_record(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.id,
        "article": comment.article.slug,
        "article_headline": comment.article.headline,
        "parent_id": comment.parent_id,
        "status": comment.status.value,
        "name": comment.author_name,
        "email": comment.author_email,
        "website": comment.author_website,
        "body": comment.body,
        "ip_address": comment.ip_address,
        "user_agent": comment.user_agent,
        "created_at": _iso(comment.created_at),
        "held_reasons": list(comment.held_reasons or []),
        "decisions": [
            {
                "at": _iso(decision.created_at),
                "from": decision.from_status,
                "to": decision.to_status,
                "reason": decision.reason,
                "by_staff": decision.moderator_id is not None,
            }
            for decision in comment.decisions
        ],
    }


def deletion_snapshots(email: str) -> list[AuditEntry]:
    """The desk's snapshots of comments deleted from the queue that ``email`` had written."""
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.action == AuditAction.DELETE_COMMENT,
                AuditEntry.detail["email_hmac"].as_string() == email_digest(email),
            )
            .order_by(AuditEntry.id)
        )
    )


def naming_entries(email: str) -> list[AuditEntry]:
    """Audit entries whose subject is the address itself (bans, lifts, blocklist changes)."""
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.subject == f"email {email.strip().lower()}")
            .order_by(AuditEntry.id)
        )
    )


def scrub_audit(email: str, *, drop_text: bool) -> int:
    """Leave no clear name or address of the commenter in the audit log; how many changed.

    Deletion snapshots lose the author's name (and, with ``drop_text``, the excerpt); entries
    about a ban or blocklist entry on the address name it by its keyed hash instead.
    """
    digest = email_digest(email)
    snapshots, naming = deletion_snapshots(email), naming_entries(email)
    for entry in snapshots:
        detail = {**entry.detail, "author_name": ANONYMOUS}
        if drop_text and "excerpt" in detail:
            detail["excerpt"] = REMOVED_EXCERPT
        entry.detail = detail
    for entry in naming:
        entry.subject = f"email erased-{digest[:16]}"
        entry.detail = {**(entry.detail or {}), "email_hmac": digest}
    return len(snapshots) + len(naming)


def _ban_record(ban: Ban) -> dict[str, Any]:
    return {
        "kind": ban.kind.value,
        "value": ban.value,
        "reason": ban.reason,
        "created_at": _iso(ban.created_at),
        "expires_at": _iso(ban.expires_at),
        "lifted_at": _iso(ban.lifted_at),
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def anonymise(comments: list[Comment], email: str) -> None:
    """Keep the moderated text, drop who wrote it."""
    for comment in comments:
        _strip_identity(comment, email)


def _strip_identity(comment: Comment, email: str) -> None:
    comment.author_email = placeholder_email(email)
    comment.author_name = ANONYMOUS
    comment.author_website = ""
    comment.ip_address = None
    comment.user_agent = None
    comment.browser_key = None
    comment.featured_at = None  # an erased commenter's words are no editors' pick any more
    comment.featured_by_id = None


def delete_comments(comments: list[Comment], email: str) -> tuple[int, int]:
    """Delete the commenter's comments, each with a recorded decision.

    One that someone else replied to stays as an anonymous "removed" note, so the replies
    keep their place in the thread. Returns (deleted, kept as notes).
    """
    kept = _answered_by_others(comments)
    gone = {comment.id: comment for comment in comments if comment.id not in kept}
    for comment in comments:
        status = comment.status
        if comment.id in gone:
            record_decision(comment.id, status, Decision.DELETED, ERASED_REASON)
            continue
        _strip_identity(comment, email)
        comment.body = REMOVED_BODY
        record_decision(comment, status, status, f"{ERASED_REASON}; text removed, kept for its replies")
    db.session.flush()
    # Delete the highest of them; the database's cascade takes the replies below.
    tops = [id_ for id_, comment in gone.items() if comment.parent_id not in gone]
    if tops:
        db.session.execute(
            delete(Comment).where(Comment.id.in_(tops)).execution_options(synchronize_session=False)
        )
    for comment in gone.values():
        db.session.expunge(comment)
    return len(gone), len(kept)


def _answered_by_others(comments: list[Comment]) -> set[int]:
    """Ids of the commenter's comments below which someone else's reply sits."""
    mine = {comment.id for comment in comments}
    roots = {thread_root(comment) for comment in comments}
    threads = db.session.execute(
        select(Comment.id, Comment.parent_id).where(in_threads(roots))
    ).all()
    parent_of = {comment_id: parent_id for comment_id, parent_id in threads}
    kept: set[int] = set()
    for comment_id in parent_of:
        if comment_id in mine:
            continue
        ancestor = parent_of.get(comment_id)
        while ancestor is not None:  # someone else's reply keeps every one of mine above it
            if ancestor in mine:
                kept.add(ancestor)
            ancestor = parent_of.get(ancestor)
    return kept


def touch_articles(article_ids: set[int]) -> None:
    """Mark these articles as changed, so no cached copy of their pages keeps an erased name.

    Erasure renames and deletes comments with bulk statements the counters' listener does not
    see, so this raises the articles' comments version too (the page cache's key).
    """
    bump_comments(article_ids)
    if article_ids:
        db.session.execute(
            update(Article)
            .where(Article.id.in_(sorted(article_ids)))
            .values(updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )


def purge_old_data(days: int, now: datetime) -> int:
    """Clear IP addresses and user agents of comments older than ``days``; how many changed."""
    before = now - timedelta(days=days)
    result = db.session.execute(
        update(Comment)
        .where(
            Comment.created_at < before,
            or_(Comment.ip_address.is_not(None), Comment.user_agent.is_not(None)),
        )
        .values(ip_address=None, user_agent=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def audit(action: str, subject: str, **detail) -> None:
    """Record a privacy action; the caller commits."""
    db.session.add(AuditEntry(action=action, subject=subject, detail=detail))
