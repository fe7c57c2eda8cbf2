"""Sections at the desk: list, create, edit, and delete when no story is in them."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from sqlalchemy import func, select

from newsroom.content.articles import sections_in_order
from newsroom.editors.blueprint import blueprint
from newsroom.editors.editing import render_form, saved
from newsroom.editors.forms import ActionForm, SectionForm
from newsroom.editors.queries import story_counts_by_section
from newsroom.extensions import db
from newsroom.models import Article, Section
from newsroom.pagination import paginate_request
from newsroom.slugs import unique_slug


@blueprint.get("/sections")
def sections():
    """Every section in navigation order, with how many stories each holds."""
    page = paginate_request(sections_in_order(), 50)
    return render_template(
        "editors/sections.html",
        page=page,
        story_counts=story_counts_by_section(),
        action_form=ActionForm(formdata=None),
    )


@blueprint.route("/sections/new", methods=["GET", "POST"])
def new_section():
    """Add a section."""
    form = SectionForm()
    if saved(form, Section(), _apply):
        return redirect(url_for(".sections"))
    return render_form("editors/section_form.html", form, section=None)


@blueprint.route("/sections/<int:section_id>/edit", methods=["GET", "POST"])
def edit_section(section_id: int):
    """Rename a section, change its slug, description or position."""
    section = db.get_or_404(Section, section_id)
    form = SectionForm(current=section)
    if saved(form, section, _apply):
        return redirect(url_for(".sections"))
    return render_form("editors/section_form.html", form, section=section)


@blueprint.post("/sections/<int:section_id>/delete")
def delete_section(section_id: int):
    """Delete an empty section; one that still holds stories is refused (move them first)."""
    section = db.get_or_404(Section, section_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for(".sections"))
    stories = db.session.scalar(select(func.count()).where(Article.section_id == section.id))
    if stories:
        flash(
            f"“{section.name}” still holds {stories} stor{'y' if stories == 1 else 'ies'}: "
            "move them to another section first.",
            "error",
        )
        return redirect(url_for(".sections"))
    db.session.delete(section)
    db.session.commit()
    flash(f"Section “{section.name}” deleted.", "success")
    return redirect(url_for(".sections"))


def _apply(form: SectionForm, section: Section) -> None:
    section.name = form.name.data
    section.slug = form.slug.data or unique_slug(
        form.name.data, column=Section.slug, exclude_id=section.id
    )
    section.description = form.description.data or ""
    section.position = form.position.data or 0

