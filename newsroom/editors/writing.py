"""The desk's writing tools: trash and restore, bulk actions, confirmations, revisions, autosave."""
from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from newsroom.auth import current_staff
from newsroom.editors.autosave import (
    AutosaveRefused,
    autosave,
    discard,
    newer_save_by_someone_else,
)
from newsroom.editors.blueprint import blueprint
from newsroom.editors.forms import ActionForm
from newsroom.editors.revisions import compare, restore_revision
from newsroom.editors.trash import BULK_ACTIONS, bulk, purge_date, restore, trash
from newsroom.extensions import db
from newsroom.models import Article, ArticleRevision, utcnow
from newsroom.dates import show_date

#: The most stories one bulk action touches (one page of the list is 25).
BULK_LIMIT = 100


@blueprint.route("/articles/<int:article_id>/trash", methods=["GET", "POST"])
def trash_article(article_id: int):
    """Ask first, then move the story to the trash (restorable for 30 days)."""
    article = db.get_or_404(Article, article_id)
    form = ActionForm()
    if article.deleted_at is not None:
        flash("This story is already in the trash.", "info")
        return redirect(url_for(".article", article_id=article.id))
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("editors/confirm.html", article=article, form=form,
                               action="trash"), status
    trash(article, current_staff(), utcnow())
    db.session.commit()
    flash(f"“{article.headline}” moved to the trash. It can be restored until "
          f"{show_date(purge_date(article))}.", "success")
    return redirect(url_for(".index", state="trash"))


@blueprint.post("/articles/<int:article_id>/restore")
def restore_article(article_id: int):
    """Take the story out of the trash."""
    article = db.get_or_404(Article, article_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if article.deleted_at is None:
        flash("This story is not in the trash.", "info")
    else:
        restore(article, current_staff())
        db.session.commit()
        flash("Story restored from the trash.", "success")
    return redirect(url_for(".article", article_id=article.id))


@blueprint.get("/articles/<int:article_id>/unpublish")
def confirm_unpublish(article_id: int):
    """Ask before taking a live story off the site (the button posts to unpublish)."""
    article = db.get_or_404(Article, article_id)
    return render_template("editors/confirm.html", article=article, form=ActionForm(formdata=None),
                           action="unpublish", live=article.is_published(utcnow()))


@blueprint.post("/articles/bulk")
def bulk_action():
    """Publish, unpublish or trash the ticked stories; says how many."""
    form = ActionForm()
    action = request.form.get("action", "")
    ids = [int(value) for value in request.form.getlist("article_id") if value.isdigit()]
    back = request.form.get("state", "drafts")
    if not form.validate_on_submit() or action not in BULK_ACTIONS:
        flash("Choose an action for the ticked stories.", "error")
        return redirect(url_for(".index", state=back)), 303
    if not ids:
        flash("Tick at least one story first.", "error")
        return redirect(url_for(".index", state=back)), 303
    articles = list(db.session.scalars(select(Article).where(Article.id.in_(ids[:BULK_LIMIT]))))
    done, skipped = bulk(action, articles, current_staff(), utcnow())
    db.session.commit()
    message = f"{done} {'story' if done == 1 else 'stories'} {BULK_ACTIONS[action]}."
    if skipped:
        message += f" {skipped} left as they were (already so, in the trash, missing credit or under embargo)."
    flash(message, "success" if done else "info")
    return redirect(url_for(".index", state=back)), 303


@blueprint.get("/articles/<int:article_id>/compare")
def compare_revisions(article_id: int):
    """Two revisions side by side, word by word (``?a=<older id>&b=<newer id>``)."""
    article = db.get_or_404(Article, article_id)
    revisions = list(db.session.scalars(
        select(ArticleRevision)
        .where(ArticleRevision.article_id == article.id, ArticleRevision.snapshot.is_not(None))
        .options(joinedload(ArticleRevision.user))
        .order_by(ArticleRevision.created_at.desc(), ArticleRevision.id.desc())
    ))
    by_id = {revision.id: revision for revision in revisions}
    newer = by_id.get(request.args.get("b", type=int)) or (revisions[0] if revisions else None)
    older = by_id.get(request.args.get("a", type=int))
    if older is None and newer is not None:
        older = next((r for r in revisions if r.created_at <= newer.created_at and r is not newer),
                     newer)
    diffs = compare(older, newer) if newer is not None else []
    return render_template("editors/compare.html", article=article, revisions=revisions,
                           older=older, newer=newer, diffs=diffs, form=ActionForm(formdata=None))


@blueprint.post("/articles/<int:article_id>/revisions/<int:revision_id>/restore")
def restore_article_revision(article_id: int, revision_id: int):
    """Put a revision's text back, recorded as a new revision."""
    article = db.get_or_404(Article, article_id)
    revision = db.session.scalar(select(ArticleRevision).where(
        ArticleRevision.id == revision_id, ArticleRevision.article_id == article.id))
    if revision is None or revision.snapshot is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    restored = restore_revision(article, revision, current_staff(), utcnow())
    discard(article, current_staff())
    db.session.commit()
    flash("Revision restored: it is now the story's latest version." if restored
          else "The story already reads like that revision.", "success")
    return redirect(url_for(".article", article_id=article.id))


@blueprint.post("/articles/<int:article_id>/autosave")
def autosave_article(article_id: int):
    """Keep the editor's typing (JSON, CSRF in ``X-CSRFToken``); say if someone saved since."""
    article = db.session.get(Article, article_id)
    if article is None:
        return jsonify(error="This story no longer exists."), 404
    user = current_staff()
    try:
        record = autosave(article, user, request.get_json(silent=True), utcnow())
    except AutosaveRefused as refused:
        return jsonify(error=str(refused)), 400
    conflict = newer_save_by_someone_else(article, user, record.base_version)
    db.session.commit()
    return jsonify(saved_at=record.saved_at.isoformat(), saved_at_text=show_date(record.saved_at),
                   conflict=conflict)


@blueprint.post("/articles/<int:article_id>/autosave/discard")
def discard_autosave(article_id: int):
    """Forget the editor's unsaved changes to this story."""
    article = db.get_or_404(Article, article_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    discard(article, current_staff())
    db.session.commit()
    flash("Unsaved changes discarded.", "info")
    return redirect(url_for(".edit_article", article_id=article.id))
