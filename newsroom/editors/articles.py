"""The desk's story pages: the list, create, edit, preview, publish, schedule, unpublish."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError
from wtforms.fields.choices import SelectChoice

from newsroom.auth import current_staff
from newsroom.content.articles import navigation_sections
from newsroom.editors.autosave import AUTOSAVED, discard, offered
from newsroom.editors.blueprint import blueprint
from newsroom.editors.forms import ActionForm, ArticleForm, ScheduleForm
from newsroom.editors.queries import (
    STATES,
    DeskFilters,
    all_outlets,
    desk_articles,
    latest_revision,
    pending_article_ids,
    pickable_comments,
    state_counts,
)
from newsroom.editors.services import (
    ARTICLE_FIELDS,
    PublishRefused,
    publish_now,
    publish_problem,
    save_article,
    schedule,
    slug_owner,
    unpublish,
)
from newsroom.editors.rights import rights_lapsing
from newsroom.editors.source_updates import review
from newsroom.editors.trash import purge_date
from newsroom.extensions import db
from newsroom.models import Article, ArticleRevision, Image, utcnow
from newsroom.pagination import paginate_request
from newsroom.readers.article_page import render_article
from newsroom.dates import show_date as human_date

PER_PAGE = 25
REVISIONS_PER_PAGE = 20


@blueprint.get("/")
def index():
    """Stories in one state (drafts, scheduled, published), newest first, filtered and searched."""
    state = request.args.get("state", STATES[0])
    state = state if state in STATES else STATES[0]
    filters = DeskFilters.from_args(request.args)
    now = utcnow()
    page = paginate_request(desk_articles(state, now, filters), PER_PAGE)
    return render_template(
        "editors/index.html",
        state=state,
        filters=filters,
        page=page,
        source_updated=pending_article_ids([article.id for article in page.items]),
        tab_counts=state_counts(now, filters),
        outlets=all_outlets(),
        sections=navigation_sections(),
        action_form=ActionForm(formdata=None),
        lapsing=rights_lapsing(now),
    )


@blueprint.route("/articles/new", methods=["GET", "POST"])
def new_article():
    """Write a new story; it starts as a draft."""
    form = _article_form()
    if form.is_submitted() and _validate(form, None):
        article = Article()
        save_article(article, _form_data(form), current_staff(), utcnow())
        if _committed(form):
            flash("Story saved as a draft.", "success")
            return redirect(url_for(".article", article_id=article.id))
    return _render_form(form, None, 400 if form.is_submitted() else 200)


@blueprint.route("/articles/<int:article_id>/edit", methods=["GET", "POST"])
def edit_article(article_id: int):
    """Edit a story; a save based on an older version than the stored one is refused."""
    article = db.get_or_404(Article, article_id)
    form = _article_form(obj=article)
    if not form.is_submitted():
        return _fresh_form(form, article)
    if not _validate(form, article):
        return _render_form(form, article, 400)
    if form.version.data != str(article.version):
        return _refuse_conflict(form, article)
    try:
        revision = save_article(article, _form_data(form), current_staff(), utcnow())
        discard(article, current_staff())
        if not _committed(form):
            return _render_form(form, db.get_or_404(Article, article_id), 400)
    except StaleDataError:  # someone saved between our read and our write
        db.session.rollback()
        return _refuse_conflict(form, db.get_or_404(Article, article_id))
    flash("Story saved." if revision else "Nothing changed.", "success")
    return redirect(url_for(".article", article_id=article.id))


def _fresh_form(form: ArticleForm, article: Article):
    """The edit form as stored, offering this person's autosave (filled in on ``?restore=1``)."""
    form.version.data = article.version
    autosaved = offered(article, current_staff())
    if autosaved is not None and request.args.get("restore") == "1":
        for name in AUTOSAVED:
            form[name].data = autosaved.fields.get(name, "")
        form.version.data = autosaved.base_version
        flash("Unsaved changes restored: check them, then save.", "info")
        autosaved = None
    return _render_form(form, article, autosaved=autosaved)


@blueprint.get("/articles/<int:article_id>")
def article(article_id: int):
    """A story at the desk: its state, the publishing actions and every recorded change."""
    return _render_story(_load_story(article_id))


@blueprint.get("/articles/<int:article_id>/preview")
def preview(article_id: int):
    """The story exactly as readers will see it, under a banner saying it is not public yet."""
    article = db.get_or_404(Article, article_id)
    return render_article(
        article, "editors/preview.html", state=_state_of(article), preview=True
    )


@blueprint.post("/articles/<int:article_id>/publish")
def publish(article_id: int):
    """Publish the story now."""
    article = _load_story(article_id)
    if not ActionForm().validate_on_submit():
        return _render_story(article, status=400)
    if article.is_published(utcnow()):
        flash("This story is already published.", "info")
        return redirect(url_for(".article", article_id=article.id))
    try:
        publish_now(article, current_staff(), utcnow())
    except PublishRefused as refused:
        return _render_story(article, publish_error=str(refused), status=400)
    if _action_committed():
        flash("Story published.", "success")
    return redirect(url_for(".article", article_id=article_id))


@blueprint.post("/articles/<int:article_id>/schedule")
def schedule_article(article_id: int):
    """Publish the story at a later time (UTC)."""
    article = _load_story(article_id)
    form = ScheduleForm()
    if form.validate_on_submit() and form.publish_at.data <= utcnow():
        form.publish_at.errors.append("Choose a time in the future, or use Publish now.")
    if form.errors or not form.is_submitted():
        return _render_story(article, schedule_form=form, status=400)
    try:
        schedule(article, form.publish_at.data, current_staff())
    except PublishRefused as refused:
        return _render_story(article, schedule_form=form, publish_error=str(refused), status=400)
    if _action_committed():
        flash(f"Story scheduled for {human_date(article.published_at)}.", "success")
    return redirect(url_for(".article", article_id=article_id))


@blueprint.post("/articles/<int:article_id>/unpublish")
def unpublish_article(article_id: int):
    """Take the story back to a draft (scheduled or published)."""
    article = _load_story(article_id)
    if not ActionForm().validate_on_submit():
        return _render_story(article, status=400)
    if article.published_at is None:
        flash("This story is already a draft.", "info")
    else:
        unpublish(article, current_staff())
        if _action_committed():
            flash("Story unpublished: it is a draft again.", "success")
    return redirect(url_for(".article", article_id=article_id))


def _action_committed() -> bool:
    """Commit a publishing action; one racing someone else's save is dropped and said so."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        flash(
            "Someone else saved this story at the same moment, so nothing was changed. "
            "Please check it below and try again.",
            "error",
        )
        return False
    return True


def _committed(form: ArticleForm) -> bool:
    """Commit; a slug taken by someone else's save a moment ago is reported beside the field."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        form.slug.errors.append("Another story took this slug a moment ago; please save again.")
        return False
    return True


def _article_form(**kwargs) -> ArticleForm:
    form = ArticleForm(**kwargs)
    form.section_id.choices = _choices("— No section —", navigation_sections())
    form.outlet_id.choices = _choices("— Our own story —", all_outlets())
    return form


def _choices(empty_label: str, objects) -> list[SelectChoice]:
    return [SelectChoice("", empty_label)] + [
        SelectChoice(str(obj.id), obj.name) for obj in objects
    ]


def _form_data(form: ArticleForm) -> dict:
    data = {name: form[name].data for name in ARTICLE_FIELDS}
    data["image_id"] = form.lead_image_id()
    return data


def _validate(form: ArticleForm, article: Article | None) -> bool:
    """The form's own checks, then those that need the database: a free slug, and for a
    published or scheduled story, complete attribution."""
    ok = form.validate()
    owner = slug_owner(form.slug.data) if form.slug.data else None
    if owner is not None and (article is None or owner != article.id):
        form.slug.errors.append("Another story uses (or used) this slug; choose another.")
        ok = False
    if article is not None and article.published_at is not None:
        problem = publish_problem(
            form.outlet_id.data, form.original_url.data, article.feed_guid is not None
        )
        if problem is not None:
            form[problem.field].errors.append(str(problem))
            ok = False
    return ok


def _refuse_conflict(form: ArticleForm, article: Article):
    """Keep what was typed, say who saved in between; saving again is then deliberate."""
    last = latest_revision(article)
    who = last.user.display_name if last is not None and last.user else "Someone"
    when = human_date(last.created_at if last is not None else article.updated_at)
    conflict = (
        f"{who} saved this story at {when} since you opened it, so your changes were not saved. "
        "They are kept below: compare them with the story's history, then save again to keep them."
    )
    form.version.data = article.version
    return _render_form(form, article, 409, conflict=conflict)


def _render_form(form: ArticleForm, article: Article | None, status: int = 200, **context):
    lead = db.session.get(Image, form.image_id.data) if form.image_id.data else None
    return (
        render_template(
            "editors/article_form.html", form=form, article=article, lead_image=lead,
            **review(article), **context
        ),
        status,
    )


def _load_story(article_id: int) -> Article:
    return db.one_or_404(
        select(Article)
        .where(Article.id == article_id)
        .options(joinedload(Article.section), joinedload(Article.outlet))
    )


def _state_of(article: Article) -> str:
    if article.deleted_at is not None:
        return "trash"
    if article.published_at is None:
        return "drafts"
    return "scheduled" if article.published_at > utcnow() else "published"


def _render_story(article: Article, schedule_form=None, publish_error=None, status=200):
    """The story's desk page, with any refused action's errors beside its button."""
    revisions = paginate_request(
        select(ArticleRevision)
        .where(ArticleRevision.article_id == article.id)
        .options(joinedload(ArticleRevision.user))
        .order_by(ArticleRevision.created_at.desc(), ArticleRevision.id.desc()),
        REVISIONS_PER_PAGE,
    )
    if schedule_form is None:
        schedule_form = ScheduleForm(formdata=None)
        if article.published_at and article.published_at > utcnow():
            schedule_form.publish_at.data = article.published_at
    return (
        render_template(
            "editors/article.html",
            article=article,
            state=_state_of(article),
            revisions=revisions,
            action_form=ActionForm(formdata=None),
            schedule_form=schedule_form,
            publish_error=publish_error,
            purge_date=purge_date(article),
            **review(article),
            pickable=pickable_comments(article.id),
        ),
        status,
    )
