"""The admin job page: admins only, lists jobs by status with errors, retries with CSRF."""
from __future__ import annotations

import pytest

from newsroom.extensions import db
from newsroom.jobs import queue
from newsroom.models import Job, JobStatus, Role
from tests.helpers import sign_in_session


@pytest.fixture
def failed_job(app):
    job = Job(name="send-confirmation", payload={"subscriber_id": 1}, status=JobStatus.FAILED,
              attempts=6, error="SMTPServerDisconnected: Connection unexpectedly closed")
    db.session.add(job)
    db.session.commit()
    return job


@pytest.mark.parametrize("role, status", [
    (None, 302), (Role.MODERATOR, 403), (Role.EDITOR, 403), (Role.ADMIN, 200)])
def test_only_admins_see_jobs(client, login_as, role, status):
    if role:
        login_as(role)
    for url in ("/admin/jobs", "/admin/outbox"):
        assert client.get(url).status_code == status


def test_failed_jobs_are_listed_with_their_error_and_can_be_retried(client, login_as, failed_job):
    login_as(Role.ADMIN)
    page = client.get("/admin/jobs?status=failed").text
    assert "send-confirmation" in page and "Connection unexpectedly closed" in page
    assert "Failed (1)" in page
    response = client.post(f"/admin/jobs/{failed_job.id}/retry?status=failed",
                           follow_redirects=True)
    assert "will run again shortly" in response.text
    db.session.refresh(failed_job)
    assert failed_job.status is JobStatus.PENDING
    assert [task.args[0] for task in queue.huey().pending()] == [failed_job.id]


def test_a_done_job_is_not_retried(client, login_as, app):
    login_as(Role.ADMIN)
    job = Job(name="fetch-outlet", payload={}, status=JobStatus.DONE, result="ok")
    db.session.add(job)
    db.session.commit()
    response = client.post(f"/admin/jobs/{job.id}/retry", follow_redirects=True)
    assert "nothing to retry" in response.text
    assert db.session.get(Job, job.id).status is JobStatus.DONE


def test_retry_needs_the_csrf_token(make_app, failed_job):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        from tests import factories

        admin = factories.user(Role.ADMIN)
        db.session.commit()
        client = app.test_client()
        sign_in_session(client, admin.get_id())
        response = client.post(f"/admin/jobs/{failed_job.id}/retry")
        assert response.status_code == 400
        assert db.session.get(Job, failed_job.id).status is JobStatus.FAILED
