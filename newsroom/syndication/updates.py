"""Following the source after publication: a changed item becomes a pending source update.

A published or scheduled story is never rewritten silently. When its item's content
(headline, standfirst, body, author, dates) changes, ingest records a ``SourceUpdate`` with
the new values; an editor applies it (``apply_source_update``, a recorded revision), or the
outlet's ``auto_apply_source_updates`` applies it at once to stories nobody at the desk has
edited. Nothing here commits.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import select

from newsroom.changes import assign, jsonable
from newsroom.extensions import db
from newsroom.models import Article, ArticleRevision, SourceUpdate, SourceUpdateStatus, User, utcnow

#: Article fields an ingest may change, in the order a change record lists them.
SYNCED_FIELDS = (
    "headline", "standfirst", "body", "byline", "image_url", "original_url",
    "original_author", "original_published_at", "original_updated_at",
)
#: The fields whose change is a change of the story (an image or URL alone is not).
CONTENT_FIELDS = (
    "headline", "standfirst", "body", "original_author", "original_published_at",
    "original_updated_at",
)
DATE_FIELDS = frozenset({"original_published_at", "original_updated_at"})

#: Revision actions: an update applied by an editor, or automatically by the outlet's setting.
APPLIED_ACTION, AUTO_APPLIED_ACTION = "source update applied", "source update auto-applied"
DISMISSED_ACTION = "source update dismissed"
PENDING, APPLIED = "pending", "applied"


class NotPending(Exception):
    """The source update was already applied or replaced by a newer one."""


def content_fingerprint(fields: dict) -> str:
    """A hash of the story's content as the source gives it (``CONTENT_FIELDS`` of ``fields``)."""
    values = [jsonable(fields.get(name)) for name in CONTENT_FIELDS]
    raw = json.dumps(values, ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def copy_fields(article: Article, fields: dict) -> dict:
    """Set ``fields`` on the story; ``{field: [old, new]}`` for those that changed."""
    return assign(article, {name: fields[name] for name in SYNCED_FIELDS if name in fields})


def follow_source(article: Article, fields: dict) -> str | None:
    """Compare a published or scheduled story with its changed item.

    Returns ``"applied"`` (the outlet applies updates and nobody at the desk edited the
    story), ``"pending"`` (a source update now waits for an editor), or None when the
    story's content is what the source already said.
    """
    content = content_fingerprint(fields)
    known = article.source_content_fingerprint
    if known is None:  # a story from before content fingerprints: compare with the story
        known = content_fingerprint({name: getattr(article, name) for name in CONTENT_FIELDS})
    article.source_content_fingerprint = content
    if known == content:
        return None
    _supersede_pending(article)
    update = SourceUpdate(article=article, proposed={k: jsonable(v) for k, v in fields.items()})
    db.session.add(update)
    if article.outlet.auto_apply_source_updates and not article.edited_by_staff:
        _apply(update, user=None, action=AUTO_APPLIED_ACTION)
        return APPLIED
    return PENDING


def pending_update(article: Article) -> SourceUpdate | None:
    """The story's source update waiting for an editor, if any."""
    query = select(SourceUpdate).where(
        SourceUpdate.article_id == article.id, SourceUpdate.status == SourceUpdateStatus.PENDING
    )
    return db.session.scalars(query).first()


def apply_source_update(update: SourceUpdate, user: User | None) -> ArticleRevision:
    """An editor brings a pending source update into the story, as a recorded revision.

    :raises NotPending: it was applied already, or a newer update replaced it.
    """
    if update.status != SourceUpdateStatus.PENDING:
        raise NotPending(f"this source update is {update.status.value}, not pending")
    return _apply(update, user=user, action=APPLIED_ACTION)


def dismiss_source_update(update: SourceUpdate, user: User | None) -> ArticleRevision:
    """An editor keeps the story as it is: the update is closed, recorded as a revision.

    The source's content stays the one last seen, so the same change is not raised again.

    :raises NotPending: it was applied or dismissed already, or a newer update replaced it.
    """
    if update.status != SourceUpdateStatus.PENDING:
        raise NotPending(f"this source update is {update.status.value}, not pending")
    update.status = SourceUpdateStatus.DISMISSED
    revision = ArticleRevision(
        article=update.article, user=user, action=DISMISSED_ACTION,
        changes={"source update": [update.detected_at.isoformat(), "dismissed"]},
    )
    db.session.add(revision)
    return revision


def _apply(update: SourceUpdate, *, user: User | None, action: str) -> ArticleRevision:
    article = update.article
    fields = {
        name: datetime.fromisoformat(value) if name in DATE_FIELDS and value else value
        for name, value in update.proposed.items()
    }
    changes = copy_fields(article, fields)
    update.status = SourceUpdateStatus.APPLIED
    update.applied_at = utcnow()
    update.applied_by = user
    revision = ArticleRevision(article=article, user=user, action=action, changes=changes)
    db.session.add(revision)
    return revision


def _supersede_pending(article: Article) -> None:
    if article.id is None:
        return
    for older in db.session.scalars(
        select(SourceUpdate).where(
            SourceUpdate.article_id == article.id,
            SourceUpdate.status == SourceUpdateStatus.PENDING,
        )
    ):
        older.status = SourceUpdateStatus.SUPERSEDED
