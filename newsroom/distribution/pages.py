"""Conditional GET for the article page, whose HTML also depends on the reader's session.

The page's bytes differ per session (the reply form's CSRF token, flashed messages), so its
ETag is *weak* and computed from data, not from the bytes:

- the article, its outlet and section, and the approved-comments aggregate
  (see :func:`newsroom.distribution.queries.comments_state`);
- what varies the page for this reader: query arguments (``replyto``, ``cpage``), whether
  comments are still open, the signed-in user id and a digest of the session's CSRF secret
  (so a page whose form token no longer validates is never revived by a 304);
- a page that showed a flashed message gets an ETag that can never match, and a request with
  messages waiting is always rendered, so a 304 never replays or swallows a message.
"""
from __future__ import annotations

import hashlib
import secrets
from typing import Callable

from flask import make_response, request, session
from flask.typing import ResponseReturnValue
from sqlalchemy import BigInteger, cast, func, select
from werkzeug.wrappers import Response

from newsroom.distribution.caching import Validator, latest, make_validator, not_modified, stamp
from newsroom.extensions import db
from newsroom.models import Article, Comment, CommentStatus, utcnow


def conditional_article_page(article: Article, render: Callable[[], ResponseReturnValue]) -> Response:
    """304 when the reader holds this version of the page, else ``render()`` with validators."""
    state = comments_state(article)
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


def _validator(article: Article, state: tuple, *, flashed: bool) -> Validator:
    from newsroom.readers.queries import comments_open  # readers' views import this module

    csrf_secret = session.get("csrf_token") or ""
    reader = (
        session.get("_user_id"),
        hashlib.sha256(str(csrf_secret).encode()).hexdigest()[:16],
        sorted(request.args.items(multi=True)),
        comments_open(article, utcnow()),
        secrets.token_hex(8) if flashed else None,  # such a page's ETag never repeats
    )
    return article_validator(article, state, "page", reader, weak=True)


def comments_state(article: Article) -> tuple:
    """One aggregate over an article's approved comments that moves on every public change.

    An approval raises the count, a rejection or deletion lowers it; the sums of ids and of
    their squares tell apart two sets of the same size, and the body lengths catch most edits.
    """
    approved = (Comment.article_id == article.id) & (Comment.status == CommentStatus.APPROVED)
    wide_id = cast(Comment.id, BigInteger)
    return tuple(
        db.session.execute(
            select(
                func.count(Comment.id),
                func.max(Comment.id),
                func.sum(wide_id),
                func.sum(wide_id * wide_id),
                func.sum(func.length(Comment.body)),
                func.max(Comment.created_at),
            ).where(approved)
        ).one()
    )


def article_validator(article: Article, state: tuple, *extra: object, weak: bool = False) -> Validator:
    """A validator for anything showing ``article`` and its approved comments."""
    outlet = article.outlet
    section = article.section
    return make_validator(
        article.id, article.slug, article.version, article.updated_at, article.published_at,
        outlet.updated_at if outlet else None,
        (section.slug, section.name) if section else None,
        state[:5], extra,
        last_modified=latest(article.updated_at, article.published_at, state[5],
                             outlet.updated_at if outlet else None),
        weak=weak,
        trust_since=False,  # a rejection or deletion leaves no newer timestamp behind
    )
