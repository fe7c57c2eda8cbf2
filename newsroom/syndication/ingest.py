"""The ingest service: fetch an outlet's feed and turn its items into draft (or published) stories.

Nothing here commits; the caller (the desk view, the CLI) does. A failed fetch or parse
writes nothing but the IngestRun that records the error.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import or_, select

from newsroom.extensions import db
from newsroom.models import Article, ArticleRevision, IngestRun, Outlet, utcnow
from newsroom.outbound import configured_policy
from newsroom.slugs import unique_slug
from newsroom.syndication.fetching import (
    Fetched,
    FetchError,
    FetchSettings,
    fetch_url,
    is_http_url,
    read_file,
)
from newsroom.syndication.parsing import Feed, FeedItem, NotAFeed, parse_feed

logger = logging.getLogger(__name__)

USER_AGENT = "Newsroom/0.1"
MAX_SOURCE = 500
MAX_ERROR = 500
_SCHEME_PREFIX = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")

#: The revision actions ingest records (with no user) on the stories it creates or updates.
CREATED_ACTION, UPDATED_ACTION = "ingested", "ingest update"

#: Article fields an ingest update may change, in the order the change record lists them.
SYNCED_FIELDS = (
    "headline", "standfirst", "body", "byline", "image_url", "original_url",
    "original_author", "original_published_at", "original_updated_at",
)


@dataclass
class IngestReport:
    """An IngestRun plus the warnings worth showing whoever started it."""

    run: IngestRun
    warnings: list[str] = field(default_factory=list)


def ingest_outlet(outlet: Outlet, *, publish: bool | None = None) -> IngestRun:
    """Fetch ``outlet.feed_url`` (conditional GET) and ingest it; the caller commits."""
    return run_ingest(outlet, outlet.feed_url or "", publish=publish, conditional=True).run


def ingest_source(source: str, outlet: Outlet, *, publish: bool | None = None) -> IngestRun:
    """Ingest a feed from an http(s) URL or a file path for ``outlet``; the caller commits."""
    return run_ingest(outlet, source, publish=publish).run


def run_ingest(
    outlet: Outlet, source: str, *, publish: bool | None = None, conditional: bool = False
) -> IngestReport:
    """Fetch, parse and apply a feed, recording an IngestRun; never raises for a bad feed."""
    run = IngestRun(
        outlet=outlet, source=source[:MAX_SOURCE], started_at=utcnow(),
        created=0, updated=0, skipped=0, not_modified=False,
    )
    db.session.add(run)
    report = IngestReport(run)
    try:
        fetched = _fetch(source, outlet, conditional)
        if fetched.not_modified:
            run.not_modified = True
        else:
            feed = parse_feed(
                fetched.content,
                base_url=_item_base(fetched, outlet),
                content_type=fetched.content_type,
            )
            _apply_safely(feed, outlet, report, _publish_time(outlet, publish))
            if not run.error and is_http_url(source) and source == outlet.feed_url:
                outlet.feed_etag = _fitting(fetched.etag, Outlet.feed_etag)
                outlet.feed_last_modified = _fitting(
                    fetched.last_modified, Outlet.feed_last_modified
                )
    except (FetchError, NotAFeed) as error:
        run.error = str(error)
    run.finished_at = utcnow()
    _log(outlet, run)
    return report


def _fitting(value: str | None, column) -> str | None:
    """``value`` if it fits ``column``; a validator too long to keep is simply not sent."""
    return value if value is None or len(value) <= column.type.length else None


def fetch_settings() -> FetchSettings:
    """Timeout, size cap, redirects and User-Agent from the app's configuration."""
    config = current_app.config
    site = config.get("SITE_URL")
    return FetchSettings(
        user_agent=f"{USER_AGENT} (+{site})" if site else USER_AGENT,
        timeout=float(config["SYNDICATION_FETCH_TIMEOUT"]),
        max_bytes=int(config["SYNDICATION_MAX_FEED_BYTES"]),
        max_redirects=int(config["SYNDICATION_MAX_REDIRECTS"]),
        policy=configured_policy(),
    )


def _fetch(source: str, outlet: Outlet, conditional: bool) -> Fetched:
    if not source.strip():
        raise FetchError(f"{outlet.name} has no feed URL")
    settings = fetch_settings()
    if is_http_url(source):
        if conditional:
            return fetch_url(
                source,
                settings,
                etag=outlet.feed_etag,
                last_modified=outlet.feed_last_modified,
            )
        return fetch_url(source, settings)
    if _SCHEME_PREFIX.match(source) and not Path(source).exists():
        raise FetchError(f"not an http(s) URL or a file path: {source[:200]}")
    return read_file(source, settings)


def _item_base(fetched: Fetched, outlet: Outlet) -> str | None:
    """What a relative item link is relative to: the feed's address, else the outlet's site."""
    return fetched.url if is_http_url(fetched.url) else outlet.homepage_url


def _publish_time(outlet: Outlet, publish: bool | None) -> datetime | None:
    publish = outlet.auto_publish if publish is None else publish
    return utcnow() if publish else None


def _apply_safely(feed: Feed, outlet: Outlet, report: IngestReport, publish_at) -> None:
    """Apply the feed inside a savepoint: an unexpected failure leaves no story behind."""
    counts = {"created": 0, "updated": 0, "skipped": 0}
    try:
        with db.session.begin_nested():
            _apply(feed, outlet, report, publish_at, counts)
    except Exception as error:  # noqa: BLE001 - recorded on the run for the desk to show
        logger.exception("ingest of %s failed", outlet.name)
        text = " ".join(f"ingest failed: {type(error).__name__}: {error}".split())
        report.run.error = text[:MAX_ERROR]
        report.warnings.clear()
        return
    report.run.created = counts["created"]
    report.run.updated = counts["updated"]
    report.run.skipped = counts["skipped"]


def _apply(feed: Feed, outlet: Outlet, report: IngestReport, publish_at, counts) -> None:
    by_guid, by_url = _existing(outlet, feed.items)
    seen: set[int] = set()
    for item in feed.items:
        if not item.link:
            counts["skipped"] += 1
            report.warnings.append(f"skipped “{item.title[:80]}”: the item has no link")
            continue
        article = (by_guid.get(item.guid) if item.guid else None) or by_url.get(item.link)
        if article is None:
            article = _create(item, outlet, publish_at)
            counts["created"] += 1
        elif id(article) not in seen and _update(article, item):
            counts["updated"] += 1
        else:
            counts["skipped"] += 1
        seen.add(id(article))
        if item.guid:
            by_guid.setdefault(item.guid, article)
        by_url.setdefault(item.link, article)


def _existing(outlet: Outlet, items: list[FeedItem]):
    """The outlet's stories matching any item's guid or link, in one query."""
    guids = {item.guid for item in items if item.guid}
    urls = {item.link for item in items if item.link}
    if outlet.id is None or not (guids or urls):
        return {}, {}
    query = select(Article).where(
        Article.outlet_id == outlet.id,
        or_(Article.feed_guid.in_(guids), Article.original_url.in_(urls)),
    )
    by_guid: dict[str, Article] = {}
    by_url: dict[str, Article] = {}
    for article in db.session.scalars(query):
        if article.feed_guid:
            by_guid[article.feed_guid] = article
        if article.original_url:
            by_url.setdefault(article.original_url, article)
    return by_guid, by_url


def _fields(item: FeedItem) -> dict:
    """An item's values for the article fields ingest owns."""
    return {
        "headline": item.title,
        "standfirst": item.standfirst,
        "body": item.body,
        "byline": item.author,
        "image_url": item.image_url,
        "original_url": item.link,
        "original_author": item.author,
        "original_published_at": item.published,
        "original_updated_at": item.updated,
    }


def _create(item: FeedItem, outlet: Outlet, publish_at) -> Article:
    article = Article(
        slug=unique_slug(item.title),
        outlet=outlet,
        feed_guid=item.guid,
        published_at=publish_at,
        **_fields(item),
    )
    db.session.add(article)
    changes = {"published_at": [None, publish_at.isoformat()]} if publish_at else {}
    db.session.add(
        ArticleRevision(article=article, user=None, action=CREATED_ACTION, changes=changes)
    )
    return article


def _update(article: Article, item: FeedItem) -> bool:
    """Bring an untouched draft up to date with its original; False when left alone."""
    if article.published_at is not None or article.edited_by_staff:
        return False
    changes = {}
    for name, new in _fields(item).items():
        old = getattr(article, name)
        if old != new:
            changes[name] = [_jsonable(old), _jsonable(new)]
            setattr(article, name, new)
    if article.feed_guid is None and item.guid:
        article.feed_guid = item.guid
        changes["feed_guid"] = [None, item.guid]
    if not changes:
        return False
    db.session.add(
        ArticleRevision(article=article, user=None, action=UPDATED_ACTION, changes=changes)
    )
    return True


def _jsonable(value):
    return value.isoformat() if isinstance(value, datetime) else value


def _log(outlet: Outlet, run: IngestRun) -> None:
    if run.error:  # INFO: the run records it, and a warning would double the CLI's one line
        logger.info("ingest of %s from %s failed: %s", outlet.name, run.source, run.error)
    else:
        logger.info(
            "ingested %s: %d created, %d updated, %d skipped%s", outlet.name, run.created,
            run.updated, run.skipped, " (not modified)" if run.not_modified else "",
        )
