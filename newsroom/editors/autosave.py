"""Autosaves: one record of unsaved typing per story and person, offered back on reopening."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from newsroom.dates import show_date
from newsroom.extensions import db
from newsroom.inputs import ascii_int, strip_controls
from newsroom.models import Article, ArticleAutosave, User
from newsroom.editors.queries import latest_revision
from newsroom.sanitizing import clean_article

#: The fields the editor autosaves, and the longest each may be.
AUTOSAVED = {"headline": 300, "standfirst": 1000, "body": 200_000}


class AutosaveRefused(ValueError):
    """What was sent is not an autosave we can keep; the message says why."""


def autosave(article: Article, user: User, payload: Any, now: datetime) -> ArticleAutosave:
    """Keep ``user``'s typing for ``article`` (replacing their last autosave of it).

    The story itself is never changed: saving stays the editor's deliberate step.
    :raises AutosaveRefused: the payload is not ``{version, headline, standfirst, body}``.
    """
    fields, base_version = _read(payload)
    fields["body"] = clean_article(fields["body"], base_url=article.original_url or None)
    record = user_autosave(article, user)
    if record is None:
        record = ArticleAutosave(article_id=article.id, user_id=user.id)
        db.session.add(record)
    record.fields, record.base_version, record.saved_at = fields, base_version, now
    return record


def _read(payload: Any) -> tuple[dict[str, str], int]:
    if not isinstance(payload, dict):
        raise AutosaveRefused("Send a JSON object.")
    # A JSON body skips the form boundary (newsroom/inputs.py): ASCII digits in the integer
    # range only, so "²" or thirty digits never reach the database, and no control characters.
    version = ascii_int(payload.get("version"))
    if version is None:
        raise AutosaveRefused("Send the story's version the text is based on.")
    fields = {}
    for name, longest in AUTOSAVED.items():
        value = payload.get(name, "")
        if not isinstance(value, str):
            raise AutosaveRefused(f"“{name}” must be text.")
        if len(value) > longest:
            raise AutosaveRefused(f"“{name}” is longer than {longest:,} characters.")
        fields[name] = strip_controls(value)
    return fields, version


def user_autosave(article: Article, user: User) -> ArticleAutosave | None:
    return db.session.scalar(
        select(ArticleAutosave).where(
            ArticleAutosave.article_id == article.id, ArticleAutosave.user_id == user.id
        )
    )


def offered(article: Article, user: User) -> ArticleAutosave | None:
    """The autosave to offer on reopening: one that differs from the story as stored."""
    record = user_autosave(article, user)
    if record is None:
        return None
    stored = {name: getattr(article, name) or "" for name in AUTOSAVED}
    return record if record.fields != stored else None


def discard(article: Article, user: User) -> None:
    db.session.execute(
        delete(ArticleAutosave).where(
            ArticleAutosave.article_id == article.id, ArticleAutosave.user_id == user.id
        )
    )


def newer_save_by_someone_else(article: Article, user: User, base_version: int) -> str | None:
    """"X saved a newer version at …" when the story moved on past ``base_version`` by another
    hand; None when it did not (or the newer save was this person's own)."""
    if article.version <= base_version:
        return None
    last = latest_revision(article)
    if last is not None and last.user_id == user.id:
        return None
    who = last.user.display_name if last is not None and last.user else "Someone"
    when = show_date(last.created_at if last is not None else article.updated_at)
    return (
        f"{who} saved a newer version at {when}. Your text is kept here and in your autosave; "
        "saving will ask you to confirm."
    )
