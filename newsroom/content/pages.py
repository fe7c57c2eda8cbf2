"""Conditional GET for the article page, whose HTML also depends on the reader's session.

The page's bytes differ per session (the reply form's CSRF token, flashed messages), so its
ETag is *weak* and computed from data, not from the bytes:

- the article, its outlet and section, and the approved-comments digest
  (see :func:`comments_digest`), loaded in the same query as the article itself;
- what varies the page for this reader: query arguments (``replyto``, ``cpage``), whether
  comments are still open, the signed-in user id and a digest of the session's CSRF secret
  (so a page whose form token no longer validates is never revived by a 304);
- a page that showed a flashed message gets an ETag that can never match, and a request with
  messages waiting is always rendered, so a 304 never replays or swallows a message.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from functools import lru_cache
from typing import Callable, NamedTuple

from flask import make_response, request, session
from flask.typing import ResponseReturnValue
from sqlalchemy import BigInteger, String, bindparam, cast, func, select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from newsroom.content.articles import comments_open, is_published
from newsroom.content.caching import Validator, latest, make_validator, not_modified, stamp
from newsroom.extensions import db
from newsroom.models import Article, Comment, CommentStatus, utcnow


class CommentsState(NamedTuple):
    """What the public sees of an article's comments, in two values."""

    digest: str  #: see :func:`comments_digest`
    latest: datetime | None  #: the newest approved comment's time


class LoadedArticle(NamedTuple):
    article: Article
    comments: CommentsState


def comments_digest(article_id):
    """A scalar subquery that moves on every public change to an article's comments.

    An approval raises the count, a rejection or deletion lowers it; the sums of ids and of
    their squares tell apart two sets of the same size, and the body lengths catch most edits.
    ``article_id`` is a value, or ``Article.id`` to correlate with an enclosing query.
    """
    wide_id = cast(Comment.id, BigInteger)
    parts = [func.count(Comment.id), func.max(Comment.id), func.sum(wide_id),
             func.sum(wide_id * wide_id), func.sum(func.length(Comment.body))]
    digest = cast(func.coalesce(parts[0], 0), String)
    for part in parts[1:]:
        digest = digest + ":" + cast(func.coalesce(part, 0), String)
    return select(digest).where(_approved(article_id)).scalar_subquery()


def _latest_comment(article_id):
    return select(func.max(Comment.created_at)).where(_approved(article_id)).scalar_subquery()


def _approved(article_id):
    return (Comment.article_id == article_id) & (Comment.status == CommentStatus.APPROVED)


@lru_cache(maxsize=1)
def _published_article_statement():
    """Built once: constructing this statement costs more than running it on a hot page."""
    return (
        select(Article, comments_digest(Article.id), _latest_comment(Article.id))
        .options(joinedload(Article.section), joinedload(Article.outlet))
        .where(Article.slug == bindparam("slug"), is_published(bindparam("now")))
    )


def load_article(slug: str) -> LoadedArticle | None:
    """A published article with its section, outlet and comments state, in one query."""
    row = db.session.execute(_published_article_statement(), {"slug": slug, "now": utcnow()}).first()
    if row is None:
        return None
    return LoadedArticle(row[0], CommentsState(row[1], row[2]))


def comments_state(article: Article) -> CommentsState:
    """The comments state of an article already loaded (one query)."""
    row = db.session.execute(select(comments_digest(article.id), _latest_comment(article.id))).one()
    return CommentsState(*row)


def conditional_article_page(
    article: Article, render: Callable[[], ResponseReturnValue], state: CommentsState | None = None
) -> Response:
    """304 when the reader holds this version of the page, else ``render()`` with validators."""
    state = state or comments_state(article)
    flashed = bool(session.get("_flashes"))
    if not flashed:
        cached = not_modified(_validator(article, state, flashed=False))
        if cached is not None:
            cached.vary.add("Cookie")
            return cached
    response = make_response(render())
    response.vary.add("Cookie")
    if response.status_code != 200:
        return response
    return stamp(response, _validator(article, state, flashed=flashed))


def _validator(article: Article, state: CommentsState, *, flashed: bool) -> Validator:
    csrf_secret = session.get("csrf_token") or ""
    reader = (
        session.get("_user_id"),
        hashlib.sha256(str(csrf_secret).encode()).hexdigest()[:16],
        sorted(request.args.items(multi=True)),
        comments_open(article, utcnow()),
        secrets.token_hex(8) if flashed else None,  # such a page's ETag never repeats
        str(session.get("own_comments")),  # the reader's own pending comments shown to them
    )
    return article_validator(article, state, "page", reader, weak=True)


def article_validator(
    article: Article, state: CommentsState, *extra: object, weak: bool = False
) -> Validator:
    """A validator for anything showing ``article`` and its approved comments."""
    outlet = article.outlet
    section = article.section
    outlet_updated = outlet.updated_at if outlet else None
    return make_validator(
        article.id, article.slug, article.version, article.updated_at, article.published_at,
        outlet_updated, (section.slug, section.name) if section else None, state.digest, extra,
        last_modified=latest(
            article.updated_at, article.published_at, state.latest, outlet_updated),
        weak=weak,
        trust_since=False,  # a rejection or deletion leaves no newer timestamp behind
    )
