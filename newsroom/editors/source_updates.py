"""The desk's side of following the source: read a source update's diff, apply or dismiss it."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import abort, flash, redirect, render_template, url_for
from sqlalchemy.orm.exc import StaleDataError

from newsroom.auth import current_staff
from newsroom.dates import show_date
from newsroom.editors.blueprint import blueprint
from newsroom.editors.forms import SourceUpdateForm
from newsroom.editors.revisions import FieldDiff, word_diff
from newsroom.extensions import db
from newsroom.models import Article, SourceUpdate, SourceUpdateStatus
from newsroom.syndication.updates import (
    DATE_FIELDS,
    SYNCED_FIELDS,
    apply_source_update,
    dismiss_source_update,
    pending_update,
)

#: What an editor is told when the update they read is no longer the one waiting.
STALE = {
    SourceUpdateStatus.SUPERSEDED: (
        "The source changed this story again since you read that update, so nothing was "
        "changed. The newest changes are below: read them before deciding."
    ),
    SourceUpdateStatus.APPLIED: "That source update was already applied.",
    SourceUpdateStatus.DISMISSED: "That source update was already dismissed.",
}
STORY_CHANGED = (
    "The story was saved since you read these changes, so nothing was changed. "
    "Read them again below before deciding."
)


def update_diffs(article: Article, update: SourceUpdate) -> list[FieldDiff]:
    """Each field the source changed: the story's text now against the source's, word by word."""
    diffs = []
    for name in SYNCED_FIELDS:
        if name not in update.proposed:
            continue
        before, after = _text(name, getattr(article, name)), _text(name, update.proposed[name])
        if before != after:
            diffs.append(FieldDiff(name, word_diff(before, after), True))
    return diffs


def _text(name: str, value) -> str:
    """A field's value as words: dates (ISO 8601 in an update) as the desk shows them."""
    if name in DATE_FIELDS and isinstance(value, str) and value:
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return show_date(value)
    return "" if value is None else str(value)


def review(article: Article | None) -> dict:
    """What the story's page and edit form show of a pending source update (one query)."""
    update = pending_update(article) if article is not None else None
    diffs = update_diffs(article, update) if update is not None else []
    return {"source_update": update, "update_diffs": diffs}


@blueprint.get("/articles/<int:article_id>/source-update")
def source_update(article_id: int):
    """The pending source update of a story, as a word-level diff with Apply and Dismiss."""
    return _render(db.get_or_404(Article, article_id))


@blueprint.post("/articles/<int:article_id>/source-update/<int:update_id>/apply")
def apply_update(article_id: int, update_id: int):
    """Bring the source's changes into the story, as a recorded revision."""
    return _decide(article_id, update_id, apply_source_update,
                   "Source update applied: the story now reads as the source does.")


@blueprint.post("/articles/<int:article_id>/source-update/<int:update_id>/dismiss")
def dismiss_update(article_id: int, update_id: int):
    """Keep the story as it is; the decision is recorded in its history."""
    return _decide(article_id, update_id, dismiss_source_update,
                   "Source update dismissed: the story stays as it was.")


def _decide(article_id: int, update_id: int, decide: Callable, done: str):
    """Check the form, the update's state and the story's version, then decide and commit."""
    article = db.get_or_404(Article, article_id)
    update = db.get_or_404(SourceUpdate, update_id)
    if update.article_id != article.id:
        abort(404)
    form = SourceUpdateForm()
    if not form.validate_on_submit():
        return _render(article, status=400)
    if update.status is not SourceUpdateStatus.PENDING:
        return _render(article, stale=STALE[update.status], status=409)
    if form.version.data != str(article.version):
        return _render(article, stale=STORY_CHANGED, status=409)
    decide(update, current_staff())
    try:
        db.session.commit()
    except StaleDataError:  # someone saved the story between our read and our write
        db.session.rollback()
        return _render(db.get_or_404(Article, article_id), stale=STORY_CHANGED, status=409)
    flash(done, "success")
    return redirect(url_for(".article", article_id=article_id), 303)


def _render(article: Article, stale: str | None = None, status: int = 200):
    update = pending_update(article)
    diffs = update_diffs(article, update) if update is not None else []
    return render_template(
        "editors/source_update.html", article=article, update=update, diffs=diffs, stale=stale,
    ), status
