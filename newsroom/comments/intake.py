"""Taking in a reader's comment: sanitise, judge by the policy, store."""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import NamedTuple

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import Select, bindparam, select

from newsroom.comments import policy
from newsroom.comments.records import comment_page, shown_to_readers, write_new_comment
from newsroom.extensions import db
from newsroom.models import Article, Comment, CommentStatus, utcnow
from newsroom.sanitizing import clean_comment

log = logging.getLogger(__name__)

_FORM_SALT = "newsroom.comment-form"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_FORM_SALT)


def form_token(article: Article) -> str:
    """A signed note of when the reply form for ``article`` was served."""
    return form_token_for(article.id)


def form_token_for(article_id: int) -> str:
    """The same note for an article known by its id (GET /session/form, no query needed)."""
    return _serializer().dumps(article_id)


def form_age(token: str | None, article: Article) -> float | None:
    """Seconds since ``token`` was issued for ``article``; None if it is missing or forged."""
    if not token:
        return None
    try:
        article_id, issued = _serializer().loads(token, return_timestamp=True)
    except BadSignature:
        return None
    if article_id != article.id:
        return None
    return (utcnow() - issued).total_seconds()


def approved_parent(article: Article, parent_id: int) -> Comment | None:
    """The approved comment of ``article`` a reply may answer, or None."""
    return db.session.scalar(_approved_parent(), {"id": parent_id, "article_id": article.id})


@lru_cache(maxsize=1)
def _approved_parent() -> Select:
    """:func:`approved_parent`'s statement, built once (building it costs more than running it)."""
    return select(Comment).where(
        Comment.id == bindparam("id"),
        Comment.article_id == bindparam("article_id"),
        shown_to_readers(),  # approved, not hidden pending review of readers' reports
    )


class DuplicateComment(Exception):
    """The same reader just posted the same text here; nothing was stored."""


class Posted(NamedTuple):
    """A comment just taken in: what the answer to its POST needs."""

    id: int
    status: CommentStatus
    page: int  #: the comment page (``cpage``) that shows it


def submit_comment(
    article: Article,
    *,
    name: str,
    email: str,
    website: str,
    body: str,
    parent: Comment | None,
    ip_address: str,
    user_agent: str,
    honeypot: str = "",
    age: float | None = None,
    browser_key: str = "",
) -> Posted:
    """Store a comment with the status the policy gives it, and its decision; the caller commits.

    ``article`` is the Article or the reply POST's one-row ArticleRef (its ``id`` is read).
    Everything is read first; then two INSERTs (newsroom/comments/records.py), so the caller's
    commit follows the first write at once.

    :raises DuplicateComment: the policy refuses it; nothing is written.
    """
    html = clean_comment(body)
    submission = policy.Submission(
        article_id=article.id, name=name, email=email.lower(), website=website, body=html,
        ip_address=policy.normalise_ip(ip_address), honeypot=honeypot, form_age=age,
        browser_key=browser_key,
    )
    verdict = policy.assess(submission, policy.Settings.from_config(current_app.config))
    if verdict.refused:
        log.info("comment on article %s refused as a duplicate", article.id)
        raise DuplicateComment()
    approved = verdict.status is CommentStatus.APPROVED
    page = comment_page(article, parent, shown=approved)
    comment_id = write_new_comment(
        parent, verdict.status, verdict.note, article_id=article.id, author_name=name,
        author_email=submission.email, author_website=website, body=html,
        ip_address=submission.ip_address, user_agent=user_agent[:500],
        browser_key=browser_key or None, held_reasons=verdict.reasons,
    )
    log.info("comment %s on article %s: %s", comment_id, article.id, verdict.status.value)
    return Posted(comment_id, verdict.status, page)
