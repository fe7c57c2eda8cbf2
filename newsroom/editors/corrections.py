"""The desk's corrections page: add a dated note to any story, remove one (recorded)."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from newsroom.auth import current_staff
from newsroom.content.corrections import add_correction, remove_correction
from newsroom.editors.blueprint import blueprint
from newsroom.editors.forms import ActionForm, CorrectionForm
from newsroom.extensions import db
from newsroom.models import Article, Correction, CorrectionKind, utcnow


@blueprint.route("/articles/<int:article_id>/corrections", methods=["GET", "POST"])
def corrections(article_id: int):
    """A story's corrections, removed ones too, and the form that adds one."""
    article = _load(article_id)
    form = CorrectionForm()
    if form.validate_on_submit():
        correction = add_correction(
            article, CorrectionKind(form.kind.data), form.text.data, current_staff(), utcnow(),
            pinned=form.pinned_above_comments.data,
        )
        label = correction.kind.label
        db.session.commit()
        flash(f"{label} added: readers see it above the story.", "success")
        return redirect(url_for(".corrections", article_id=article_id), 303)
    return _render(article, form, 400 if form.is_submitted() else 200)


@blueprint.post("/articles/<int:article_id>/corrections/<int:correction_id>/remove")
def remove_correction_view(article_id: int, correction_id: int):
    """Take a note off the story; it stays listed here, and in the story's history."""
    article = _load(article_id)
    correction = db.one_or_404(
        select(Correction).where(Correction.id == correction_id, Correction.article_id == article.id)
    )
    if not ActionForm().validate_on_submit():
        return _render(article, CorrectionForm(formdata=None), 400)
    if remove_correction(correction, current_staff(), utcnow()):
        db.session.commit()
        flash("Removed from the story; it stays in the story's history.", "success")
    else:
        flash("That note was already removed.", "info")
    return redirect(url_for(".corrections", article_id=article_id), 303)


def _load(article_id: int) -> Article:
    """The story with every correction and who added or removed it (two queries)."""
    return db.one_or_404(
        select(Article).where(Article.id == article_id).options(
            selectinload(Article.corrections).options(
                selectinload(Correction.created_by), selectinload(Correction.removed_by)
            )
        )
    )


def _render(article: Article, form: CorrectionForm, status: int = 200):
    return render_template("editors/corrections.html", article=article, form=form), status
