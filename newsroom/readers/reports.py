"""A reader's report of a comment: the form (GET), and taking it in (POST).

Works without JavaScript; a refused form is shown again with what the reader typed. The page
names the comment by its author and text only (the template reads nothing else), never an
email address (the reader's own,
typed into a refused form, is shown back to them alone: the page is never cached).
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_limiter import RateLimitExceeded
from werkzeug.exceptions import NotFound
from sqlalchemy import select

from newsroom import trust
from newsroom.comments.reports import (
    AlreadyReported,
    already_reported,
    file_report,
    ip_key,
    reportable,
)
from newsroom.content.articles import comments_open, published_article
from newsroom.errors import render_error
from newsroom.extensions import client_ip, csrf, db, limiter
from newsroom.mail import enabled as notifications_offered
from newsroom.models import Article, Comment, ReportReason, utcnow
from newsroom.readers.blueprint import blueprint
from newsroom.readers.forms import ReportForm

REPEAT_MESSAGE = ("You have already reported this comment. Thank you: the moderators will look "
                  "at it, and one report is all they need from you.")
RATE_LIMIT_MESSAGE = ("You have sent several reports in a short time. Please wait a few minutes "
                      "and send this one again; what you wrote is kept below.")
THANKS = "Thank you for your report. A moderator will look at the comment."


def _reported(slug: str, comment_id: int) -> tuple[Article, Comment]:
    """The published, open article and its comment a reader can see; else 404."""
    article = published_article(slug, utcnow())
    if article is None or not comments_open(article, utcnow()):
        abort(404)
    comment = db.session.scalar(
        select(Comment).where(Comment.id == comment_id, Comment.article_id == article.id)
    )
    if not reportable(comment):
        abort(404)
    return article, comment


def _reader() -> tuple[str, str]:
    """Who this reader is: their browser's key (issued now if new) and the address's hash."""
    return trust.browser_key(trust.ensure_browser_token()), ip_key(client_ip())


def _page(article: Article, comment: Comment, form: ReportForm, status: int = 200, *,
          repeat: bool = False):
    page = render_template("readers/report.html", article=article, comment=comment, form=form,
                           repeat=repeat, repeat_message=REPEAT_MESSAGE)
    headers = {"Cache-Control": "private, no-store"}  # may hold what this reader typed
    return trust.set_cookie(current_app.make_response((page, status, headers)))


@blueprint.route("/articles/<slug>/comments/<int:comment_id>/report", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so a refusal can keep what was typed
@limiter.limit(lambda: current_app.config["COMMENT_REPORT_RATE_LIMIT"], key_func=client_ip,
               methods=["POST"])
def report_comment(slug: str, comment_id: int):
    """Report a comment: the form, or the report taken in and back to the article."""
    article, comment = _reported(slug, comment_id)
    if request.method == "GET":
        key, address = _reader()
        repeat = already_reported(comment, key, address)
        return _page(article, comment, ReportForm(formdata=None), repeat=repeat)
    form = ReportForm()
    if not form.validate():
        return _page(article, comment, form, 400)
    key, _ = _reader()
    try:
        email = (form.email.data or "") if notifications_offered() else ""  # else never told
        file_report(comment, reason=ReportReason(form.reason.data), details=form.details.data or "",
                    email=email, reporter_key=key, ip_address=client_ip())
    except AlreadyReported:
        db.session.rollback()
        return _page(article, comment, form, 409, repeat=True)
    shown = comment.hidden_at is None
    db.session.commit()
    flash(THANKS, "success")
    anchor = f"comment-{comment_id}" if shown else "comments"
    return trust.set_cookie(redirect(url_for(".article", slug=slug, _anchor=anchor), 303))


def too_many_reports(error: RateLimitExceeded):
    """Over the reports' limit: the form again with what was typed, status 429."""
    try:
        article, comment = _reported(request.view_args["slug"], request.view_args["comment_id"])
    except NotFound:
        return render_error(error)
    form = ReportForm()
    form.validate()
    form.form_errors.append(RATE_LIMIT_MESSAGE)
    return _page(article, comment, form, 429)
