"""Featuring a comment as an editors' pick, and ending it: moderators and editors alike.

The same answers as the desk's decisions: JSON for the queue's script (the row updates in
place), else a notice and back where the form came from (the queue, or the editors' desk).
"""
from __future__ import annotations

from flask import flash, jsonify, redirect

from newsroom.auth import current_staff
from newsroom.extensions import db
from newsroom.models import Comment, Role
from newsroom.moderation import featuring
from newsroom.moderation.actions import ModerationError
from newsroom.moderation.blueprint import back_to, picks_blueprint
from newsroom.moderation.decisions import wants_json
from newsroom.moderation.forms import DecisionForm

#: Where a pick's form may send its sender back to.
DESKS = ("/moderation/", "/editor/")


def _answer(form: DecisionForm, message: str, category: str, comment: Comment | None,
            status: int = 200):
    if wants_json():
        body = {"message": message, "category": category, "undo": None}
        if comment is not None:
            body.update(status=comment.status.value, featured=comment.featured_at is not None)
        return jsonify(body), status
    flash(message, category)
    default = "moderation.queue" if current_staff().has_role(Role.MODERATOR) else "editors.index"
    return redirect(back_to(form.next.data, DESKS, default))


@picks_blueprint.post("/comments/<int:comment_id>/<any(feature, unfeature):action>")
def pick(comment_id: int, action: str):
    """Feature an approved comment above its article's thread, or stop featuring it."""
    form = DecisionForm()
    comment = db.get_or_404(Comment, comment_id)
    if refused := form.refusal("The request could not be read."):
        return _answer(form, refused, "error", None, 400)
    who = comment.author_name
    try:
        if action == "feature":
            changed = featuring.feature(comment, current_staff(), form.reason.data or "")
            done = f"Featured: the comment by {who} is an editors' pick."
            already = f"The comment by {who} is already an editors' pick."
        else:
            changed = featuring.unfeature(comment, current_staff(), form.reason.data or "")
            done = f"Unfeatured: the comment by {who} is no longer an editors' pick."
            already = f"The comment by {who} was not an editors' pick."
    except ModerationError as error:
        return _answer(form, str(error), "error", comment, 409)
    if not changed:
        return _answer(form, already, "info", comment)
    db.session.commit()
    return _answer(form, done, "success", comment)
