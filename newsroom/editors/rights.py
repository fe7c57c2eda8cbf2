"""Rights at the desk: a story's licence, credit, embargo and expiry, and what lapses soon."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import flash, redirect, render_template, url_for
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from newsroom.auth import current_staff
from newsroom.changes import assign
from newsroom.editors.blueprint import blueprint
from newsroom.editors.forms import RightsFields, RightsForm
from newsroom.editors.services import record
from newsroom.extensions import db
from newsroom.models import Article, ExpiryAction, Licence, Outlet, utcnow
from newsroom.syndication.expiry import expiring_by

#: The rights columns the forms set, on a story and on an outlet alike.
RIGHTS_FIELDS = (
    "licence", "licence_text", "credit_line", "embargo_until", "expires_at", "expiry_action",
)
#: How far ahead the desk's "Rights lapsing" list looks, and how many stories it shows.
LAPSING_WITHIN = timedelta(days=7)
LAPSING_SHOWN = 20


def fill_rights(form: RightsFields, row: Article | Outlet) -> None:
    """Show ``row``'s rights in the form (enums as their values)."""
    form.licence.data = row.licence.value if row.licence else ""
    form.licence_text.data = row.licence_text
    form.credit_line.data = row.credit_line
    form.embargo_until.data = row.embargo_until
    form.expires_at.data = row.expires_at
    form.expiry_action.data = (row.expiry_action or ExpiryAction.UNPUBLISH).value


def apply_rights(form: RightsFields, row: Article | Outlet) -> dict[str, list]:
    """Set the form's rights on ``row``; ``{field: [old, new]}`` for those that changed."""
    values = {
        "licence": Licence(form.licence.data) if form.licence.data else None,
        "licence_text": form.licence_text.data or "",
        "credit_line": form.credit_line.data or "",
        "embargo_until": form.embargo_until.data,
        "expires_at": form.expires_at.data,
        "expiry_action": ExpiryAction(form.expiry_action.data),
    }
    changes = assign(row, values)
    if "expires_at" in changes or "expiry_action" in changes:
        if isinstance(row, Article):
            row.rights_expired_at = None  # a new expiry is applied afresh when it comes
    return changes


def _scheduled_before_embargo(form: RightsForm, article: Article) -> bool:
    """Refuse an embargo after the time the story is (or was) published."""
    embargo = form.embargo_until.data
    if embargo is None or article.published_at is None or article.published_at >= embargo:
        return False
    when = "is scheduled" if article.published_at > utcnow() else "was published"
    form.embargo_until.errors.append(
        f"This story {when} before that time: unpublish it, or schedule it for the embargo's "
        "end or later, first."
    )
    return True


@blueprint.route("/articles/<int:article_id>/rights", methods=["GET", "POST"])
def article_rights(article_id: int):
    """A story's own licence, credit line, embargo and expiry (its outlet's, at first)."""
    article = db.one_or_404(
        select(Article).where(Article.id == article_id).options(joinedload(Article.outlet))
    )
    form = RightsForm()
    if not form.is_submitted():
        fill_rights(form, article)
    elif form.validate() and not _scheduled_before_embargo(form, article):
        changes = apply_rights(form, article)
        if changes:
            record(article, current_staff(), "rights edited", changes)
        db.session.commit()
        flash("Rights saved." if changes else "Nothing changed.", "success")
        return redirect(url_for(".article", article_id=article.id))
    status = 400 if form.is_submitted() else 200
    return render_template("editors/rights_form.html", form=form, article=article), status


def lapsing_query(now: datetime) -> Select:
    """Public or scheduled stories whose rights expire within LAPSING_WITHIN, soonest first."""
    return (
        select(Article)
        .where(expiring_by(now + LAPSING_WITHIN))
        .options(joinedload(Article.outlet))
        .order_by(Article.expires_at, Article.id)
        .limit(LAPSING_SHOWN)
    )


def rights_lapsing(now: datetime) -> list[Article]:
    """The desk's "Rights lapsing in the next 7 days" (one query)."""
    return list(db.session.scalars(lapsing_query(now)).unique())
