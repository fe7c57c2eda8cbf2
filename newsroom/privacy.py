"""A commenter's personal data: export it, erase it, and clear old IPs and user agents.

``flask --app wsgi commenters export EMAIL | erase EMAIL [--delete] | purge-old-data [--days N]``.
Each command writes an AuditEntry; the audit never holds the email itself, only a keyed
hash of it, so an erasure leaves no copy of the address behind.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timedelta
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import joinedload, selectinload

from newsroom import trust
from newsroom.extensions import db
from newsroom.policy import domain_and_parents
from newsroom.models import (
    Article,
    AuditEntry,
    Ban,
    BanKind,
    BlocklistEntry,
    BlocklistKind,
    Comment,
    ModerationDecision,
    utcnow,
)

ANONYMOUS = "Anonymous"
REMOVED_BODY = "<p>This comment was removed at its author’s request.</p>"
REMOVED_EXCERPT = "(removed at its author’s request)"
ERASED_REASON = "personal data erased at the commenter's request"
#: The reserved top-level domain (RFC 2606) of the address an erased comment keeps.
PLACEHOLDER_DOMAIN = "invalid"
#: The audit action of the snapshot the moderation desk keeps of a deleted comment; its
#: detail names the author and holds ``email_hmac``, never the address.
DELETE_SNAPSHOT = "delete-comment"

commenters = AppGroup("commenters", help="A commenter's personal data: export, erase, purge.")


def email_digest(email: str) -> str:
    """A keyed hash of ``email``: links records about one commenter without keeping the address."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()


def placeholder_email(email: str) -> str:
    """What an erased comment keeps in its (required) email column."""
    return f"erased-{email_digest(email)[:16]}@{PLACEHOLDER_DOMAIN}"


def is_placeholder_email(email: str) -> bool:
    """Whether ``email`` is what an erasure left, not anyone's address."""
    return email.lower().endswith(f"@{PLACEHOLDER_DOMAIN}")


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


def _related(model, kinds, email: str, addresses: set[str]):
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
    bans = _related(Ban, BanKind, email, addresses)
    entries = _related(BlocklistEntry, BlocklistKind, email, addresses)
    snapshots = deletion_snapshots(email)
    if not (comments or bans or entries or snapshots):
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
                AuditEntry.action == DELETE_SNAPSHOT,
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


def delete_comments(comments: list[Comment], email: str) -> tuple[int, int]:
    """Delete the commenter's comments, each with a recorded decision.

    One that someone else replied to stays as an anonymous "removed" note, so the replies
    keep their place in the thread. Returns (deleted, kept as notes).
    """
    kept = _answered_by_others(comments)
    gone = {comment.id: comment for comment in comments if comment.id not in kept}
    for comment in comments:
        status = comment.status.value
        if comment.id in gone:
            _record(comment.id, status, "deleted", ERASED_REASON)
            continue
        _strip_identity(comment, email)
        comment.body = REMOVED_BODY
        _record(comment.id, status, status, f"{ERASED_REASON}; text removed, kept for its replies")
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


def _record(comment_id: int, from_status: str, to_status: str, reason: str) -> None:
    db.session.add(
        ModerationDecision(
            comment_id=comment_id,
            comment_ref=comment_id,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
        )
    )


def _answered_by_others(comments: list[Comment]) -> set[int]:
    """Ids of the commenter's comments below which someone else's reply sits."""
    mine = {comment.id for comment in comments}
    roots = {comment.thread_id or comment.id for comment in comments}
    threads = db.session.execute(
        select(Comment.id, Comment.parent_id).where(
            or_(Comment.thread_id.in_(roots), Comment.id.in_(roots))
        )
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

    A renamed comment changes neither the count, the ids nor the text the page cache and the
    ETags are keyed by; the article's ``updated_at`` is part of that key.
    """
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


def _checked_email(email: str) -> str:
    email = email.strip().lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email:
        raise click.UsageError(f"{email!r} is not an email address.")
    return email


@commenters.command("export")
@click.argument("email")
def export_command(email: str) -> None:
    """Print, as JSON, everything stored about the commenter who writes as EMAIL."""
    email = _checked_email(email)
    try:
        data = export_commenter(email, utcnow())
    except LookupError:
        raise click.ClickException("Nothing is stored about that email address.") from None
    digest = email_digest(email)
    audit("commenter-export", f"commenter {digest[:16]}", email_hmac=digest,
          comments=len(data["comments"]))
    db.session.commit()
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@commenters.command("erase")
@click.argument("email")
@click.option("--delete", "delete", is_flag=True,
              help="Delete the comments instead of keeping their text as anonymous.")
def erase_command(email: str, delete: bool) -> None:
    """Remove EMAIL's name, email, website, IP and user agent from their comments."""
    email = _checked_email(email)
    comments = comments_of(email)
    if not (comments or deletion_snapshots(email) or naming_entries(email)):
        raise click.ClickException("Nothing is stored about that email address.")
    digest, ids = email_digest(email), [comment.id for comment in comments]
    touch_articles({comment.article_id for comment in comments})
    if delete:
        deleted, kept = delete_comments(comments, email)
        detail = {"mode": "delete", "deleted": deleted, "kept_for_replies": kept}
        message = f"Deleted {deleted} comment(s); {kept} kept as anonymous notes for their replies."
    else:
        anonymise(comments, email)
        detail = {"mode": "anonymise", "anonymised": len(comments)}
        message = f"Anonymised {len(comments)} comment(s); their text stays as {ANONYMOUS}."
    scrubbed = scrub_audit(email, drop_text=delete)
    trust.forget(email)
    audit("commenter-erase", f"commenter {digest[:16]}", email_hmac=digest, comment_ids=ids,
          audit_entries_scrubbed=scrubbed, **detail)
    db.session.commit()
    click.echo(message)
    if scrubbed:
        click.echo(f"Removed their name or address from {scrubbed} audit log entr"
                   f"{'y' if scrubbed == 1 else 'ies'}.")
    _warn_about_bans(email)


def _warn_about_bans(email: str) -> None:
    """Bans and blocklist entries keep naming the email on purpose (they keep the person out)."""
    bans = _related(Ban, BanKind, email, set())
    named = [ban for ban in bans if ban.kind is BanKind.EMAIL]
    if named:
        click.echo(f"{len(named)} ban(s) still name this email address; lift them from the desk "
                   "if they should go too.")
    listed = [entry for entry in _related(BlocklistEntry, BlocklistKind, email, set())
              if entry.kind is BlocklistKind.EMAIL]
    if listed:
        click.echo("The blocklist still names this email address; remove it from the desk "
                   "if it should go too.")


@commenters.command("purge-old-data")
@click.option("--days", type=click.IntRange(min=0), default=None,
              help="Keep IPs and user agents this many days "
                   "(default: PERSONAL_DATA_RETENTION_DAYS).")
def purge_command(days: int | None) -> None:
    """Clear IP addresses and user agents of comments older than the retention period."""
    if days is None:
        days = int(current_app.config["PERSONAL_DATA_RETENTION_DAYS"])
    now = utcnow()
    cleared = purge_old_data(days, now)
    audit("purge-old-data", f"comments older than {days} days", days=days, comments=cleared,
          before=(now - timedelta(days=days)).isoformat())
    db.session.commit()
    click.echo(
        f"Cleared the IP address and user agent of {cleared} comment(s) older than {days} days."
    )
