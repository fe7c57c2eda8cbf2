"""Has the source withdrawn it? A periodic check of published syndicated stories' original URLs.

Each published story from an outlet is checked at most once a day (``CHECK_EVERY``), at most
``CHECKS_PER_RUN`` per run, least recently checked first, so a run stays bounded however many
stories there are. The check is a HEAD through the guarded client (newsroom/outbound), falling
back to a GET without reading the body when HEAD is not answered usefully. 404 or 410 marks the
story "Source withdrawn?" (``withdrawn_at``) and, for an outlet with
``auto_unpublish_withdrawn``, unpublishes it, with a reader-facing note (410) if it was public;
any 2xx clears the mark; anything else (5xx, 403, a timeout) changes nothing but the time checked.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from newsroom import outbound
from newsroom.content.articles import is_published
from newsroom.extensions import db
from newsroom.jobs import enqueue, handler, periodic
from newsroom.models import Article, ArticleRevision, AuditEntry, Job, JobStatus, utcnow
from newsroom.syndication.fetching import is_http_url
from newsroom.syndication.ingest import fetch_settings

log = logging.getLogger(__name__)

CHECK_SOURCES = "check-sources"
#: How often the job is queued, how many stories one run checks, how often a story is checked.
QUEUE_EVERY = timedelta(hours=1)
CHECKS_PER_RUN = 50
CHECK_EVERY = timedelta(days=1)
GONE = frozenset({404, 410})
#: Revision actions and the audit action of an automatic unpublication.
WITHDRAWN_ACTION, RESTORED_ACTION = "source withdrawn", "source back"
UNPUBLISHED_ACTION = "unpublished: source withdrawn"


class Outcome(Enum):
    GONE = "gone"
    FOUND = "found"
    UNKNOWN = "unknown"


def probe(url: str) -> Outcome:
    """HEAD ``url`` (then GET, unread, if HEAD gives neither 2xx nor 404/410) through the guard."""
    if not is_http_url(url):
        return Outcome.UNKNOWN
    outcome = _ask("HEAD", url)
    return outcome if outcome is not Outcome.UNKNOWN else _ask("GET", url)


def _ask(method: str, url: str) -> Outcome:
    settings = fetch_settings()
    try:
        response = outbound.request(
            method, url, policy=settings.policy,
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "identity"},
            limits=outbound.Limits(settings.timeout, settings.max_bytes, settings.max_redirects),
            subject="the original story", read_body=False,
        )
    except outbound.HTTPStatusError as error:
        return Outcome.GONE if error.status in GONE else Outcome.UNKNOWN
    except outbound.OutboundError as error:
        log.info("source check of %s failed: %s", url[:200], error)
        return Outcome.UNKNOWN
    return Outcome.FOUND if 200 <= response.status < 300 else Outcome.UNKNOWN


def due_for_check(now: datetime, limit: int | None = None) -> list[Article]:
    """Published syndicated stories not checked in CHECK_EVERY, least recently checked first."""
    query = (
        select(Article)
        .where(
            Article.outlet_id.is_not(None), Article.original_url.is_not(None), is_published(now),
            or_(Article.source_checked_at.is_(None),
                Article.source_checked_at <= now - CHECK_EVERY),
        )
        .options(joinedload(Article.outlet))
        .order_by(Article.source_checked_at.is_not(None), Article.source_checked_at, Article.id)
        .limit(CHECKS_PER_RUN if limit is None else limit)
    )
    return list(db.session.scalars(query).unique())


def check_article(article: Article, now: datetime) -> Outcome:
    """Check one story's original URL and record what it says; the caller commits."""
    outcome = probe(article.original_url or "")
    article.source_checked_at = now
    if outcome is Outcome.GONE:
        _gone(article, now)
    elif outcome is Outcome.FOUND and article.withdrawn_at is not None:
        db.session.add(ArticleRevision(article=article, action=RESTORED_ACTION, changes={
            "withdrawn_at": [article.withdrawn_at.isoformat(), None]}))
        article.withdrawn_at = None
    return outcome


def _gone(article: Article, now: datetime) -> None:
    if article.withdrawn_at is None:
        article.withdrawn_at = now
        db.session.add(ArticleRevision(article=article, action=WITHDRAWN_ACTION, changes={
            "withdrawn_at": [None, now.isoformat()]}))
    if not article.outlet.auto_unpublish_withdrawn or article.published_at is None:
        return
    was_public = article.is_published(now)
    old = article.published_at
    article.published_at = None
    article.withdrawn_notice = was_public
    db.session.add(ArticleRevision(article=article, action=UNPUBLISHED_ACTION, changes={
        "published_at": [old.isoformat(), None]}))
    db.session.add(AuditEntry(action="unpublish-withdrawn", subject=f"article {article.id}",
                              detail={"original_url": article.original_url, "public": was_public}))


@handler(CHECK_SOURCES)
def check_sources(payload: dict) -> str:
    """Check a bounded batch of published syndicated stories' original URLs."""
    now = utcnow()
    counts = dict.fromkeys(Outcome, 0)
    for article in due_for_check(now):
        counts[check_article(article, now)] += 1
        db.session.commit()  # one story at a time: a slow source does not hold the others
    return (f"checked {sum(counts.values())} original(s): {counts[Outcome.GONE]} gone, "
            f"{counts[Outcome.FOUND]} found, {counts[Outcome.UNKNOWN]} unknown")


@periodic
def queue_source_checks(now: datetime) -> None:
    """Queue the source check once an hour when a story is due (unless one is waiting)."""
    if due_for_check(now, limit=1):
        queue_unless_waiting(CHECK_SOURCES, now, QUEUE_EVERY)


def queue_unless_waiting(name: str, now: datetime, every: timedelta) -> None:
    waiting = db.session.scalar(select(Job.id).where(
        Job.key == name, Job.status.in_((JobStatus.PENDING, JobStatus.RUNNING))))
    last = db.session.scalar(
        select(Job.created_at).where(Job.name == name).order_by(Job.created_at.desc()).limit(1))
    if waiting is None and (last is None or last <= now - every):
        enqueue(name, key=name)
