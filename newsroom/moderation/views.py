"""The queue and what a moderator does to comments in it: decide, bulk-decide, reply, ban."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import flash, redirect, render_template, request, session, url_for

from newsroom.auth import current_staff
from newsroom.dates import day_start
from newsroom.extensions import db
from newsroom.models import BanKind, Comment, CommentStatus, utcnow
from newsroom.moderation import actions
from newsroom.moderation.decisions import UNDO_KEY
from newsroom.moderation.reported import open_reports, reported_page
from newsroom.moderation.blueprint import back_to, blueprint
from newsroom.moderation.forms import BanForm, ReplyForm
from newsroom.moderation.queries import (
    QueueFilters,
    commenter_records,
    find_cursor,
    queue_page,
    reply_counts,
    status_counts,
)

PER_PAGE = 25
MAX_PER_PAGE = 100


@blueprint.get("/")
def queue():
    """Comments of one status, filtered, with everything a moderator needs to decide."""
    filters = QueueFilters.from_args(request.args)
    counts = status_counts(filters)
    per_page = min(max(request.args.get("per_page", PER_PAGE, type=int), 1), MAX_PER_PAGE)
    after = request.args.get("after", type=int)
    before = None if after else request.args.get("before", type=int)
    cursor = None if filters.status == "reported" else find_cursor(after, before)
    number = request.args.get("page", 1, type=int)
    if filters.status == "reported":  # by number of open reports, then age: pages by number
        page = reported_page(filters, number, per_page, counts["reported"])
    else:
        page = queue_page(filters, number, per_page, counts[filters.status], cursor)
    page_args = filters.as_args(per_page=per_page if per_page != PER_PAGE else None)
    here = {"page": page.page if page.page > 1 else None}
    if cursor is not None and page.page > 1:
        here["after" if cursor.forward else "before"] = cursor.id
    return render_template(
        "moderation/queue.html",
        filters=filters,
        counts=counts,
        desk_pending=None if filters.narrowed else counts["pending"],
        page=page,
        here=url_for(".queue", **page_args, **here),
        page_args=page_args,
        replies=reply_counts([comment.id for comment in page.items]),
        records=commenter_records(page.items),
        reports=_open_reports(filters, page.items),
        undo=session.pop(UNDO_KEY, None),
        now=utcnow(),
    )


#: Tabs whose rows may carry readers' open reports (a rejection or spam answers them; a
#: pending comment with some left is on the Reported tab).
_REPORTABLE_TABS = ("approved", "reported", "all")


def _open_reports(filters: QueueFilters, comments: list[Comment]) -> dict:
    if filters.status not in _REPORTABLE_TABS:
        return {}
    return open_reports([comment.id for comment in comments])


@blueprint.route("/comments/<int:comment_id>/reply", methods=["GET", "POST"])
def reply(comment_id: int):
    """Reply as staff: the reply is published at once (a pending comment is approved with it)."""
    comment = db.get_or_404(Comment, comment_id)
    form = ReplyForm()

    def publish() -> str:
        actions.reply_as_staff(comment, current_staff(), form.body.data)
        return f"Your reply to {comment.author_name} is published."

    return _comment_form(comment, form, "moderation/reply.html", publish, form.body)


def _expiry(form: BanForm) -> datetime | None:
    if form.days.data:
        return utcnow() + timedelta(days=form.days.data)
    if form.until.data:
        return day_start(form.until.data)
    return None


@blueprint.route("/comments/<int:comment_id>/ban", methods=["GET", "POST"])
def ban(comment_id: int):
    """Ban a comment's email, IP address or email domain; optionally mark the comment as spam."""
    comment = db.get_or_404(Comment, comment_id)
    form = BanForm()
    if request.method == "GET":
        form.kind.data = request.args.get("kind", BanKind.EMAIL.value)

    def ban_it() -> str:
        kind = BanKind(form.kind.data)
        value = actions.ban_value(comment, kind)
        actions.create_ban(kind, value, current_staff(), reason=form.reason.data or "",
                           expires_at=_expiry(form), comment=comment)
        if form.mark_spam.data:
            actions.set_status(comment, CommentStatus.SPAM, current_staff(),
                               form.reason.data or f"{kind.value} banned")
        return f"Banned the {kind.value} {value}."

    return _comment_form(comment, form, "moderation/ban.html", ban_it, form.kind)


def _comment_form(comment: Comment, form, template: str, act, error_field):
    """A desk form about one comment: shown on GET; on a valid POST, ``act()`` then back.

    ``act`` returns the message to flash; a :class:`ModerationError` it raises is shown
    beside ``error_field`` and nothing is committed.
    """
    if request.method == "GET":
        form.next.data = back_to(request.args.get("next"))
    elif form.validate():
        try:
            message = act()
        except actions.ModerationError as error:
            error_field.errors.append(str(error))
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(back_to(form.next.data))
    status = 400 if form.errors else 200
    return render_template(template, comment=comment, form=form), status
