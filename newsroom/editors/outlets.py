"""Outlets at the desk: list with their last fetch, create, edit, and queue a fetch now."""
from __future__ import annotations

import logging

from flask import flash, redirect, render_template, url_for
from sqlalchemy import select

from newsroom.editors.blueprint import blueprint
from newsroom.editors.editing import render_form, saved
from newsroom.editors.forms import ActionForm, OutletForm
from newsroom.editors.queries import latest_runs
from newsroom.editors.rights import apply_rights, fill_rights
from newsroom.extensions import db
from newsroom.jobs import enqueue
from newsroom.models import Article, ArticleRevision, IngestRun, Job, JobStatus, Outlet, SeoPolicy
from newsroom.pagination import paginate_request
from newsroom.slugs import unique_slug
from newsroom.tasks import FETCH_OUTLET, outlet_key
from newsroom.syndication.ingest import CREATED_ACTION, UPDATED_ACTION

log = logging.getLogger(__name__)
RUNS_PER_PAGE = 20
DEFAULT_REFRESH_MINUTES = 30
#: Stories listed under "what came in" after the latest fetch.
LATEST_STORIES = 50


@blueprint.get("/outlets")
def outlets():
    """Every outlet with when its feed was last fetched and how that went."""
    page = paginate_request(select(Outlet).order_by(Outlet.name), 50)
    return render_template(
        "editors/outlets.html", page=page, runs=latest_runs([outlet.id for outlet in page.items])
    )


@blueprint.route("/outlets/new", methods=["GET", "POST"])
def new_outlet():
    """Add an outlet whose stories we republish."""
    form, outlet = OutletForm(), Outlet()
    if saved(form, outlet, _apply):
        return redirect(url_for(".outlet", outlet_id=outlet.id))
    return render_form("editors/outlet_form.html", form, outlet=None)


@blueprint.route("/outlets/<int:outlet_id>/edit", methods=["GET", "POST"])
def edit_outlet(outlet_id: int):
    """Change an outlet's details, terms, search-engine policy or auto-publish switch."""
    outlet = db.get_or_404(Outlet, outlet_id)
    form = OutletForm(current=outlet)
    if not form.is_submitted():
        form.seo_policy.data = outlet.seo_policy.value
        fill_rights(form, outlet)
    elif saved(form, outlet, _apply):
        return redirect(url_for(".outlet", outlet_id=outlet.id))
    return render_form("editors/outlet_form.html", form, outlet=outlet)


@blueprint.get("/outlets/<int:outlet_id>")
def outlet(outlet_id: int):
    """An outlet: its details, its recent fetches, and what the latest one brought in."""
    outlet = db.get_or_404(Outlet, outlet_id)
    runs = paginate_request(
        select(IngestRun)
        .where(IngestRun.outlet_id == outlet.id)
        .order_by(IngestRun.started_at.desc(), IngestRun.id.desc()),
        RUNS_PER_PAGE,
    )
    latest = runs.items[0] if runs.page == 1 and runs.items else None
    return render_template(
        "editors/outlet.html",
        outlet=outlet,
        runs=runs,
        latest=latest,
        arrived=_arrived(outlet, latest),
        action_form=ActionForm(formdata=None),
        fetch=fetch_job(outlet.id),
    )


@blueprint.post("/outlets/<int:outlet_id>/fetch")
def fetch_outlet(outlet_id: int):
    """Queue a fetch of the outlet's feed; the outlet page shows it queued, running, then done."""
    outlet = db.get_or_404(Outlet, outlet_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for(".outlet", outlet_id=outlet.id))
    if not outlet.feed_url:
        flash("This outlet has no feed URL: add one before fetching.", "error")
        return redirect(url_for(".outlet", outlet_id=outlet.id))
    if fetch_job(outlet.id, waiting_only=True) is None:
        enqueue(FETCH_OUTLET, {"outlet_id": outlet.id}, key=outlet_key(outlet.id))
        db.session.commit()
    flash("Fetch queued: this page shows the result when it is done.", "success")
    return redirect(url_for(".outlet", outlet_id=outlet.id))


def fetch_job(outlet_id: int, waiting_only: bool = False) -> Job | None:
    """The outlet's latest fetch job (only a queued or running one with ``waiting_only``)."""
    query = select(Job).where(Job.key == outlet_key(outlet_id), Job.name == FETCH_OUTLET)
    if waiting_only:
        query = query.where(Job.status.in_((JobStatus.PENDING, JobStatus.RUNNING)))
    return db.session.scalar(query.order_by(Job.created_at.desc(), Job.id.desc()).limit(1))


def _run_message(run: IngestRun) -> tuple[str, str]:
    if run.error:
        return f"The feed could not be fetched: {run.error}", "error"
    if run.not_modified:
        return "The feed has not changed since the last fetch.", "success"
    return (
        f"Feed fetched: {run.created} new, {run.updated} updated, {run.skipped} skipped.",
        "success",
    )


def _arrived(outlet: Outlet, run: IngestRun | None) -> list[Article]:
    """The stories the latest fetch created or updated (not those edited at the desk since)."""
    if run is None or run.error or not (run.created or run.updated):
        return []
    by_ingest = select(ArticleRevision.article_id).where(
        ArticleRevision.user_id.is_(None),
        ArticleRevision.action.in_((CREATED_ACTION, UPDATED_ACTION)),
        ArticleRevision.created_at >= run.started_at,
    )
    return list(
        db.session.scalars(
            select(Article)
            .where(Article.outlet_id == outlet.id, Article.id.in_(by_ingest))
            .order_by(Article.created_at.desc(), Article.id.desc())
            .limit(LATEST_STORIES)
        )
    )


def _apply(form: OutletForm, outlet: Outlet) -> None:
    if (
        form.feed_url.data or None
    ) != outlet.feed_url:  # a new feed: forget the old one's validators
        outlet.feed_etag = outlet.feed_last_modified = None
    outlet.name = form.name.data
    outlet.slug = form.slug.data or unique_slug(
        form.name.data, column=Outlet.slug, exclude_id=outlet.id
    )
    outlet.homepage_url = form.homepage_url.data
    outlet.feed_url = form.feed_url.data or None
    apply_rights(form, outlet)
    outlet.auto_unpublish_withdrawn = form.auto_unpublish_withdrawn.data
    outlet.seo_policy = SeoPolicy(form.seo_policy.data)
    outlet.auto_publish = form.auto_publish.data
    outlet.auto_apply_source_updates = form.auto_apply_source_updates.data
    outlet.refresh_minutes = (
        DEFAULT_REFRESH_MINUTES if form.refresh_minutes.data is None else form.refresh_minutes.data
    )

