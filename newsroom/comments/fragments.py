"""Each approved comment's public HTML, rendered once when it changes and stored with it.

An article page assembles these fragments (``Comment.rendered_html``) with the per-page parts
of the thread (nesting, depth, the reply and report links; newsroom/comments/thread_html.py)
instead of rendering every comment's author, date and body on every view. The fragment is the
output of the ``comment_content`` macro (templates/_macros/comment_content.html), which also
renders any comment without a current fragment, so the two cannot differ.

- Session listeners write the fragment in the same flush as the change, so no writer can
  forget: for every comment whose shown columns changed (approval, an edit, a pick or its
  end, an erased name) in the flush's own UPDATE, and for a new approved comment (the staff
  reply, a trusted reader's post, demo data) in one UPDATE once the INSERT gave it its id. A
  comment that is not approved has its fragment cleared instead, so an erased name leaves
  no copy behind.
- Bulk INSERTs (the importers) call :func:`store_fragments` with the ids they wrote.
- ``rendered_version`` is a digest of the macro's source, :data:`FORMAT` and the site's
  timezone: after a change of either, older fragments are not used (the macro renders those
  comments) until ``flask --app wsgi comments render`` writes them again.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Iterable

from flask import current_app, has_app_context
from markupsafe import Markup
from sqlalchemy import bindparam, event, or_, select, update
from sqlalchemy.orm import Session, load_only
from sqlalchemy.orm.attributes import PASSIVE_NO_INITIALIZE, get_history, set_committed_value

from newsroom.extensions import db
from newsroom.models import Comment, CommentStatus

TEMPLATE = "_macros/comment_content.html"
#: Raise when a filter the fragment uses (dates, hosts) changes what it writes.
FORMAT = "1"
#: The columns a fragment shows; a change of any of them renders it again.
SHOWN = ("status", "author_name", "author_website", "body", "created_at", "is_staff",
         "featured_at")
_BATCH = 500
_NEW = "newsroom_new_approved_comments"


@lru_cache(maxsize=1)
def _shown_columns():
    """Built on first use (naming columns configures the mappers: see content.threads)."""
    return load_only(Comment.id, *(getattr(Comment, name) for name in SHOWN))


def fragment_version() -> str:
    """This app's render version: the macro's source, :data:`FORMAT` and the timezone."""
    app = current_app._get_current_object()
    zone = app.config["TIMEZONE_INFO"].key
    known = app.extensions.get("comment_fragment_version")
    if known is None or known[0] != zone:
        source = app.jinja_env.loader.get_source(app.jinja_env, TEMPLATE)[0]
        digest = hashlib.sha256(f"{FORMAT}\0{zone}\0{source}".encode()).hexdigest()[:16]
        known = app.extensions["comment_fragment_version"] = (zone, digest)
    return known[1]


def comment_content(comment, picked: bool, pending: bool = False) -> Markup:
    """The ``comment_content`` macro's HTML for ``comment``: what a stored fragment holds, and
    what a page shows for a comment without a current one or for the reader's own pending one
    (newsroom/comments/thread_html.py)."""
    module = current_app.jinja_env.get_template(TEMPLATE).module
    return module.comment_content(comment, picked, pending)


def render_fragment(comment) -> str:
    """The fragment of an approved ``comment`` (a Comment, or anything with its shown columns)."""
    return str(comment_content(comment, comment.featured_at is not None))


def stored_fragment(comment: Comment, version: str) -> Markup | None:
    """The comment's stored fragment when it is of ``version``, else None (render it)."""
    if comment.rendered_version != version or comment.rendered_html is None:
        return None
    # Bandit B704 judged safe: the comment_content macro's own autoescaped output.
    return Markup(comment.rendered_html)  # nosec B704


def _refresh(comment: Comment) -> None:
    if comment.status is CommentStatus.APPROVED:
        comment.rendered_html = render_fragment(comment)
        comment.rendered_version = fragment_version()
    else:  # set without reading: the deferred HTML need not be loaded to be cleared
        comment.rendered_html = comment.rendered_version = None


def _shown_changed(comment: Comment) -> bool:
    return any(get_history(comment, name, passive=PASSIVE_NO_INITIALIZE).has_changes()
               for name in SHOWN)


@event.listens_for(Session, "before_flush")
def _render_changed(session: Session, flush_context, instances) -> None:
    """Render (or clear) the fragment of every changed comment, in this flush's UPDATE; note
    the new approved ones, which have no id (shown in the fragment) until the INSERT."""
    if not has_app_context():
        return
    for comment in session.dirty:
        if isinstance(comment, Comment) and _shown_changed(comment):
            _refresh(comment)
    session.info[_NEW] = [  # this flush's alone: a failed flush leaves none for the next
        comment for comment in session.new
        if isinstance(comment, Comment) and comment.status is CommentStatus.APPROVED]


@event.listens_for(Session, "after_flush")
def _render_new(session: Session, flush_context) -> None:
    """The new approved comments' fragments, now that they have ids: one UPDATE in the flush's
    transaction, and the values set on the objects as stored (so they are not dirty)."""
    new = [comment for comment in session.info.pop(_NEW, []) if comment.id is not None]
    if not new:
        return
    version, fragments = _update(session.connection(), new)
    for comment, html in zip(new, fragments):
        set_committed_value(comment, "rendered_html", html)
        set_committed_value(comment, "rendered_version", version)


def store_fragments(comment_ids: Iterable[int]) -> int:
    """Render and store the fragments of these comments that are approved (bulk writers);
    how many were written. One SELECT and one executemany UPDATE per batch."""
    ids = sorted(set(comment_ids))
    written = 0
    for start in range(0, len(ids), _BATCH):
        rows = db.session.scalars(
            select(Comment).options(_shown_columns()).where(
                Comment.id.in_(ids[start:start + _BATCH]),
                Comment.status == CommentStatus.APPROVED)
        ).all()
        if rows:
            _update(db.session.connection(), rows)
        written += len(rows)
    return written


def _update(connection, comments: list[Comment]) -> tuple[str, list[str]]:
    """Render ``comments``' fragments and store them in one executemany UPDATE on
    ``connection`` (Core: it runs inside a flush too); the version and the fragments."""
    version = fragment_version()
    fragments = [render_fragment(comment) for comment in comments]
    connection.execute(_STORE, [
        {"comment_id": comment.id, "html": html, "version": version}
        for comment, html in zip(comments, fragments)
    ])
    return version, fragments


_STORE = (
    update(Comment.__table__)
    .where(Comment.__table__.c.id == bindparam("comment_id"))
    .values(rendered_html=bindparam("html"), rendered_version=bindparam("version"))
)


def stale_fragment_ids(limit: int) -> list[int]:
    """Up to ``limit`` approved comments whose fragment is missing or of another version."""
    version = fragment_version()
    return list(db.session.scalars(
        select(Comment.id)
        .where(Comment.status == CommentStatus.APPROVED,
               or_(Comment.rendered_version.is_(None), Comment.rendered_version != version))
        .order_by(Comment.id)
        .limit(limit)
    ))
