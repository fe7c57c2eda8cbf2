"""Admin pages: the job list with errors and a retry button, and the outbox of unsent mail."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import func, select

from newsroom.admin.blueprint import blueprint
from newsroom.extensions import db
from newsroom.jobs.runner import retry
from newsroom.models import Job, JobStatus, MailRecord, MailStatus
from newsroom.pagination import paginate_request

JOBS_PER_PAGE = 50
#: The tabs of the job list; "done" shows the latest finished jobs.
TABS = ("pending", "running", "failed", "done")


class ActionForm(FlaskForm):
    """A button that changes state: only the CSRF token."""


@blueprint.get("/jobs")
def jobs():
    """Jobs of one status (pending first), newest first, each with its last error."""
    status = request.args.get("status", "pending")
    if status not in TABS:
        status = "pending"
    page = paginate_request(
        select(Job).where(Job.status == JobStatus(status))
        .order_by(Job.created_at.desc(), Job.id.desc()),
        JOBS_PER_PAGE,
    )
    counts = dict(db.session.execute(select(Job.status, func.count()).group_by(Job.status)).all())
    return render_template("admin/jobs.html", page=page, status=status, tabs=TABS,
                           counts={key.value: value for key, value in counts.items()},
                           form=ActionForm(formdata=None))


@blueprint.post("/jobs/<int:job_id>/retry")
def retry_job(job_id: int):
    """Run a failed or waiting job again now."""
    job = db.get_or_404(Job, job_id)
    if not ActionForm().validate_on_submit():
        flash("The page had expired; please press “Retry” again.", "error")
    elif job.status in (JobStatus.RUNNING, JobStatus.DONE):
        flash(f"Job {job.id} is {job.status.value}: there is nothing to retry.", "error")
    else:
        retry(job)
        db.session.commit()
        flash(f"Job {job_id} will run again shortly.", "success")
    return redirect(url_for(".jobs", status=request.args.get("status", "failed")))


@blueprint.get("/outbox")
def outbox():
    """Messages kept instead of sent (development without NEWSROOM_MAIL_SERVER), newest first."""
    page = paginate_request(
        select(MailRecord).where(MailRecord.status == MailStatus.OUTBOX)
        .order_by(MailRecord.created_at.desc(), MailRecord.id.desc()),
        JOBS_PER_PAGE,
    )
    return render_template("admin/outbox.html", page=page)


@blueprint.get("/outbox/<int:record_id>")
def outbox_message(record_id: int):
    """One kept message in full, links included."""
    record = db.one_or_404(
        select(MailRecord).where(MailRecord.id == record_id, MailRecord.status == MailStatus.OUTBOX)
    )
    return render_template("admin/outbox_message.html", record=record)
