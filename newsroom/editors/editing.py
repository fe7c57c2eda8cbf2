"""The create-and-edit flow sections and outlets share: check the form, save, say so."""
from __future__ import annotations

from collections.abc import Callable

from flask import flash, render_template

from newsroom.editors.forms import NamedForm
from newsroom.extensions import db


def saved(form: NamedForm, row, apply: Callable[[NamedForm, object], None]) -> bool:
    """Validate a submitted ``form``; when it passes, apply it to ``row``, commit and flash.

    A new ``row`` (the form's ``current`` is None) is added to the session first.
    """
    if not form.validate_on_submit():
        return False
    creating = form.current is None
    apply(form, row)
    if creating:
        db.session.add(row)
    db.session.commit()
    noun = form.noun.capitalize()
    flash(f"{noun} “{row.name}” {'created' if creating else 'saved'}.", "success")
    return True


def render_form(template: str, form: NamedForm, **context):
    """The form page: 400 when a submitted form was refused, so what was typed is shown again."""
    status = 400 if form.is_submitted() else 200
    return render_template(template, form=form, **context), status
