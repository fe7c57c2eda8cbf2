"""``flask --app wsgi commenters export EMAIL | erase EMAIL [--delete] | purge-old-data [--days N]``.

Each command writes an AuditEntry naming the commenter only by a keyed hash of the email.
"""
from __future__ import annotations

import json
from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from newsroom import trust
from newsroom.comments.identity import ANONYMOUS, email_digest
from newsroom.comments.records import AuditAction
from newsroom.extensions import db
from newsroom.models import Ban, BanKind, BlocklistEntry, BlocklistKind, utcnow
from newsroom.privacy.mailing import erase_mailing, has_mailing
from newsroom.privacy.service import (
    anonymise,
    audit,
    comments_of,
    delete_comments,
    deletion_snapshots,
    export_commenter,
    naming_entries,
    purge_old_data,
    related_entries,
    scrub_audit,
    touch_articles,
)

commenters = AppGroup("commenters", help="A commenter's personal data: export, erase, purge.")


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
    audit(AuditAction.COMMENTER_EXPORT, f"commenter {digest[:16]}", email_hmac=digest,
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
    if not (comments or deletion_snapshots(email) or naming_entries(email) or has_mailing(email)):
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
    mailing = erase_mailing(email)
    audit(AuditAction.COMMENTER_ERASE, f"commenter {digest[:16]}", email_hmac=digest, comment_ids=ids,
          audit_entries_scrubbed=scrubbed, mailing=mailing, **detail)
    db.session.commit()
    click.echo(message)
    if any(mailing.values()):
        click.echo(f"Removed the address from {mailing['subscriptions']} subscription(s), "
                   f"{mailing['report_addresses']} report(s) and {mailing['messages']} "
                   "record(s) of messages sent to it.")
    if scrubbed:
        click.echo(f"Removed their name or address from {scrubbed} audit log entr"
                   f"{'y' if scrubbed == 1 else 'ies'}.")
    _warn_about_bans(email)


def _warn_about_bans(email: str) -> None:
    """Bans and blocklist entries keep naming the email on purpose (they keep the person out)."""
    bans = related_entries(Ban, BanKind, email, set())
    named = [ban for ban in bans if ban.kind is BanKind.EMAIL]
    if named:
        click.echo(f"{len(named)} ban(s) still name this email address; lift them from the desk "
                   "if they should go too.")
    listed = [entry for entry in related_entries(BlocklistEntry, BlocklistKind, email, set())
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
    audit(AuditAction.PURGE_OLD_DATA, f"comments older than {days} days", days=days, comments=cleared,
          before=(now - timedelta(days=days)).isoformat())
    db.session.commit()
    click.echo(
        f"Cleared the IP address and user agent of {cleared} comment(s) older than {days} days."
    )
