"""Conditional GET for the article page, which is either shared or rendered for one reader.

A *shared* page (an anonymous reader with no message waiting and no pending comment of their
own, see newsroom/readers/pagecache.py) is the same bytes for everyone: the reply form's
CSRF token and timestamp are fetched by the form itself (GET /session/form). It is sent
``public, s-maxage`` for nginx, with an ETag every such reader shares. Any other page belongs
to its reader (``private, no-store``). The ETag is *weak* and computed from data, not bytes:

- the article, its outlet and section, and the article's comments version (raised in the
  same transaction as every public comment change, newsroom/content/versions.py), all
  loaded in one query;
- what varies the page: query arguments (``replyto``, ``cpage``), whether comments are still
  open, and for a page rendered for one reader their user id, a digest of the session's CSRF
  secret (their form carries its token) and their own pending comments;
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
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from newsroom.content.articles import comments_open, is_published
from newsroom.content.caching import (
    Validator,
    keep_private,
    latest,
    make_validator,
    not_modified,
    share,
    stamp,
)
from newsroom.extensions import db
from newsroom.models import SITE_VERSION_ID, Article, SiteVersion, utcnow


class CommentsState(NamedTuple):
    """What the public sees of an article's comments, in two values."""

    digest: str  #: the article's comments version (see newsroom/content/versions.py)
    latest: datetime | None  #: when a public comment last changed


class LoadedArticle(NamedTuple):
    article: Article
    comments: CommentsState
    site_version: int = 0  #: the site's content version (its navigation), same query


@lru_cache(maxsize=1)
def _published_article_statement():
    """Built once: constructing this statement costs more than running it on a hot page."""
    return (
        select(Article, SiteVersion.content_version)
        .outerjoin(SiteVersion, SiteVersion.id == SITE_VERSION_ID)
        .options(joinedload(Article.section), joinedload(Article.outlet))
        .where(Article.slug == bindparam("slug"), is_published(bindparam("now")))
    )


def load_article(slug: str) -> LoadedArticle | None:
    """A published article with its section, outlet, comments state and the site's content
    version (for the navigation), in one query."""
    row = db.session.execute(
        _published_article_statement(), {"slug": slug, "now": utcnow()}).first()
    if row is None:
        return None
    article, site_version = row
    return LoadedArticle(article, comments_state(article), site_version or 0)


def comments_state(article: Article) -> CommentsState:
    """The comments state of an article already loaded: its counters, no aggregate."""
    return CommentsState(str(article.comments_version), article.comments_changed_at)


def conditional_article_page(
    article: Article,
    render: Callable[[], ResponseReturnValue],
    state: CommentsState | None = None,
    *,
    shared: bool = False,
    site_version: int = 0,
) -> Response:
    """304 when the reader holds this version of the page, else ``render()`` with validators.

    ``shared``: the page is the one every anonymous reader gets (cacheable by proxies).
    """
    state = state or comments_state(article)
    mark = share if shared else keep_private
    flashed = bool(session.get("_flashes"))
    if not flashed:
        cached = not_modified(_validator(article, state, flashed=False, shared=shared,
                                            site=site_version))
        if cached is not None:
            cached.vary.add("Cookie")
            return mark(cached)
    response = make_response(render())
    response.vary.add("Cookie")
    if response.status_code != 200:
        return keep_private(response)
    return mark(stamp(response, _validator(article, state, flashed=flashed, shared=shared,
                                                         site=site_version)))


def _validator(
    article: Article, state: CommentsState, *, flashed: bool, shared: bool, site: int
) -> Validator:
    common = (sorted(request.args.items(multi=True)), comments_open(article, utcnow()), site)
    if shared:  # the same page for every such reader: no one's session in it
        return article_validator(article, state, "shared-page", common, weak=True)
    csrf_secret = session.get("csrf_token") or ""
    reader = (
        session.get("_user_id"),
        hashlib.sha256(str(csrf_secret).encode()).hexdigest()[:16],
        common,
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
