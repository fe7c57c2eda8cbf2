"""Rights expiry: a periodic job applies each story's ``expiry_action`` once ``expires_at`` passes.

``unpublish`` makes the story a draft again (its page answers 404, as any unpublished story's);
``noindex`` keeps it up with ``<meta name="robots" content="noindex">`` and ``X-Robots-Tag``.
Either is recorded as a revision and in the audit log, and sets ``rights_expired_at``: saving
the story bumps its version, which is what the page cache and the page's ETag are keyed on.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, select

from newsroom.extensions import db
from newsroom.jobs import handler, periodic
from newsroom.models import Article, ArticleRevision, AuditEntry, ExpiryAction, utcnow
from newsroom.syndication.withdrawals import queue_unless_waiting

APPLY_EXPIRY = "apply-rights-expiry"
QUEUE_EVERY = timedelta(minutes=15)
#: The most stories one run changes (the rest wait for the next run).
PER_RUN = 500
EXPIRED_ACTION = "rights expired"


def expiring_by(when: datetime) -> ColumnElement[bool]:
    """Published or scheduled stories (not in the trash) whose rights expire by ``when`` and
    whose expiry is not applied yet: what the job applies, and the desk's "lapsing soon"."""
    return (
        Article.expires_at.is_not(None)
        & (Article.expires_at <= when)
        & Article.rights_expired_at.is_(None)
        & Article.published_at.is_not(None)
        & Article.deleted_at.is_(None)
    )


def expired(now: datetime, limit: int = PER_RUN) -> list[Article]:
    """Published or scheduled stories whose rights expired and whose expiry is not applied yet."""
    return list(db.session.scalars(
        select(Article).where(expiring_by(now))
        .order_by(Article.expires_at, Article.id).limit(limit)
    ))


def apply_expiry(article: Article, now: datetime) -> None:
    """Unpublish the story or keep it out of search results, recording which; no commit."""
    changes: dict = {"rights_expired_at": [None, now.isoformat()]}
    article.rights_expired_at = now
    if article.expiry_action == ExpiryAction.UNPUBLISH:
        changes["published_at"] = [article.published_at.isoformat(), None]
        article.published_at = None
    db.session.add(ArticleRevision(article=article, action=EXPIRED_ACTION, changes=changes))
    db.session.add(AuditEntry(
        action="rights-expired", subject=f"article {article.id}",
        detail={"expiry_action": article.expiry_action.value,
                "expires_at": article.expires_at.isoformat()},
    ))


@handler(APPLY_EXPIRY)
def apply_rights_expiry(payload: dict) -> str:
    """Apply the expiry of every story whose republishing rights have ended."""
    now = utcnow()
    stories = expired(now)
    for article in stories:
        apply_expiry(article, now)
    db.session.commit()
    return f"applied the rights expiry of {len(stories)} story(ies)"


@periodic
def queue_rights_expiry(now: datetime) -> None:
    """Queue the expiry job every QUEUE_EVERY when a story's rights expired (unless waiting)."""
    if expired(now, limit=1):
        queue_unless_waiting(APPLY_EXPIRY, now, QUEUE_EVERY)
