"""Each outlet's "Refresh every N minutes": on the form, validated, and used by the scheduler."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from newsroom.extensions import db
from newsroom.tasks import queue_due_periodic_jobs
from newsroom.models import IngestRun, Job, Outlet, Role, utcnow
from tests.editors.test_outlets import outlet_form


@pytest.fixture
def editor(login_as):
    return login_as(Role.EDITOR)


def test_the_form_shows_the_default_and_saves_a_new_interval(client, editor):
    page = client.get("/editor/outlets/new").text
    assert "Refresh every N minutes" in page and 'name="refresh_minutes"' in page
    assert 'value="30"' in page
    client.post("/editor/outlets/new", data=outlet_form(refresh_minutes="15"))
    outlet = db.session.scalars(select(Outlet)).one()
    assert outlet.refresh_minutes == 15
    assert "Every 15 minutes" in client.get(f"/editor/outlets/{outlet.id}").text
    client.post(f"/editor/outlets/{outlet.id}/edit", data=outlet_form(refresh_minutes="0"))
    db.session.refresh(outlet)
    assert outlet.refresh_minutes == 0
    assert "Only by “Fetch now”" in client.get(f"/editor/outlets/{outlet.id}").text


@pytest.mark.parametrize("value, error", [
    ("-1", "Please give 0 to 10,080 minutes (a week)."),
    ("10081", "Please give 0 to 10,080 minutes (a week)."),
    ("often", "Not a valid integer value."),
])
def test_a_bad_interval_is_refused_and_the_form_kept(client, editor, value, error):
    response = client.post("/editor/outlets/new", data=outlet_form(refresh_minutes=value))
    assert response.status_code == 400
    assert error in response.text and f'value="{value}"' in response.text
    assert db.session.scalars(select(Outlet)).all() == []


def test_the_scheduler_fetches_outlets_whose_interval_has_passed(app, make):
    now = utcnow()
    fresh = make.outlet(feed_url="https://fresh.invalid/feed", refresh_minutes=30)
    stale = make.outlet(feed_url="https://stale.invalid/feed", refresh_minutes=30)
    never = make.outlet(feed_url="https://never.invalid/feed", refresh_minutes=5)
    make.outlet(refresh_minutes=5)  # no feed URL
    for outlet, age in ((fresh, 10), (stale, 31)):
        db.session.add(IngestRun(outlet=outlet, source=outlet.feed_url,
                                 started_at=now - timedelta(minutes=age)))
    db.session.commit()
    queue_due_periodic_jobs(now)
    queue_due_periodic_jobs(now)  # already waiting: not queued twice
    db.session.commit()
    keys = sorted(db.session.scalars(select(Job.key).where(Job.name == "fetch-outlet")))
    assert keys == sorted([f"outlet:{stale.id}", f"outlet:{never.id}"])
