"""The site-wide version: one row read by primary key for the lists' validators and cache keys.

The home page, section pages, feeds and every page's navigation show articles, sections and
outlets (and the lists show comment counts). ``site_versions.content_version`` is raised in
the same transaction as any ORM change to an article, a section or an outlet — publish,
unpublish, edit, section rename, trash — by one session listener, so no caller can forget it;
``comments_version`` is raised with every article's comments version
(newsroom/content/versions.py). A validator or page-cache key for those pages is then one
primary-key read, whatever the size of the site.

A scheduled story goes live at its time with no write at all: the row keeps the earliest
publication still to come (``next_publish_at``), and the first request after it raises the
version and looks for the next one (one UPDATE per scheduled publication).
"""
from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from flask import has_request_context, request
from sqlalchemy import Engine, event, func, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from newsroom.extensions import db
from newsroom.models import SITE_VERSION_ID, Article, Outlet, Section, SiteVersion, utcnow

_CHANGED = "newsroom_site_content_changed"
#: The WSGI environ's copy of the counters the page cache's front read for this request, before
#: Flask ran (newsroom/readers/front_cache.py): :func:`site_state` answers from it.
READ_BEFORE_FLASK = "newsroom.site_state"
PUBLIC_MODELS = (Article, Section, Outlet)


class SiteState(NamedTuple):
    content: int
    comments: int
    changed_at: datetime | None


def _next_publication(now: datetime):
    return (
        select(func.min(Article.published_at))
        .where(Article.deleted_at.is_(None), Article.published_at > now)
        .scalar_subquery()
    )


def bump_site(session: Session, *, content: bool = False, comments: bool = False) -> None:
    """Raise the site's counters in ``session``'s transaction (creating the row if missing)."""
    now = utcnow()
    table = SiteVersion.__table__
    values: dict = {"changed_at": now}
    if content:
        values["content_version"] = table.c.content_version + 1
        values["next_publish_at"] = _next_publication(now)
    if comments:
        values["comments_version"] = table.c.comments_version + 1
    connection = session.connection()
    result = connection.execute(update(table).where(table.c.id == SITE_VERSION_ID).values(values))
    if result.rowcount == 0:  # a database made without the migration (create_all)
        connection.execute(insert(table).values(
            id=SITE_VERSION_ID, content_version=1, comments_version=1, changed_at=now,
            next_publish_at=_next_publication(now)))
    row = session.identity_map.get(identity_key(SiteVersion, SITE_VERSION_ID))
    if row is not None:
        session.expire(row)


#: The row's counters and next scheduled publication, by primary key (no ORM session).
_COUNTERS = select(
    SiteVersion.content_version, SiteVersion.comments_version, SiteVersion.changed_at,
    SiteVersion.next_publish_at,
).where(SiteVersion.id == SITE_VERSION_ID)


def read_site_state(engine: Engine) -> SiteState:
    """The site's counters by one primary-key read on a connection of its own, outside any
    ORM session or request (the front of the page cache reads them before Flask runs). A
    scheduled story that has gone live is counted first, as :func:`site_state` does."""
    with engine.connect() as connection:
        row = connection.execute(_COUNTERS).first()
    if row is not None and row.next_publish_at is not None and row.next_publish_at <= utcnow():
        with Session(engine) as session:
            bump_site(session, content=True)
            session.commit()
        with engine.connect() as connection:
            row = connection.execute(_COUNTERS).first()
    if row is None:
        return SiteState(0, 0, None)
    return SiteState(row.content_version, row.comments_version, row.changed_at)


def site_state() -> SiteState:
    """The site's counters: one primary-key read (and, once per scheduled publication, a write),
    or none when the page cache's front has read them for this request already."""
    if has_request_context() and READ_BEFORE_FLASK in request.environ:
        return request.environ[READ_BEFORE_FLASK]
    row = db.session.get(SiteVersion, SITE_VERSION_ID)
    if row is None:
        return SiteState(0, 0, None)
    if row.next_publish_at is not None and row.next_publish_at <= utcnow():
        bump_site(db.session(), content=True)  # a scheduled story has just gone live
        db.session.commit()
    return SiteState(row.content_version, row.comments_version, row.changed_at)


@event.listens_for(Session, "before_flush")
def _note_content_changes(session: Session, flush_context, instances) -> None:
    """Whether this flush changes anything the site's lists or navigation show."""
    if session.info.get(_CHANGED):
        return
    changed = [item for item in list(session.new) + list(session.deleted)
               if isinstance(item, PUBLIC_MODELS)]
    changed += [item for item in session.dirty
                if isinstance(item, PUBLIC_MODELS) and session.is_modified(item)]
    if changed:
        session.info[_CHANGED] = True


@event.listens_for(Session, "after_flush")
def _count_content_changes(session: Session, flush_context) -> None:
    if session.info.pop(_CHANGED, False):
        bump_site(session, content=True)
