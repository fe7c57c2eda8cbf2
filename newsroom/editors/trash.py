"""The trash: a deleted story is hidden everywhere, restorable for 30 days, then purged."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from newsroom.editors.services import PublishRefused, publish_now, record, unpublish
from newsroom.extensions import db
from newsroom.jobs import enqueue, handler, periodic
from newsroom.models import Article, Job, JobStatus, User, utcnow

#: How long a story stays restorable in the trash.
TRASH_DAYS = 30
#: The periodic job that empties the trash, and how often it is queued.
EMPTY_TRASH = "empty-trash"
EMPTY_TRASH_EVERY = timedelta(hours=1)
#: What a bulk action may do, and the word its message uses.
BULK_ACTIONS = {"publish": "published", "unpublish": "unpublished", "trash": "moved to the trash"}


def trash(article: Article, user: User, now: datetime) -> None:
    """Move the story to the trash; its page answers 410 Gone from now on."""
    article.deleted_at = now
    record(article, user, "trashed", {"deleted_at": [None, now.isoformat()]})


def restore(article: Article, user: User) -> None:
    """Take the story out of the trash, in the state (draft, scheduled, published) it had."""
    old = article.deleted_at
    article.deleted_at = None
    record(article, user, "restored from trash", {"deleted_at": [_iso(old), None]})


def purge_before(now: datetime) -> int:
    """Delete for good the stories trashed more than TRASH_DAYS ago; how many."""
    cutoff = now - timedelta(days=TRASH_DAYS)
    stories = db.session.scalars(select(Article).where(Article.deleted_at <= cutoff)).all()
    for article in stories:
        db.session.delete(article)
    return len(stories)


@handler(EMPTY_TRASH)
def empty_trash(payload: dict) -> str:
    """Delete for good the stories that have been in the trash for more than TRASH_DAYS."""
    purged = purge_before(utcnow())
    db.session.commit()
    return f"deleted {purged} story(ies) trashed more than {TRASH_DAYS} days ago"


@periodic
def queue_empty_trash(now: datetime) -> None:
    """Queue the trash's emptying once an hour (unless one is already waiting)."""
    waiting = db.session.scalar(select(Job.id).where(
        Job.key == EMPTY_TRASH, Job.status.in_((JobStatus.PENDING, JobStatus.RUNNING))))
    last = db.session.scalar(select(func.max(Job.created_at)).where(Job.name == EMPTY_TRASH))
    if waiting is None and (last is None or last <= now - EMPTY_TRASH_EVERY):
        enqueue(EMPTY_TRASH, key=EMPTY_TRASH)


def purge_date(article: Article) -> datetime | None:
    """When a story in the trash will be deleted for good."""
    return article.deleted_at + timedelta(days=TRASH_DAYS) if article.deleted_at else None


def bulk(action: str, articles: list[Article], user: User, now: datetime) -> tuple[int, int]:
    """Apply ``action`` to each story it fits; (done, refused or already so)."""
    done = skipped = 0
    for article in articles:
        if _apply(action, article, user, now):
            done += 1
        else:
            skipped += 1
    return done, skipped


def _apply(action: str, article: Article, user: User, now: datetime) -> bool:
    if article.deleted_at is not None:
        return False
    if action == "trash":
        trash(article, user, now)
        return True
    if action == "unpublish":
        if article.published_at is None:
            return False
        unpublish(article, user)
        return True
    if article.is_published(now):
        return False
    try:
        publish_now(article, user, now)
    except PublishRefused:
        return False
    return True


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
