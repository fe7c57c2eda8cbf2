"""Reader-facing pages: home, section, article, and the reply POST."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_limiter import RateLimitExceeded
from sqlalchemy import select

from newsroom import trust
from newsroom.comments.intake import (
    DuplicateComment,
    Posted,
    approved_parent,
    form_age,
    submit_comment,
)
from newsroom.content.articles import (
    ArticleRef,
    comments_close_at,
    comments_open,
    is_trashed,
    is_withdrawn,
    published_article,
    published_article_ref,
    published_articles,
)
from newsroom.content.pages import article_validator, conditional_article_page, load_article
from newsroom.errors import render_error
from newsroom.extensions import client_ip, csrf, db, limiter
from newsroom.models import Article, Comment, CommentStatus, Section, SlugRedirect, utcnow
from newsroom.pagination import paginate_request
from newsroom.readers import own_comments, pagecache, reports
from newsroom.readers.article_page import render_page
from newsroom.readers.blueprint import blueprint
from newsroom.readers.forms import CommentForm, checked_reply, read_reply
from newsroom.readers.lists import shared_list
from newsroom.subscriptions.service import ask_for_replies


@blueprint.get("/")
def home():
    """Published articles, newest first."""
    return shared_list(("home",), _home_page)


def _home_page() -> str:
    page = paginate_request(published_articles(utcnow()), _per_page(), max_per_page=50)
    return render_template("readers/home.html", page=page)


@blueprint.get("/sections/<slug>")
def section(slug: str):
    """One section's published articles, newest first."""
    return shared_list(("section", slug), lambda: _section_page(slug))


def _section_page(slug: str) -> str:
    section = db.one_or_404(select(Section).where(Section.slug == slug))
    query = published_articles(utcnow()).where(Article.section_id == section.id)
    page = paginate_request(query, _per_page(), max_per_page=50)
    return render_template("readers/section.html", section=section, page=page)


@blueprint.get("/articles/<slug>")
def article(slug: str):
    """The article page with its approved comments and the reply form."""
    loaded = load_article(slug)  # the article and its comments' state, for conditional GET
    if loaded is None:
        return _former_slug_redirect(slug)
    article, state, site = loaded
    shared = pagecache.is_shared()  # the same bytes for every anonymous reader
    response = conditional_article_page(
        article, lambda: _article_page(article, state, shared, site), state,
        shared=shared, site_version=site)
    if article.noindex_expired or (article.outlet and article.outlet.seo_policy.value == "noindex"):
        response.headers["X-Robots-Tag"] = "noindex"
    return response


def _article_page(article: Article, state, shared: bool, site: int) -> str:
    """The article page: for one reader, or the shared one (from the page cache if stored)."""
    if not shared:
        return render_page(article, _reply_form())
    if not pagecache.enabled():
        return _render_shared(article)
    page = request.args.get("cpage", 1, type=int)
    is_open = comments_open(article, utcnow())
    key = article_validator(article, state, "page-cache", page, is_open, site).etag
    pagecache.offer_to_front(until=comments_close_at(article) if is_open else None)
    return pagecache.cached_page(key, lambda: _render_shared(article))


def _render_shared(article: Article) -> str:
    """The page without anyone's CSRF token or form timestamp: the form fetches its own
    (static/js/reply.js, GET /session/form); without JavaScript its first POST is answered
    with the form again, what was typed kept and both values filled in (see post_comment)."""
    form = CommentForm(formdata=None, meta={"csrf": False})
    return render_page(article, form, served_at="", shared_form=True)


def _reply_form() -> CommentForm:
    """An empty reply form, answering the comment named by ``?replyto=`` if there is one."""
    form = CommentForm(formdata=None)
    reply_to = request.args.get("replyto", "")
    if reply_to.isdigit():
        form.parent_id.data = reply_to
    return form


@blueprint.post("/articles/<slug>/comments")
@csrf.exempt  # the form checks its own token, so a refusal can keep what was typed
@limiter.limit(lambda: current_app.config["COMMENT_RATE_LIMIT"], key_func=client_ip)
def post_comment(slug: str):
    """Take a reply: stored as the policy says (pending at least), then back to the article."""
    article = published_article_ref(slug, utcnow()) or abort(404)  # a row: the lean write path
    if not comments_open(article, utcnow()):
        flash("Comments are closed on this article.", "error")
        return redirect(url_for(".article", slug=slug, _anchor="comments"), 303)
    form, valid = read_reply()
    if not valid:
        return _refused(article, form, 400)
    parent = None
    if form.parent_id.data:
        parent = approved_parent(article, int(form.parent_id.data))
        if parent is None:
            form = checked_reply()
            form.parent_id.errors.append("The comment you replied to is not available.")
            return _refused(article, form, 400)
    try:
        posted = submit_comment(
            article,
            name=form.name.data,
            email=form.email.data,
            website=form.website.data or "",
            body=form.body.data,
            parent=parent,
            ip_address=client_ip(),
            user_agent=request.user_agent.string,
            honeypot=form.company.data or "",
            age=form_age(form.form_token.data, article),
            browser_key=trust.browser_key(trust.ensure_browser_token()),
        )
    except DuplicateComment:
        form = checked_reply()
        form.body.errors.append(DUPLICATE_MESSAGE)
        return _refused(article, form, 409)
    # double opt-in (newsroom/subscriptions); the comment is loaded only for a ticked box
    asked = form.notify.data and ask_for_replies(db.session.get(Comment, posted.id))
    db.session.commit()
    return _posted(slug, posted, asked=asked)


def _refused(article: ArticleRef, form: CommentForm, status: int):
    """The article page again, with what was typed and why it was not taken."""
    return render_page(db.session.get(Article, article.id), form), status


def _posted(slug: str, posted: Posted, *, asked: bool):
    """The 303 after a stored reply: to the comment itself, on the comment page that shows it."""
    if asked:
        flash("We have emailed you a link: confirm your address to get replies.", "success")
    # Only a browser that proved its address is told "published": an address typed by anyone
    # else gets the same answer whether or not it has history.
    if posted.status is CommentStatus.APPROVED:
        flash("Thank you, your comment is published.", "success")
    else:  # shown in place to this reader alone until a moderator approves it
        own_comments.remember(posted.id)
        flash("Thank you. Your comment is awaiting moderation and will appear once approved.",
              "success")
    target = url_for(".article", slug=slug, cpage=posted.page if posted.page > 1 else None,
                     _anchor=f"comment-{posted.id}")
    return trust.set_cookie(redirect(target, 303))

WITHDRAWN_MESSAGE = "This story was withdrawn by its original publisher."
DUPLICATE_MESSAGE = "You have just posted this comment here; it was not sent twice."
RATE_LIMIT_MESSAGE = (
    "You have sent several comments in a short time. Please wait a few minutes and send "
    "this one again; your text is kept below."
)


@blueprint.errorhandler(RateLimitExceeded)
def too_many_comments(error: RateLimitExceeded):
    """Over the posting limit: the article again, the reader's text kept, status 429."""
    if request.endpoint == "readers.report_comment":
        return reports.too_many_reports(error)
    article = None
    if request.endpoint == "readers.post_comment":
        article = published_article(request.view_args["slug"], utcnow())
    if article is None or not comments_open(article, utcnow()):
        return render_error(error)
    form = CommentForm()
    form.body.errors = [RATE_LIMIT_MESSAGE]
    return render_page(article, form), 429


def _former_slug_redirect(slug: str):
    """A 301 from a former slug of a published article to its current URL; 410 for a story
    in the trash; else 404."""
    if is_trashed(slug):
        abort(410)
    if is_withdrawn(slug):
        abort(410, WITHDRAWN_MESSAGE)
    redirect_ = db.session.scalar(select(SlugRedirect).where(SlugRedirect.old_slug == slug))
    if redirect_ is None or not redirect_.article.is_published(utcnow()):
        abort(404)
    return redirect(url_for(".article", slug=redirect_.article.slug), 301)


def _per_page() -> int:
    return int(current_app.config["ARTICLES_PER_PAGE"])
