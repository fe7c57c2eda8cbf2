"""Corrections on a story: added and removed as recorded revisions, shown to readers when live.

Adding or removing one moves the story's ``updated_at`` and ``corrections_changed_at``
(without raising its edit ``version``, so an editor's open form is not refused) and raises the
site's content version (the story feeds carry corrections; the page cache's front checks that
counter): the page's ETag and cache key, ``Last-Modified``, Atom's ``updated``, the feeds'
validators and JSON-LD's ``dateModified`` all follow at once. A story that never had one
costs its page no query. Nothing here commits.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from newsroom.content.site_version import bump_site
from newsroom.extensions import db
from newsroom.inputs import xml_safe
from newsroom.models import Article, ArticleRevision, Correction, CorrectionKind, User

#: The longest correction text accepted (a correction is a sentence or two, not an article).
MAX_CORRECTION_LENGTH = 2000
ADDED_ACTION, REMOVED_ACTION = "correction added", "correction removed"


def public_corrections(article: Article) -> list[Correction]:
    """The corrections readers see, oldest first: no query for a story that never had one,
    one the first time it is asked otherwise."""
    if article.corrections_changed_at is None:
        return []
    return [correction for correction in article.corrections if correction.is_public]


def pinned_corrections(article: Article) -> list[Correction]:
    """The live corrections the desk also pinned above the comments."""
    return [c for c in public_corrections(article) if c.pinned_above_comments]


def describe(correction: Correction) -> str:
    """'Correction: the text', as the story's history records it."""
    return f"{correction.kind.label}: {correction.text}"


def add_correction(
    article: Article, kind: CorrectionKind, text: str, user: User | None, now: datetime,
    *, pinned: bool = False,
) -> Correction:
    """A dated note on the story, recorded in its history; the text is kept as plain text."""
    correction = Correction(
        article=article, kind=kind, text=xml_safe(text.strip()), created_by=user, created_at=now,
        pinned_above_comments=pinned,
    )
    db.session.add(correction)
    _record(article, ADDED_ACTION, user, now, None, describe(correction))
    return correction


def remove_correction(correction: Correction, user: User | None, now: datetime) -> bool:
    """Take the note off the story: it stays in the history with who removed it and when.

    False when it was removed already.
    """
    if correction.removed_at is not None:
        return False
    correction.removed_at, correction.removed_by = now, user
    _record(correction.article, REMOVED_ACTION, user, now, describe(correction), None)
    return True


def _record(article: Article, action: str, user, now: datetime, old, new) -> None:
    db.session.add(ArticleRevision(
        article=article, user=user, action=action, created_at=now,
        changes={"correction": [old, new]},
    ))
    touch(article, now)


def touch(article: Article, now: datetime) -> None:
    """Move the story's ``updated_at`` (and ``corrections_changed_at``) to ``now`` in this
    transaction, leaving its version."""
    table = Article.__table__
    db.session.execute(update(table).where(table.c.id == article.id).values(
        updated_at=now, corrections_changed_at=now))
    db.session.expire(article, ["updated_at", "corrections_changed_at"])
    bump_site(db.session(), content=True)  # an UPDATE the ORM's listener does not see
