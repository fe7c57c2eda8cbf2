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
)
from newsroom.syndication.files import read_feed_file
from newsroom.syndication.parsing import FeedItem, NotAFeed, SourceFeed, SourceItem, read_feed
from newsroom.syndication.updates import (
    APPLIED,
    PENDING,
    content_fingerprint,
    copy_fields,
    follow_source,
)

logger = logging.getLogger(__name__)

USER_AGENT = "Newsroom/0.1"
MAX_SOURCE = 500
MAX_ERROR = 500
_SCHEME_PREFIX = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")

#: The rights columns a story copies from its outlet when ingest creates it.
RIGHTS_FIELDS = (
    "licence", "licence_text", "credit_line", "embargo_until", "expires_at", "expiry_action",
)
#: The revision actions ingest records (with no user) on the stories it creates or updates.
CREATED_ACTION, UPDATED_ACTION = "ingested", "ingest update"


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
        created=0, updated=0, skipped=0, source_updates=0, source_updates_applied=0,
        not_modified=False,
    )
    db.session.add(run)
    report = IngestReport(run)
    try:
        fetched = _fetch(source, outlet, conditional)
        if fetched.not_modified:
            run.not_modified = True
        else:
            feed = read_feed(
                fetched.content,
                base_url=fetched.url if is_http_url(fetched.url) else None,
                fallback_url=outlet.homepage_url,
                content_type=fetched.content_type,
            )
            report.warnings.extend(feed.warnings)
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
    if conditional and not is_http_url(source):
        # An outlet's own feed is fetched over HTTP(S) only: a stored file path must never make
        # the cron read a server-side file (file paths are for `syndication ingest` alone).
        raise FetchError(f"not an http(s) URL: {source[:200]}")
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
    return read_feed_file(source, settings)


def _publish_time(outlet: Outlet, publish: bool | None) -> datetime | None:
    publish = outlet.auto_publish if publish is None else publish
    return utcnow() if publish else None


def _apply_safely(feed: SourceFeed, outlet: Outlet, report: IngestReport, publish_at) -> None:
    """Apply the feed inside a savepoint: an unexpected failure leaves no story behind."""
    counts = dict.fromkeys(_COUNTS, 0)
    try:
        # No autoflush: new stories are written in one batch when the savepoint ends, not
        # one by one before each slug look-up (the look-up is told the slugs given out).
        with db.session.begin_nested(), db.session.no_autoflush:
            _apply(feed, outlet, report, publish_at, counts)
    except Exception as error:  # noqa: BLE001 - recorded on the run for the desk to show
        logger.exception("ingest of %s failed", outlet.name)
        text = " ".join(f"ingest failed: {type(error).__name__}: {error}".split())
        report.run.error = text[:MAX_ERROR]
        report.warnings.clear()
        return
    for name in _COUNTS:
        setattr(report.run, name, counts[name])


#: What a run counts (IngestRun columns of the same names).
_COUNTS = ("created", "updated", "skipped", "source_updates", "source_updates_applied")


def _apply(feed: SourceFeed, outlet: Outlet, report: IngestReport, publish_at, counts) -> None:
    """Create or update a story per item; unchanged items (same fingerprint) are not cleaned."""
    known = _Known.load(outlet, feed.sources)
    seen: set[tuple[str, str]] = set()
    for source in feed.sources:
        if source.problem:
            _skip(report, counts, source, source.problem)
            continue
        identity = ("guid", source.guid) if source.guid else ("link", source.link)
        if identity in seen:
            _skip(report, counts, source, _duplicate(source))
            continue
        seen.add(identity)
        article = known.match(source)
        if article is None:
            item = source.clean()
            report.warnings.extend(item.warnings)
            article = _create(item, outlet, publish_at, known.slugs)
            known.add(article, source)
            counts["created"] += 1
        else:
            outcome = _refresh(article, source, report)
            counts["source_updates" if outcome in (PENDING, APPLIED) else outcome] += 1
            counts["source_updates_applied"] += outcome == APPLIED


def _skip(report: IngestReport, counts: dict, source: SourceItem, why: str) -> None:
    counts["skipped"] += 1
    report.warnings.append(f"skipped “{source.title[:80] or 'an untitled item'}”: {why}")


def _duplicate(source: SourceItem) -> str:
    if source.guid:
        return f"a duplicate of an earlier item with the same guid ({source.guid[:80]})"
    return f"a duplicate of an earlier item with the same link and no guid ({source.link[:80]})"


@dataclass
class _Known:
    """The outlet's stories an item may be: by guid, and (for stories without one) by link.

    The guid is an item's identity when it has one; the link only when it has none. So items
    that share a link but not a guid (a podcast's episodes pointing at one page) stay apart.
    """

    by_guid: dict[str, Article]
    by_link: dict[str, Article]
    #: Slugs given to the stories this run created (not flushed yet).
    slugs: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, outlet: Outlet, sources: list[SourceItem]) -> _Known:
        """The outlet's stories matching any item's guid or link, in one query."""
        guids = {source.guid for source in sources if source.guid}
        links = {source.link for source in sources if source.link}
        known = cls({}, {})
        if outlet.id is None or not (guids or links):
            return known
        query = select(Article).where(
            Article.outlet_id == outlet.id,
            or_(Article.feed_guid.in_(guids), Article.original_url.in_(links)),
        ).order_by(Article.id)
        for article in db.session.scalars(query):
            if article.feed_guid:
                known.by_guid[article.feed_guid] = article
            elif article.original_url:
                known.by_link.setdefault(article.original_url, article)
        return known

    def match(self, source: SourceItem) -> Article | None:
        """The story this item is; an item that gained a guid finds its story by link."""
        if source.guid and source.guid in self.by_guid:
            return self.by_guid[source.guid]
        article = self.by_link.get(source.link)
        if article is not None and source.guid:
            del self.by_link[source.link]  # claimed: its guid is now this item's
        return article

    def add(self, article: Article, source: SourceItem) -> None:
        self.slugs.add(article.slug)
        if source.guid:
            self.by_guid[source.guid] = article


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


def outlet_rights(outlet: Outlet) -> dict:
    """The outlet's rights defaults, as a new story of it starts with them."""
    return {name: getattr(outlet, name) for name in RIGHTS_FIELDS}


def _create(item: FeedItem, outlet: Outlet, publish_at, taken: set[str]) -> Article:
    if publish_at is not None and outlet.embargo_until and outlet.embargo_until > publish_at:
        publish_at = outlet.embargo_until  # auto-publish waits for the embargo: scheduled
    article = Article(
        slug=unique_slug(item.title, also_taken=taken),
        outlet=outlet,
        feed_guid=item.guid,
        source_fingerprint=item.fingerprint,
        source_content_fingerprint=content_fingerprint(_fields(item)),
        published_at=publish_at,
        **outlet_rights(outlet),
        **_fields(item),
    )
    db.session.add(article)
    changes = {"published_at": [None, publish_at.isoformat()]} if publish_at else {}
    db.session.add(
        ArticleRevision(article=article, user=None, action=CREATED_ACTION, changes=changes)
    )
    return article


def _refresh(article: Article, source: SourceItem, report: IngestReport) -> str:
    """What a known item does to its story: "updated", "skipped", or a source update.

    An item whose fingerprint is the one stored is not cleaned at all: that is most of a
    re-ingest, and what keeps it cheap. A changed item updates an untouched draft; for a
    published or scheduled story it becomes a source update (``follow_source``); an edited
    draft is left alone.
    """
    if article.source_fingerprint == source.fingerprint:
        return "skipped"
    if article.published_at is None and article.edited_by_staff:
        return "skipped"
    item = source.clean()
    report.warnings.extend(item.warnings)
    article.source_fingerprint = item.fingerprint
    if article.published_at is not None:
        return follow_source(article, _fields(item)) or "skipped"
    article.source_content_fingerprint = content_fingerprint(_fields(item))
    return "updated" if _update(article, item) else "skipped"


def _update(article: Article, item: FeedItem) -> bool:
    """Copy the item's fields onto the story, recording the change; False if none changed."""
    changes = copy_fields(article, _fields(item))
    if article.feed_guid is None and item.guid:
        article.feed_guid = item.guid
        changes["feed_guid"] = [None, item.guid]
    if not changes:
        return False
    db.session.add(
        ArticleRevision(article=article, user=None, action=UPDATED_ACTION, changes=changes)
    )
    return True


def _log(outlet: Outlet, run: IngestRun) -> None:
    if run.error:  # INFO: the run records it, and a warning would double the CLI's one line
        logger.info("ingest of %s from %s failed: %s", outlet.name, run.source, run.error)
    else:
        logger.info(
            "ingested %s: %d created, %d updated, %d skipped, %d source updates (%d applied)%s",
            outlet.name, run.created, run.updated, run.skipped, run.source_updates,
            run.source_updates_applied, " (not modified)" if run.not_modified else "",
        )
