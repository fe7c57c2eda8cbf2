"""Deciding on comments: one at a time (in place with fetch, or by POST), undo, delete, bulk."""
from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, session, url_for

from newsroom.auth import current_staff
from newsroom.comments import reports
from newsroom.extensions import db
from newsroom.models import Comment, CommentStatus
from newsroom.moderation import actions
from newsroom.moderation.blueprint import back_to, blueprint
from newsroom.moderation.forms import BulkForm, DecisionForm
from newsroom.moderation.queries import reply_counts

#: The session key naming the comment whose decision the queue offers to undo.
UNDO_KEY = "moderation_undo"
_PAST_TENSE = {
    "approve": "Approved", "reject": "Rejected", "spam": "Marked as spam", "delete": "Deleted",
    "undo": "Undone",
}


def wants_json() -> bool:
    """The desk's script asks for JSON; a plain form POST gets a redirect."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def _answer(form, message: str, category: str, comment: Comment | None, status: int = 200):
    """JSON for the script (the row updates in place); else the notice and back to the queue."""
    undoable = comment is not None and category == "success"
    if wants_json():
        body = {"message": message, "category": category,
                "status": comment.status.value if comment is not None else "deleted",
                "undo": url_for(".undo", comment_id=comment.id) if undoable else None}
        return jsonify(body), status
    flash(message, category)
    if undoable:
        session[UNDO_KEY] = {"id": comment.id, "who": comment.author_name}
    return redirect(back_to(form.next.data))


@blueprint.post("/comments/<int:comment_id>/<any(approve, reject, spam, delete):action>")
def decide(comment_id: int, action: str):
    """Approve, reject, mark as spam or delete one comment, then on to the next row."""
    form = DecisionForm()
    comment = db.get_or_404(Comment, comment_id)
    if refused := form.refusal():
        return _answer(form, refused, "error", None, 400)
    who = comment.author_name
    if action == "delete":
        deleted = actions.delete_comment(comment, current_staff(), form.reason.data or "")
        below = len(deleted) - 1
        note = f" and {below} repl{'y' if below == 1 else 'ies'} below it" if below else ""
        db.session.commit()
        message = f"Deleted the comment by {who}{note}; the record is in the audit log."
        return _answer(form, message, "info", None)
    if actions.set_status(
        comment, actions.STATUS_ACTIONS[action], current_staff(), form.reason.data or ""
    ):
        db.session.commit()
        return _answer(form, f"{_PAST_TENSE[action]}: the comment by {who}.", "success", comment)
    return _answer(form, f"The comment by {who} was already {comment.status.value}.", "info",
                   comment)


@blueprint.post("/comments/<int:comment_id>/undo")
def undo(comment_id: int):
    """Put the comment back where its last decision found it; recorded like any decision."""
    form = DecisionForm()
    comment = db.get_or_404(Comment, comment_id)
    if not form.validate():
        return _answer(form, "The undo could not be read.", "error", None, 400)
    try:
        previous = actions.undo_decision(comment, current_staff())
    except actions.ModerationError as error:
        return _answer(form, str(error), "error", None, 409)
    db.session.commit()
    session.pop(UNDO_KEY, None)
    message = f"Undone: the comment by {comment.author_name} is {previous.value} again."
    if wants_json():
        return jsonify({"message": message, "category": "success",
                        "status": comment.status.value, "undo": None})
    flash(message, "success")
    return redirect(back_to(form.next.data))


@blueprint.post("/comments/<int:comment_id>/keep")
def keep(comment_id: int):
    """Dismiss readers' reports of an approved comment: it stays, and is shown again if hidden.

    Recorded as a decision; each reporter who left an email is told (a statement of reasons).
    """
    form = DecisionForm()
    comment = db.get_or_404(Comment, comment_id)
    if refused := form.refusal():
        return _answer(form, refused, "error", None, 400)
    who = comment.author_name
    if comment.status is not CommentStatus.APPROVED:
        return _answer(form, f"The comment by {who} is {comment.status.value}: only an approved "
                             "comment can be kept.", "error", comment, 409)
    dismissed = reports.keep(comment, current_staff(), form.reason.data or "")
    if not dismissed:
        db.session.commit()  # a hidden comment with no open reports is shown again
        return _answer(form, f"The comment by {who} has no open reports.", "info", comment)
    db.session.commit()
    count = len(dismissed)
    return _answer(form, f"Kept: the comment by {who} stays published; {count} report"
                         f"{'' if count == 1 else 's'} dismissed.", "info", comment)


@blueprint.get("/comments/<int:comment_id>/delete")
def confirm_delete(comment_id: int):
    """Ask before deleting: what goes (the comment and its replies), and a button to do it."""
    comment = db.get_or_404(Comment, comment_id)
    form = DecisionForm(formdata=None)
    form.next.data = back_to(request.args.get("next"))
    return render_template("moderation/confirm_delete.html", comment=comment, form=form,
                           replies=reply_counts([comment.id]).get(comment.id, 0))


@blueprint.post("/comments/bulk")
def bulk():
    """The same decision for every ticked comment; deleting them asks first."""
    form = BulkForm()
    if not form.validate():
        errors = form.ids.errors + form.action.errors + form.reason.errors
        flash(" ".join(errors) or "The decision could not be read.", "error")
        return redirect(back_to(form.next.data))
    if form.action.data == "delete" and request.form.get("confirmed") != "yes":
        return render_template("moderation/confirm_bulk_delete.html", form=form)
    comments = db.session.scalars(db.select(Comment).where(Comment.id.in_(form.ids.data))).all()
    changed, gone = 0, set()
    for comment in sorted(comments, key=lambda c: c.id):
        if comment.id in gone:
            continue
        if form.action.data == "delete":
            gone.update(actions.delete_comment(comment, current_staff(), form.reason.data or ""))
            changed += 1
        else:
            status = actions.STATUS_ACTIONS[form.action.data]
            changed += actions.set_status(comment, status, current_staff(), form.reason.data or "")
    db.session.commit()
    flash(f"{_PAST_TENSE[form.action.data]}: {changed} of {len(form.ids.data)} ticked comments.",
          "success")
    return redirect(back_to(form.next.data))
